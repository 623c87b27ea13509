"""What a batch circuit proves, in one sentence: the claim a report states and a verifier prints.

Built from the circuit's :attr:`~zkmargin.batch.BatchCircuit.claim_text` and the market's model
section (model, level, buffer), so the words follow what the circuit checks and what the
market hash binds: a verifier recomputes the sentence of a built-in circuit rather than
trusting the report's.

>>> from zkmargin.batch import load_model_circuit
>>> from zkmargin.margin import parse_market
>>> market = parse_market({"epoch": "2026-11-20T08:00:00Z", "assets": {"USDT": {"price": "1"}},
...     "underlyings": {"BTC": {"price": "20000"}},
...     "instruments": {"BTC-PERP": {"kind": "perpetual", "underlying": "BTC",
...                                  "brackets": [["0", "0.005", "0.02"]]}},
...     "model": {"name": "cross", "buffer": "0.1"}})
>>> claim(load_model_circuit("cross"), market, 270)
'each of 270 accounts meets its maintenance margin plus a 10% buffer under the cross model'
>>> claim(load_model_circuit("cross"), market, None)
'each proven account (their number is hidden) meets its maintenance margin plus a 10% buffer under the cross model'
"""

from __future__ import annotations

from zkmargin.batch.base import BatchCircuit
from zkmargin.margin.domain import Market
from zkmargin.margin.fixed import RATE_SCALE, format_decimal


def claim(cls: type[BatchCircuit], market: Market, accounts: int | None) -> str:
    """The sentence for ``accounts`` accounts (``None``: their number is hidden)."""
    buffer = market.model.buffer
    percent = format_decimal(buffer * 100, RATE_SCALE)
    text = cls.claim_text.format(
        level=market.model.level,
        buffer=f" plus a {percent}% buffer" if buffer else "",
        model=cls.model,
    )
    if accounts is None:
        who = "each proven account (their number is hidden)"
    else:
        who = f"each of {accounts} account{'s' if accounts != 1 else ''}"
    return f"{who} {text}"
