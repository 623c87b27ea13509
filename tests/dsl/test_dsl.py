"""The DSL core: compiling, solving, checking, naming, forging and statistics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl import (
    API,
    Circuit,
    Public,
    Secret,
    SolveError,
    UnsatisfiedConstraint,
    WitnessShapeError,
    check,
    compile_circuit,
)
from zkmargin.field import BLS12_381_FR, BN254_FR

FIELDS = [BN254_FR, BLS12_381_FR]


class Dot(Circuit):
    """Public y = Σ x_i · k_i over secret vectors, with the products in a namespace."""

    def __init__(self, n: int) -> None:
        self.y = Public()
        self.xs = Secret(n)
        self.ks = Secret(n)

    def define(self, api: API) -> None:
        total = api.constant(0)
        for i, (x, k) in enumerate(zip(self.xs, self.ks, strict=True)):
            with api.namespace(f"term[{i}]"):
                total = total + api.mul(x, k, name="x_times_k")
        api.assert_equal(total, self.y, name="dot")


class InverseOf(Circuit):
    def __init__(self) -> None:
        self.x = Secret()

    def define(self, api: API) -> None:
        inv = api.inverse(self.x)
        api.assert_equal(inv * self.x, 1, name="roundtrip")


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_compile_layout_and_solve(field):
    c = compile_circuit(Dot(3), field)
    r = c.r1cs
    assert (r.n_pub_out, r.n_pub_in, r.n_prv_in) == (0, 1, 6)
    assert r.n_wires == 1 + 1 + 6 + 3  # one, y, xs, ks, three products
    assert r.n_constraints == 4
    w = c.solve({"y": 1 * 4 + 2 * 5 + 3 * 6, "xs": [1, 2, 3], "ks": [4, 5, 6]})
    check(r, w)
    assert c.public_values(w) == [32]
    assert [s.name for s in c.inputs] == ["y", "xs", "ks"]
    assert c.inputs[1].wires == [2, 3, 4]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@given(data=st.data())
def test_random_dot_products(field, data):
    n = data.draw(st.integers(1, 6))
    xs = data.draw(st.lists(st.integers(-(2**70), 2**70), min_size=n, max_size=n))
    ks = data.draw(st.lists(st.integers(0, field.p - 1), min_size=n, max_size=n))
    c = compile_circuit(Dot(n), field)
    y = sum(x * k for x, k in zip(xs, ks, strict=True)) % field.p
    check(c.r1cs, c.solve({"y": y, "xs": xs, "ks": ks}))
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(c.r1cs, c.solve({"y": y + 1, "xs": xs, "ks": ks}))
    assert err.value.name == "dot"


def test_forged_product_names_its_constraint():
    c = compile_circuit(Dot(2))
    honest = {"y": 2 * 3 + 4 * 5, "xs": [2, 4], "ks": [3, 5]}
    product_wire = c.r1cs.wire_names.index("term[1]/x_times_k")
    # Forge the product and balance the public sum so only the product constraint breaks.
    forged = c.solve({**honest, "y": honest["y"] + 1}, forge={product_wire: 21})
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(c.r1cs, forged)
    assert err.value.name == "term[1]/x_times_k"
    assert err.value.index == 1


def test_inverse_and_zero():
    c = compile_circuit(InverseOf())
    check(c.r1cs, c.solve({"x": 7}))
    with pytest.raises(SolveError, match="inverse"):
        c.solve({"x": 0})
    inv_wire = c.r1cs.wire_names.index("inverse")
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(c.r1cs, c.solve({"x": 7}, forge={inv_wire: 5}))
    assert err.value.name == "inverse"


def test_free_operations_make_no_constraints():
    class Linear(Circuit):
        def __init__(self) -> None:
            self.a = Secret()
            self.b = Secret()

        def define(self, api: API) -> None:
            x = 3 * self.a - self.b + 7
            y = api.mul(x, 5) - api.mul(2, self.b)
            assert y.terms == (15 * self.a - 7 * self.b + 35).terms
            api.assert_equal(y, 228, name="linear")

    c = compile_circuit(Linear())
    assert c.r1cs.n_constraints == 1
    assert c.r1cs.n_wires == 3
    check(c.r1cs, c.solve({"a": 11, "b": -4}))


def test_hint_outputs_and_errors():
    class Split(Circuit):
        def __init__(self) -> None:
            self.x = Secret()

        def define(self, api: API) -> None:
            hi, lo = api.hint(lambda v: divmod(v, 16), self.x, n_out=2, name="split")
            api.assert_equal(hi * 16 + lo, self.x, name="recompose")

    c = compile_circuit(Split())
    w = c.solve({"x": 0x53})
    check(c.r1cs, w)
    assert w[2:4] == [5, 3]

    class Bad(Circuit):
        def __init__(self) -> None:
            self.x = Secret()

        def define(self, api: API) -> None:
            api.hint(lambda v: (v, v), self.x, n_out=1, name="bad")

    with pytest.raises(SolveError, match="'bad' returned 2 values"):
        compile_circuit(Bad()).solve({"x": 1})


def test_input_validation():
    c = compile_circuit(Dot(2))
    with pytest.raises(SolveError, match="'ks' is missing"):
        c.solve({"y": 0, "xs": [0, 0]})
    with pytest.raises(SolveError, match="unknown input"):
        c.solve({"y": 0, "xs": [0, 0], "ks": [0, 0], "zz": 1})
    with pytest.raises(SolveError, match="expected 2 items"):
        c.solve({"y": 0, "xs": [0], "ks": [0, 0]})
    with pytest.raises(SolveError, match="expected an int"):
        c.solve({"y": "1", "xs": [0, 0], "ks": [0, 0]})


def test_check_rejects_malformed_witnesses():
    c = compile_circuit(Dot(1))
    w = c.solve({"y": 6, "xs": [2], "ks": [3]})
    with pytest.raises(WitnessShapeError, match="values"):
        check(c.r1cs, w[:-1])
    with pytest.raises(WitnessShapeError, match="constant 1"):
        check(c.r1cs, [0, *w[1:]])
    # A value >= p is not a field element, even if it is congruent to a satisfying one.
    with pytest.raises(WitnessShapeError, match=r"outside \[0, p\)"):
        check(c.r1cs, [w[0], w[1] + c.r1cs.prime, *w[2:]])


def test_truthiness_and_foreign_lcs_are_errors():
    class Branchy(Circuit):
        def __init__(self) -> None:
            self.x = Secret()

        def define(self, api: API) -> None:
            if self.x:  # a symbolic value has no truth value
                pass

    with pytest.raises(TypeError, match="truth value"):
        compile_circuit(Branchy())

    other = API(BN254_FR)
    stray = other.new_wire("x")

    class Mixer(Circuit):
        def __init__(self) -> None:
            self.x = Secret()

        def define(self, api: API) -> None:
            api.assert_equal(self.x, stray)

    with pytest.raises(ValueError, match="another circuit"):
        compile_circuit(Mixer())


def test_stats_group_by_namespace():
    c = compile_circuit(Dot(3))
    rows = {r.namespace: (r.constraints, r.wires) for r in c.stats()}
    assert rows["<total>"] == (4, 10)
    assert rows["term[*]"] == (3, 3)
    detailed = {r.namespace: r.constraints for r in c.stats(collapse_indices=False)}
    assert detailed["term[0]"] == detailed["term[2]"] == 1
    assert {r.namespace for r in c.stats(depth=0)} == {"<total>"}
