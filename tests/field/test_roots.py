"""Roots of unity: the facts that define them, and equality with ffjavascript's own values."""

from __future__ import annotations

import json

import pytest
from interop import run_tool, tool

from zkmargin.field import (
    BLS12_381_FR,
    BN254_FR,
    PrimeField,
    coset_shift,
    nqr,
    root_of_unity,
    roots_of_unity,
    two_adicity,
)

FIELDS = [BN254_FR, BLS12_381_FR]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_root_facts(field: PrimeField) -> None:
    p, s = field.p, two_adicity(field)
    assert (p - 1) % 2**s == 0 and ((p - 1) >> s) % 2 == 1
    assert pow(nqr(field), (p - 1) // 2, p) == p - 1
    assert all(pow(k, (p - 1) // 2, p) == 1 for k in range(2, nqr(field)))  # the smallest one
    w = roots_of_unity(field)
    assert len(w) == s + 1 and w[0] == 1 and w[1] == p - 1
    for k in (1, 5, s):
        assert pow(w[k], 2**k, p) == 1 and pow(w[k], 2 ** (k - 1), p) == p - 1  # primitive
    assert coset_shift(field, 3) == w[4]
    assert coset_shift(field, s) == nqr(field) ** 2 % p
    with pytest.raises(ValueError, match="roots of unity of order up to"):
        root_of_unity(field, s + 1)


def test_known_values() -> None:
    assert (nqr(BN254_FR), two_adicity(BN254_FR)) == (5, 28)
    assert (nqr(BLS12_381_FR), two_adicity(BLS12_381_FR)) == (5, 32)


FFJS_ROOTS = """
const ff = require(%s);
(async () => {
  const curve = await ff.getCurveFromName(process.argv[2], true);
  const Fr = curve.Fr;
  console.log(JSON.stringify({nqr: Fr.toString(Fr.nqr), s: Fr.s, shift: Fr.toString(Fr.shift),
                              w: Fr.w.map((x) => Fr.toString(x))}));
  await curve.terminate();
})();
"""


@pytest.mark.interop
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_roots_equal_ffjavascript(field: PrimeField, node_modules, tmp_path) -> None:
    script = tmp_path / "roots.js"
    script.write_text(FFJS_ROOTS % json.dumps(str(node_modules / "ffjavascript")))
    out = json.loads(run_tool(tool("node"), str(script), field.name, cwd=tmp_path).stdout)
    assert int(out["nqr"]) == nqr(field)
    assert out["s"] == two_adicity(field)
    assert int(out["shift"]) == coset_shift(field, two_adicity(field))
    assert [int(v) for v in out["w"]] == list(roots_of_unity(field))
