"""Receipt file names: safe for any id, never shared by two ids (even case-insensitively)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from zkmargin.margin.schema import ACCOUNT_ID
from zkmargin.solvency.layout import id_from_receipt_filename, receipt_filename

SAFE = re.compile(r"~{0,2}[a-z0-9][a-z0-9._-]*\.json")

ids = st.one_of(st.from_regex(ACCOUNT_ID, fullmatch=True), st.text(min_size=1, max_size=300))


@given(ids)
@example("acct-0001")
@example("CON")
@example("con.txt")
@example("a.")
@example("../../etc/passwd")
@example("x" * 300)
def test_names_are_safe_file_names(account_id: str) -> None:
    name = receipt_filename(account_id)
    assert SAFE.fullmatch(name), name
    assert name == name.lower()  # so case-insensitive file systems keep ids apart
    assert len(name.encode()) <= 255
    assert not re.fullmatch(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", name.removesuffix(".json"))


@given(ids)
def test_names_decode_to_their_id(account_id: str) -> None:
    decoded = id_from_receipt_filename(receipt_filename(account_id))
    assert decoded in (account_id, None)
    if len(account_id.encode()) <= 100:
        assert decoded == account_id


@given(ids, ids)
def test_distinct_ids_get_distinct_names(a: str, b: str) -> None:
    if a != b:
        assert receipt_filename(a) != receipt_filename(b)


def test_plain_ids_are_kept_readable() -> None:
    assert receipt_filename("acct-0001") == "acct-0001.json"
    assert receipt_filename("Acct-0001").startswith("~")
    assert receipt_filename("u:1").startswith("~")
