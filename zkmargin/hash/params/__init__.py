"""Committed results of the slow Poseidon MDS checks (see :mod:`zkmargin.hash.poseidon_constants`)."""
