"""The hooks a margin model implements on :class:`~zkmargin.batch.base.BatchCircuit`, with
their defaults: its table, its requirement, extended leaf values, its own statement totals.

A model circuit (``zkmargin/models/<name>/circuit.py``) sets the class variables and overrides
what it needs; ``docs/circuits.md`` walks through one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from zkmargin.batch.arith import product, rescale_sum, tier_slices
from zkmargin.batch.shape import Shape
from zkmargin.batch.table import Column
from zkmargin.batch.vector import MarketVector
from zkmargin.batch.wires import MONEY_BITS, AccountWires
from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets import Bounded
from zkmargin.margin.domain import Account, Market
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.models.collateral.calculator import BALANCE_PRICE_DIVISOR


class ModelHooks:
    """What a model declares (class variables) and overrides (methods); the defaults prove
    collateral only."""

    model: ClassVar[str] = "collateral"
    name: ClassVar[str] = ""
    shape_fields: ClassVar[tuple[str, ...]] = ()
    proves_cover: ClassVar[bool] = True
    """Whether every account must cover its buffered requirement (``margin/covered``). A
    circuit that reports states instead (``health``) sets it False."""
    statement_extra_names: ClassVar[tuple[str, ...]] = ()
    """Names of the model's own statement totals (:attr:`Statement.extra`), in order."""
    padding_counts: ClassVar[tuple[str, ...]] = ()
    """Those of them that count accounts, padding included: left out of a report whose number
    of accounts is hidden (health's ``healthy``)."""
    claim_text: ClassVar[str] = "meets its {level} margin{buffer} under the {model} model"
    """What the circuit proves of each account (:func:`zkmargin.batch.claims.claim`)."""

    @classmethod
    def table_columns(cls, shape: Shape) -> Sequence[Column]:
        """The per-instrument integers the model reads, as table columns (default: none — the
        circuit then proves no rows and its ``table_root`` is 0)."""
        return ()

    @classmethod
    def table_rows(cls, market: Market, shape: Shape) -> list[list[int]]:
        """One row of :meth:`table_columns` values per listed instrument, in the market's order."""
        return [[] for _ in market.instruments]

    def requirement(self, api: API, account: AccountWires, vector: MarketVector) -> Bounded:
        """The account's requirement at the shape's level (money, ``>= 0``)."""
        raise NotImplementedError

    @classmethod
    def extra_size(cls, shape: Shape) -> int:
        """Per-account values the model adds to the leaf (:meth:`leaf_extra`); default none."""
        return 0

    @classmethod
    def leaf_extra(cls, market: Market, account: Account, shape: Shape) -> list[int]:
        """The account's :meth:`extra_size` leaf values (integers, reference side)."""
        return []

    def check_extra(self, api: API, account: AccountWires, extra: list[LC]) -> list[Bounded]:
        """Range-check the slot's extra inputs (``account[i]/extra/...``); they are hashed into
        the leaf and must be 0 in a padded slot. Must be overridden when :meth:`extra_size` > 0."""
        raise NotImplementedError

    def account_totals(
        self,
        api: API,
        account: AccountWires,
        vector: MarketVector,
        real: LC,
        collateral: Bounded,
        requirement: Bounded,
    ) -> list[Bounded]:
        """The slot's contributions to :attr:`statement_extra_names` (bounded, 0 when padded;
        ``real`` is the slot's 0/1 flag). Default: none."""
        return []

    @classmethod
    def statement_extra(
        cls, market: Market, accounts: Sequence[Account], result: Any
    ) -> tuple[int, ...]:
        """The reference values of :attr:`statement_extra_names` (``result``: the third item of
        :meth:`reference_figures`)."""
        return ()

    @classmethod
    def shortfalls(cls, market: Market, accounts: Sequence[Account]) -> list[int]:
        """Per account, how much money short of what this circuit proves it is (0: provable).

        Default: ``threshold(requirement) − collateral`` when positive (``margin/covered``)."""
        collateral, requirement, _ = cls.reference_figures(market, accounts)
        if not cls.proves_cover:
            return [0] * len(collateral)
        buffer = market.model.buffer
        return [
            max(0, -(-r * (RATE_SCALE + buffer) // RATE_SCALE) - c)
            for c, r in zip(collateral, requirement, strict=True)
        ]

    def account_figures(
        self, api: API, account: AccountWires, vector: MarketVector
    ) -> tuple[Bounded, Bounded]:
        """(collateral value, requirement) of one account; override to change both."""
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, vector)
        with api.namespace("requirement"):
            requirement = self.requirement(api, account, vector)
        return collateral, requirement

    def collateral_value(
        self, api: API, account: AccountWires, vector: MarketVector, *, exact: bool = False
    ) -> Bounded:
        """Σ over assets of the tiered haircut value of ``floor(balance × price / 10^8)``.

        Each asset value is proven exact (``asset[j]/value/...``); the tier terms ``slice ×
        ratio`` of every asset are summed and rescaled once, rounded down (``haircut/...``),
        which a dishonest prover can only move down by a few units. ``exact=True`` proves that
        rescale exact (``haircut/remainder_lt_divisor/...``): for circuits that compare the
        value with thresholds both ways (health).
        """
        terms = []
        for j, (b, price, tiers) in enumerate(
            zip(account.balances, vector.price, vector.tiers, strict=True)
        ):
            with api.namespace(f"asset[{j}]"):
                value = rescale_sum(
                    api,
                    [product(api, b, price, "balance_x_price")],
                    BALANCE_PRICE_DIVISOR,
                    up=False,
                    bits=MONEY_BITS,
                    signed=False,
                    name="value",
                )
                slices = tier_slices(api, value, [t.floor for t in tiers])
                for k, (part, tier) in enumerate(zip(slices, tiers, strict=True)):
                    terms.append(product(api, part, tier.ratio, f"tier[{k}]/x_ratio"))
        return rescale_sum(
            api,
            terms,
            RATE_SCALE,
            up=False,
            bits=MONEY_BITS,
            signed=False,
            name="haircut",
            exact=exact,
        )
