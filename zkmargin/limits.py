"""Caps on what zkmargin reads, in one place: each stops hostile or mistaken input before it costs
hours, gigabytes or a crash. Exceeding one is one :class:`zkmargin.errors.InputError` line."""

from __future__ import annotations

MAX_BATCH_SIZE = 4096
"""Largest batch (a batch of 4,096 is tens of millions of constraints: hours of setup)."""

MAX_GRID_STEPS = 64
"""Most price steps each way of a ``crypto`` grid (3 × (2·64 + 1) = 387 scenarios)."""

MAX_JSON_DEPTH = 64
"""Deepest nesting of JSON arrays and objects (our formats need 5)."""

MAX_JSON_BYTES = 1 << 30
"""Largest JSON file (1 GiB: a report of a million accounts is about 50 MB)."""

MAX_JSON_DIGITS = 4000
"""Longest JSON integer (Python's own limit is 4,300 digits)."""

MAX_ACCOUNT_LINE = 1 << 20
"""Longest line of a JSON Lines accounts file, in bytes (a CSV field: ``csv``'s 128 KiB)."""

MAX_DECIMAL_DIGITS = 200
"""Longest decimal string (a field element or a money total: at most 116 digits)."""

MAX_REPORT_TEXT = 256
"""Longest string field (names, ids, the epoch) of a report."""
