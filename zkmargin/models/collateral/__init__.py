"""Collateral value with tiered haircuts (every model's asset side): ``calculator.py``; on its
own, a proof of reserves per account: ``circuit.py``."""
