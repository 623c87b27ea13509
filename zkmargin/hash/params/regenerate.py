"""Regenerate ``mds_candidates.json``: run the full MDS security checks for every (field, t).

Usage: ``python -m zkmargin.hash.params.regenerate [--check]`` (``--check`` compares instead of
writing; exit status 1 on a difference). Takes about a minute.
"""

from __future__ import annotations

import json
import sys

from zkmargin.field import BLS12_381_FR, BN254_FR
from zkmargin.hash.poseidon_constants import CANDIDATES_FILE, MAX_T, MIN_T, generate_params

FIELDS = (BN254_FR, BLS12_381_FR)

Candidates = dict[str, dict[str, dict[str, int | str]]]


def candidates_table(t_values: range = range(MIN_T, MAX_T + 1)) -> Candidates:
    """``{field name: {t: {"rejected_mds": k, "sha256": digest}}}`` with the checks run."""
    table: Candidates = {}
    for field in FIELDS:
        for t in t_values:
            params = generate_params(t, field)
            table.setdefault(field.name, {})[str(t)] = {
                "rejected_mds": params.rejected_mds,
                "sha256": params.digest(),
            }
    return table


def render(table: Candidates) -> str:
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = render(candidates_table())
    if "--check" in argv:
        same = CANDIDATES_FILE.read_text() == text
        print("up to date" if same else f"{CANDIDATES_FILE} differs from a fresh run")
        return 0 if same else 1
    CANDIDATES_FILE.write_text(text)
    print(f"wrote {CANDIDATES_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
