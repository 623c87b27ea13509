"""The one strict JSON reader every input file goes through.

``json.loads`` alone is not safe on hostile input: it recurses once per nesting level (and with
the recursion limit raised — py_ecc raises it to 100,000 on import — a file nested 100,000 deep
overflows the C stack and kills the process), lets a duplicate key silently overwrite the first,
accepts ``NaN`` and ``Infinity``, and reads a file of any size. Here every problem is one
:class:`~zkmargin.errors.InputError` naming the file (and the line where known):

- at most ``MAX_JSON_BYTES`` a file (``max_bytes`` to change it), UTF-8 only;
- at most ``MAX_JSON_DEPTH`` nested arrays/objects, checked *before* parsing;
- duplicate keys, ``NaN``/``Infinity`` and integers of more than ``MAX_JSON_DIGITS`` digits
  refused (the caps: :mod:`zkmargin.limits`).

New parsers adopt it by reading through :func:`load_json` (or :func:`parse_json` for text they
already hold, one JSON Lines record at a time with its ``line``).

>>> parse_json('{"a": [1, 2]}', "x.json")
{'a': [1, 2]}
>>> try:
...     parse_json('{"a": 1, "a": 2}', "x.json")
... except InputError as err:
...     print(err)
x.json:1: a: duplicate key
>>> try:
...     parse_json("[" * 100 + "]" * 100, "x.json")
... except InputError as err:
...     print(err)
x.json:1: nested deeper than 64 levels
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

from zkmargin.errors import InputError
from zkmargin.limits import MAX_DECIMAL_DIGITS
from zkmargin.limits import MAX_JSON_BYTES as MAX_BYTES
from zkmargin.limits import MAX_JSON_DEPTH as MAX_DEPTH
from zkmargin.limits import MAX_JSON_DIGITS as MAX_DIGITS

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_DEPTH = {"[": 1, "{": 1, "]": -1, "}": -1}


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _integer(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise ValueError(f"integer of {len(text)} digits (at most {MAX_DIGITS})")
    return int(text)


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays/objects in ``text`` (strings skipped), without recursing.

    >>> nesting_depth('[{"a": "[[["}, []]')
    2
    """
    brackets = [c for c in _STRINGS.sub("", text) if c in _DEPTH]
    return max(accumulate(_DEPTH[c] for c in brackets), default=0)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _second_key(text: str, key: str) -> int:
    """Where ``key`` appears as an object key for the second time (0 if not found as written):
    the duplicate's line, for the error."""
    keys = re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)
    found = [m.start() for _, m in zip(range(2), keys, strict=False)]
    return found[1] if len(found) == 2 else 0


def parse_json(
    text: str | bytes, source: str, line: int | None = None, max_depth: int = MAX_DEPTH
) -> Any:
    """Parse one JSON document strictly (see the module docstring); ``line`` is the line of the
    document's start in ``source`` (for JSON Lines), errors count from it."""
    first = line or 1
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            at = first + text.count(b"\n", 0, err.start)
            raise InputError(source, "", f"not UTF-8 (byte {err.start})", line=at) from None
    # cheap bound first: a file with few brackets cannot nest deeply (the common case)
    if text.count("[") + text.count("{") > max_depth and nesting_depth(text) > max_depth:
        raise InputError(source, "", f"nested deeper than {max_depth} levels", line=first)
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer
        )
    except json.JSONDecodeError as err:
        raise InputError(
            source, "", f"invalid JSON: {err.msg}", line=first + err.lineno - 1
        ) from None
    except _Duplicate as err:
        at = first + _line_of(text, _second_key(text, err.key)) - 1
        raise InputError(source, err.key, "duplicate key", line=at) from None
    except (ValueError, RecursionError) as err:
        raise InputError(source, "", f"invalid JSON: {err}", line=first) from None


def decimal_string(value: Any, source: str, field: str) -> int:
    """A non-negative integer written as a JSON string of ASCII digits (how snarkjs and our
    reports write numbers beyond JSON's safe integers), at most ``MAX_DECIMAL_DIGITS`` long.

    >>> decimal_string("123", "x.json", "root")
    123
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise InputError(source, field, f"expected a decimal string, got {value!r}")
    if len(value) > MAX_DECIMAL_DIGITS:
        raise InputError(
            source, field, f"a decimal of {len(value)} digits (at most {MAX_DECIMAL_DIGITS})"
        )
    return int(value)


def signed_decimal_string(value: Any, source: str, field: str) -> int:
    """An integer, negative ones with a leading ``-``, written as a JSON string in its one
    canonical form (no leading zero, no ``-0``), at most ``MAX_DECIMAL_DIGITS`` digits.

    >>> signed_decimal_string("-42", "x.json", "rows[0][1]")
    -42
    """
    body = value[1:] if isinstance(value, str) and value.startswith("-") else value
    n = decimal_string(body, source, field)
    if (len(body) > 1 and body[0] == "0") or value == "-0":
        raise InputError(source, field, f"not in canonical form: {value!r}")
    return -n if body is not value else n


_CHUNK = 1 << 20


def read_limited(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, or one :class:`InputError` (missing, unreadable, a folder, too large)."""
    file = str(path)
    try:
        with open(path, "rb") as fh:
            # in chunks: read(max_bytes + 1) would allocate the whole cap up front
            chunks, size = [], 0
            while size <= max_bytes:
                chunk = fh.read(min(_CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
    except IsADirectoryError:
        raise InputError(file, "", "is a folder, not a file") from None
    except FileNotFoundError:
        raise InputError(file, "", "no such file") from None
    except OSError as err:
        raise InputError(file, "", f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise InputError(file, "", f"larger than {max_bytes:,} bytes")
    return data


def load_json(path: str | Path, max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse a JSON file strictly (see the module docstring)."""
    return parse_json(read_limited(path, max_bytes), str(path))


def load_json_text(path: str | Path, max_bytes: int = MAX_BYTES) -> tuple[Any, str]:
    """:func:`load_json`, also returning the decoded text (for errors naming a field's line)."""
    data = read_limited(path, max_bytes)
    doc = parse_json(data, str(path))
    return doc, data.decode("utf-8")
