"""A model circuit compiled for one shape, with the market it proves: the pipeline's view of it.

Wraps :mod:`zkmargin.batch` (the circuits and the reference statement) so the pipeline names
one object: the circuit class, its shape and compiled constraint system, its circuit id, the
market's table and vector for that shape, and the witness of a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zkmargin.batch import BatchCircuit, MarketData, Shape, Statement, load_model_circuit
from zkmargin.batch.digest import compile_with_digest
from zkmargin.dsl import CompiledCircuit, check
from zkmargin.errors import InputError
from zkmargin.limits import MAX_BATCH_SIZE
from zkmargin.margin import Account, Market

if TYPE_CHECKING:
    from zkmargin.dsl.fast_check import FastCheck


@dataclass
class BatchModel:
    """``circuit`` as given (name or path), compiled for ``shape``, proving ``market``."""

    circuit: str
    cls: type[BatchCircuit]
    market: Market
    shape: Shape
    instance: BatchCircuit
    compiled: CompiledCircuit
    _fast_check: FastCheck | None = field(default=None, repr=False, compare=False)

    @property
    def model(self) -> str:
        """The market encoding the circuit consumes (and hashes): ``collateral``, ``cross``..."""
        return self.cls.model

    @property
    def name(self) -> str:
        """The circuit's name as it enters the circuit id."""
        return self.cls.circuit_name()

    @property
    def circuit_id(self) -> int:
        return self.instance.circuit_id

    @property
    def circuit_digest(self) -> int:
        """The digest of the compiled constraint system (:mod:`zkmargin.batch.digest`)."""
        return self.instance.digest_value

    @property
    def batch_size(self) -> int:
        return self.shape.batch_size

    @property
    def market_data(self) -> MarketData:
        """The market's vector and instrument table as this circuit reads them."""
        return self.cls.market_data(self.market, self.shape)

    def figures(self, accounts: Sequence[Account]) -> tuple[list[int], list[int]]:
        """Per account (collateral value, requirement) as the circuit proves them."""
        collateral, requirement, _ = self.cls.reference_figures(self.market, accounts)
        return collateral, requirement

    def witness(
        self,
        accounts: Sequence[Account],
        salts: Sequence[int],
        first_index: int,
        epoch: int,
        secrets: Sequence[int] | None = None,
        previous: int = 0,
    ) -> tuple[list[int], Statement]:
        """The full witness of one batch (padded to the batch size) and its statement;
        ``secrets`` give the accounts' commitments, ``previous`` the chained report's hash."""
        inputs, statement = self.cls.witness_inputs(
            self.market,
            accounts,
            salts,
            first_index,
            epoch,
            shape=self.shape,
            circuit_digest=self.circuit_digest,
            secrets=secrets,
            previous=previous,
        )
        return self.compiled.solve(inputs), statement

    def check(self, witness: Sequence[int], *, fast: bool = True) -> None:
        """:func:`zkmargin.dsl.check` on the batch's system, in the numba kernel when
        ``fast`` (laid out on first use; same errors, 4x quicker on a batch of 16)."""
        if not fast:
            check(self.compiled.r1cs, witness)
            return
        if self._fast_check is None:
            from zkmargin.dsl.fast_check import FastCheck  # numba: only on the fast path

            self._fast_check = FastCheck.of(self.compiled.r1cs)
        self._fast_check(witness)


def check_market_model(model: BatchModel) -> None:
    """Refuse a circuit that does not prove the market's declared model (one line): its claim
    would be read as the market's ("each account meets its margin" from a collateral proof)."""
    declared = model.market.model.name
    if model.model != declared:
        raise InputError(
            model.market.source,
            "model.name",
            f"circuit {model.name} proves the {model.model} model; the market declares {declared}",
        )


def circuit_shape(
    circuit: str, market: Market, batch_size: int, params: dict[str, Any] | None = None
) -> Shape:
    """The shape ``setup`` and ``inspect`` compile ``circuit`` for: inferred from ``market``,
    ``params`` (``-p slots=8 -p instruments=4096``...) overriding; one-line errors."""
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise InputError(
            "--batch-size", "", f"must be from 1 to {MAX_BATCH_SIZE:,}, got {batch_size}"
        )
    cls = load_model_circuit(circuit)
    try:
        return cls.shape_for(market, batch_size, **(params or {}))
    except InputError:
        raise
    except (TypeError, ValueError) as err:
        raise InputError("--param", "", str(err)) from None


def batch_model(circuit: str, market: Market, shape: Shape | int) -> BatchModel:
    """Load ``circuit`` (a name in ``circuits/`` or a path), compile it for ``shape`` (a batch
    size: the shape inferred from ``market``) and check that ``market`` fits it and encodes
    (table and vector windows) — before any proving."""
    if isinstance(shape, int):
        shape = circuit_shape(circuit, market, shape)
    cls = load_model_circuit(circuit)
    try:
        cls.market_data(market, shape)
    except InputError:
        raise
    except ValueError as err:
        # e.g. a market value outside the circuit's window
        raise InputError(market.source, "", f"circuit {circuit}: {err}") from None
    instance = cls(shape=shape)
    compiled, _ = compile_with_digest(instance)
    return BatchModel(circuit, cls, market, shape, instance, compiled)
