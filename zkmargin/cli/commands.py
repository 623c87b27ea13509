"""Registry of the CLI's command modules: add one line per command module."""

from __future__ import annotations

# Each line imports a module that registers its command(s) on ``zkmargin.cli.main``.
# (One line each so parallel work on different commands does not collide.)
from zkmargin.cli import groth16  # noqa: F401  zkmargin groth16 prove|verify|setup|export-vk
from zkmargin.cli import inspect_cmd  # noqa: F401  zkmargin inspect
from zkmargin.cli import calc  # noqa: F401  zkmargin calc
from zkmargin.cli import demo  # noqa: F401  zkmargin demo
from zkmargin.cli import setup_cmd  # noqa: F401  zkmargin setup
from zkmargin.cli import prove_cmd  # noqa: F401  zkmargin prove
from zkmargin.cli import verify_cmd  # noqa: F401  zkmargin verify|verify-inclusion
from zkmargin.cli import zkey  # noqa: F401  zkmargin zkey (the group; subcommands register on it)
from zkmargin.cli import onchain  # noqa: F401  zkmargin zkey export solidityverifier|soliditycalldata, export-contract
from zkmargin.cli import publish_check  # noqa: F401  zkmargin publish-check
from zkmargin.cli import site  # noqa: F401  zkmargin site|serve
from zkmargin.cli import powersoftau  # noqa: F401  zkmargin powersoftau new|contribute|beacon|prepare phase2|verify
from zkmargin.cli import zkey_ceremony  # noqa: F401  zkmargin zkey contribute|beacon|verify|export verificationkey
from zkmargin.cli import keys_cmd  # noqa: F401  zkmargin keys fingerprint
from zkmargin.cli import audit  # noqa: F401  zkmargin audit-market
from zkmargin.cli import chain  # noqa: F401  zkmargin verify-chain
from zkmargin.cli import notices  # noqa: F401  zkmargin call|liquidate|verify-notice
from zkmargin.cli import attestations  # noqa: F401  zkmargin attest|verify-attestation
