"""Single-account circuits (notices, attestations): one account of a report's tree, its state.

:class:`SingleAccount` is a mixin put before a health circuit (``class Notice(SingleAccount,
Health)``): the same table, market vector, leaf and state logic as the report's circuit, at
batch size 1, with the batch tree and totals replaced by a Merkle path to the report's root:

* ``account/...``: the account's slots, rows, balances and leaf (from its commitment
  ``account``, salt, slots and balances: ``account/leaf/...``), its exact collateral and both
  levels' requirements and states (``account/health/...``);
* ``path/...``: the leaf up to ``root`` through up to :attr:`SingleAccount.MAX_DEPTH` levels,
  the first ``depth_used`` of them used (``path/active[h]/boolean``, ``path/active[h]/ordered``,
  ``path/depth``; per level ``bit/boolean``, ``swap``, the node hash, ``step``; ``path/root``);
* the statement (:mod:`zkmargin.account_circuits.statement`): sponge of ``[TAG, root, depth,
  table_root, market_hash, circuit_id, circuit_digest, epoch, account, claim...]`` equals the
  one public input (always hashed: the shape's ``statement`` must be ``hash``);
* ``circuit_digest``: bound to the digest of this constraint system, as a batch circuit's
  (:mod:`zkmargin.batch.digest`), so a verifier recompiles the circuit and compares.

The subclass proves its claim (:meth:`SingleAccount.claim`) and names its statement class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from zkmargin.account_circuits.statement import AccountStatement
from zkmargin.batch.digest import DIGEST_CONSTRAINT
from zkmargin.batch.encoding import circuit_id
from zkmargin.batch.shape import Shape
from zkmargin.batch.wires import AccountWires
from zkmargin.dsl import API, LC, Secret
from zkmargin.dsl.gadgets import Bounded, poseidon_hash, poseidon_sponge
from zkmargin.dsl.gadgets.bits import assert_bool
from zkmargin.margin.domain import Account, Market

_HASHED = "statement: a single-account circuit hashes its statement (statement=hash only)"


class SingleAccount:
    """Mixin (see the module docstring). Subclasses set :attr:`statement_class` and implement
    :meth:`claim` and :meth:`claim_inputs`."""

    MAX_DEPTH: ClassVar[int] = 24
    """Deepest account tree a path is proven in (2^24 leaves); part of the circuit id."""
    statement_class: ClassVar[type[AccountStatement]] = AccountStatement
    claim_names: ClassVar[tuple[str, ...]] = ()
    """The claim's inputs, in hashing order (the statement class's own fields)."""

    def __init__(
        self,
        market: Market | None = None,
        batch_size: int | None = None,
        *,
        shape: Shape | None = None,
        **params: Any,
    ) -> None:
        if shape is None and market is not None:
            batch_size = 1
        super().__init__(market, batch_size, shape=shape, **params)  # type: ignore[call-arg]
        if self.batch_size != 1:  # type: ignore[attr-defined]
            raise ValueError("a single-account circuit has batch size 1")
        if self.shape.statement != "hash":  # type: ignore[attr-defined]
            raise ValueError(_HASHED)
        self.circuit_id = self.claim_circuit_id(self.shape)  # type: ignore[attr-defined]
        del self.first_index, self.count, self.previous  # a batch's, not an account's
        self.root = Secret()
        self.depth_used = Secret()
        self.path_bits = Secret(self.MAX_DEPTH)
        self.siblings = Secret(self.MAX_DEPTH)
        for name in self.claim_names:
            setattr(self, name, Secret())

    @classmethod
    def shape_for(cls, market: Market, batch_size: int, **params: Any) -> Shape:
        if params.get("statement", "hash") != "hash":
            raise ValueError(_HASHED)
        return super().shape_for(market, 1, **params)  # type: ignore[misc]

    @classmethod
    def claim_circuit_id(cls, shape: Shape) -> int:
        """The circuit id: name, path depth and shape."""
        return circuit_id(f"{cls.circuit_name()}/{cls.MAX_DEPTH}", 1, shape.encoding())  # type: ignore[attr-defined]

    def claim(self, api: API, account: AccountWires, states: list[Bounded]) -> None:
        """Constrain the claim (``account.notes``: ``levels``, ``thresholds``, ``collateral``;
        ``states``: healthy, margin call, liquidation flags)."""
        raise NotImplementedError

    def define(self, api: API) -> None:
        vector, m_hash, table_root = self.market_wires(api)  # type: ignore[attr-defined]
        with api.namespace("account"):
            acct = self._account(api, 0, table_root)  # type: ignore[attr-defined]
            with api.namespace("leaf"):
                leaf = self.leaf_wire(api, 0, acct)  # type: ignore[attr-defined]
            collateral, requirement = self.account_figures(api, acct, vector)  # type: ignore[attr-defined]
            acct.notes["collateral"] = collateral
            states = self.account_totals(  # type: ignore[attr-defined]
                api, acct, vector, api.constant(1), collateral, requirement
            )[:3]
        with api.namespace("path"):
            self._path(api, leaf)
        self.claim(api, acct, states)
        with api.namespace("statement_hash"):
            digest = poseidon_sponge(
                api,
                [
                    self.statement_class.TAG,
                    self.root,
                    self.depth_used,
                    table_root,
                    m_hash,
                    self.circuit_id,
                    self.circuit_digest,  # type: ignore[attr-defined]
                    self.epoch,  # type: ignore[attr-defined]
                    self.account[0],  # type: ignore[attr-defined]
                    *(getattr(self, name) for name in self.claim_names),
                ],
            )
        self.trace.update(market_hash=m_hash, leaves=[leaf], statement_hash=digest)  # type: ignore[attr-defined]
        api.assert_equal(digest, self.statement, name="statement")  # type: ignore[attr-defined]
        api.assert_equal(self.circuit_digest, self.digest_value, name=DIGEST_CONSTRAINT)  # type: ignore[attr-defined]

    def _path(self, api: API, leaf: LC) -> None:
        n = self.MAX_DEPTH
        active = api.hint(
            lambda d: [int(h < d) for h in range(n)], self.depth_used, n_out=n, name="active"
        )
        for h, a in enumerate(active):
            assert_bool(api, a, name=f"active[{h}]/boolean")
            if h:
                api.assert_product(a, 1 - active[h - 1], 0, name=f"active[{h}]/ordered")
        api.assert_equal(sum(active[1:], active[0]), self.depth_used, name="depth")
        node = api.lc(leaf)
        for h in range(n):
            with api.namespace(f"level[{h}]"):
                bit, sibling = self.path_bits[h], api.lc(self.siblings[h])
                assert_bool(api, bit, name="bit/boolean")
                swap = api.mul(bit, sibling - node, name="swap")  # bit 1: the node is the right
                parent = poseidon_hash(api, [node + swap, sibling - swap])
                node = node + api.mul(active[h], parent - node, name="step")
        api.assert_equal(node, self.root, name="root")

    # -- reference side -------------------------------------------------------------------------
    @classmethod
    def claim_inputs(cls, market: Market, account: Account, result: Any, **claim: Any) -> dict:
        """The claim's input values (by :attr:`claim_names`) from the calculator's ``result``
        for the account and the caller's ``claim`` options."""
        raise NotImplementedError

    @classmethod
    def account_inputs(
        cls,
        market: Market,
        shape: Shape,
        account: Account,
        leaf_key: tuple[int, int],
        path: tuple[int, Sequence[int]],
        root: int,
        epoch: int,
        circuit_digest: int = 0,
        **claim: Any,
    ) -> tuple[dict[str, Any], AccountStatement]:
        """Inputs for ``compiled.solve`` and the statement they prove: ``leaf_key`` = (secret,
        salt) of the account's leaf, ``path`` = (its slot in the tree, the siblings up to
        ``root``); ``circuit_digest``: the compiled circuit's :attr:`digest_value`; the claim from
        the reference calculator (:meth:`claim_inputs`). Inputs are
        built even when the claim does not hold: the circuit refuses them."""
        secret, salt = leaf_key
        slot, siblings = path
        depth = len(siblings)
        if depth > cls.MAX_DEPTH:
            raise ValueError(f"the account tree has depth {depth}, at most {cls.MAX_DEPTH}")
        inputs, _ = cls.witness_inputs(  # type: ignore[attr-defined]
            market, [account], [salt], 0, epoch, shape=shape, secrets=[secret],
            circuit_digest=circuit_digest,
        )  # fmt: skip
        for batch_only in ("first_index", "count", "previous", "statement"):
            del inputs[batch_only]
        _, _, result = cls.reference_figures(market, [account])  # type: ignore[attr-defined]
        values = cls.claim_inputs(market, account, result, **claim)
        data = cls.market_data(market, shape)  # type: ignore[attr-defined]
        statement = cls.statement_class(
            root=root,
            depth=depth,
            table_root=data.table_root,
            market_hash=data.vector.hash(),
            circuit_id=cls.claim_circuit_id(shape),
            circuit_digest=circuit_digest,
            epoch=epoch,
            account=inputs["account"][0],
            **values,
        )
        pad = cls.MAX_DEPTH - depth
        inputs.update(
            statement=statement.hash(),
            root=root,
            depth_used=depth,
            path_bits=[(slot >> h) & 1 for h in range(depth)] + [0] * pad,
            siblings=list(siblings) + [0] * pad,
            **values,
        )
        return inputs, statement


__all__ = ["SingleAccount"]
