"""zkmargin: zero-knowledge margin proofs.

Portfolio margin checks are compiled into R1CS circuits, proven with Groth16 and cross-checked
against a plain reference calculator. See the README for a tour.
"""

__version__ = "0.1.0"
