"""Margin-call notice: one account of a report's tree is in margin call or in liquidation.

A single-account circuit over the ``health`` circuit's encoding (same table and market vector,
same leaf), so a notice checks against a report proven with ``health`` of the same shape. It
proves (:class:`zkmargin.batch.notice.NoticeStatement`):

* the account's slots, balances and table rows as ``health`` does (``account/...``), and its
  leaf from its commitment ``account`` (the pseudonym), salt, slots and balances
  (``account/leaf/...``);
* the leaf is in the tree of root ``root`` at depth ``depth``: a path of up to
  :attr:`Notice.MAX_DEPTH` levels (``path/level[h]/...``: ``bit/boolean``, ``swap``, the node
  hash, ``step``) of which the first ``depth`` are used (``path/active[h]/boolean``,
  ``path/active[h]/ordered``, ``path/depth``), ending at ``root`` (``path/root``);
* the health state exactly as ``health`` proves it (``account/health/...``), and that it is not
  healthy (``notice/not_healthy``) and is ``state`` (``notice/state``: 1 margin call, 2
  liquidation);
* ``statement``: the sponge of ``[NOTICE_TAG, root, depth, table_root, market_hash,
  circuit_id, epoch, account, state]`` equals the public input.

The verifier takes ``root``, ``depth``, ``table_root``, ``market_hash`` and ``epoch`` from the
report it checks the notice against, so a notice cannot be moved to another report or market.
"""

from typing import Any, ClassVar

from zkmargin.batch import Shape, load_model_circuit
from zkmargin.batch.encoding import circuit_id
from zkmargin.batch.notice import NOTICE_TAG, NoticeStatement
from zkmargin.circuit import API, LC, Secret
from zkmargin.circuit.gadgets import poseidon_hash, poseidon_sponge
from zkmargin.circuit.gadgets.bits import assert_bool
from zkmargin.margin import Account, Market

Health = load_model_circuit("health")


class Notice(Health):
    name = "notice"
    MAX_DEPTH: ClassVar[int] = 24
    """Deepest account tree a notice proves a path in (2^24 leaves); part of the circuit id."""

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
        super().__init__(market, batch_size, shape=shape, **params)
        if self.batch_size != 1:
            raise ValueError("a notice proves one account: batch size 1")
        self.circuit_id = circuit_id(
            f"{self.circuit_name()}/{self.MAX_DEPTH}", 1, self.shape.encoding()
        )
        del self.first_index, self.count, self.previous  # a batch's, not a notice's
        self.root = Secret()
        self.depth_used = Secret()
        self.path_bits = Secret(self.MAX_DEPTH)
        self.siblings = Secret(self.MAX_DEPTH)
        self.state = Secret()

    @classmethod
    def shape_for(cls, market: Market, batch_size: int, **params: Any) -> Shape:
        return super().shape_for(market, 1, **params)

    def define(self, api: API) -> None:
        vector, m_hash, table_root = self.market_wires(api)
        with api.namespace("account"):
            acct = self._account(api, 0, table_root)
            with api.namespace("leaf"):
                leaf = self.leaf_wire(api, 0, acct)
            collateral, requirement = self.account_figures(api, acct, vector)
            healthy, margin_call, liquidation, _ = self.account_totals(
                api, acct, vector, api.constant(1), collateral, requirement
            )
        with api.namespace("path"):
            self._path(api, leaf)
        with api.namespace("notice"):
            api.assert_equal(healthy.lc, 0, name="not_healthy")
            api.assert_equal(margin_call.lc + 2 * liquidation.lc, self.state, name="state")
        with api.namespace("statement_hash"):
            digest = poseidon_sponge(
                api,
                [
                    NOTICE_TAG,
                    self.root,
                    self.depth_used,
                    table_root,
                    m_hash,
                    self.circuit_id,
                    self.epoch,
                    self.account[0],
                    self.state,
                ],
            )
        self.trace.update(market_hash=m_hash, leaves=[leaf], statement_hash=digest)
        api.assert_equal(digest, self.statement, name="statement")

    def _path(self, api: API, leaf: LC) -> None:
        """``leaf`` up the first ``depth_used`` levels to ``root`` (the module docstring)."""
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

    @classmethod
    def notice_inputs(
        cls,
        market: Market,
        shape: Shape,
        account: Account,
        leaf_key: tuple[int, int],
        path: tuple[int, list[int]],
        root: int,
        epoch: int,
    ) -> tuple[dict[str, Any], NoticeStatement]:
        """Inputs for ``compiled.solve`` and the notice they prove, from the reference
        calculator: ``leaf_key`` = (secret, salt) of the account's leaf, ``path`` = (its slot in
        the tree, the siblings up to ``root``). The state is the calculator's; for a healthy
        account the inputs are built all the same (the circuit refuses them:
        ``notice/not_healthy``)."""
        secret, salt = leaf_key
        slot, siblings = path
        depth = len(siblings)
        if depth > cls.MAX_DEPTH:
            raise ValueError(
                f"the account tree has depth {depth}, a notice at most {cls.MAX_DEPTH}"
            )
        inputs, _ = cls.witness_inputs(
            market, [account], [salt], 0, epoch, shape=shape, secrets=[secret]
        )
        for batch_only in ("first_index", "count", "previous", "statement"):
            del inputs[batch_only]
        _, _, result = cls.reference_figures(market, [account])
        state = int(result.health[0])
        data = cls.market_data(market, shape)
        statement = NoticeStatement(
            root=root,
            depth=depth,
            table_root=data.table_root,
            market_hash=data.vector.hash(),
            circuit_id=circuit_id(f"{cls.circuit_name()}/{cls.MAX_DEPTH}", 1, shape.encoding()),
            epoch=epoch,
            account=inputs["account"][0],
            state=state,
        )
        pad = cls.MAX_DEPTH - depth
        inputs.update(
            statement=statement.hash(),
            root=root,
            depth_used=depth,
            path_bits=[(slot >> h) & 1 for h in range(depth)] + [0] * pad,
            siblings=list(siblings) + [0] * pad,
            state=state,
        )
        return inputs, statement
