"""Single-account circuits: one account of a published report, proven on its own.

* ``statement.py``: the statement of a single-account proof and its hash (its one public input);
* ``base.py``: :class:`~zkmargin.account_circuits.base.SingleAccount`, the account, its Merkle
  path to the report's root and the statement, put before a health circuit;
* ``notice.py``: a margin call or liquidation was due (the account is in that state);
* ``attestation.py``: the account is healthy, or has at least a given excess.
"""
