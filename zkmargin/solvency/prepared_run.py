"""Pass 1 of ``zkmargin prove`` (:mod:`zkmargin.solvency.prover`): every check that needs no
write — folders, options, market, keys, the model's fit, the previous report, the account key —
and the scan of the accounts, giving a :class:`PreparedRun`.  A refusal here writes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from zkmargin.curve import available_backends
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey
from zkmargin.groth16 import verifying_key
from zkmargin.groth16.key_checks import key_defect
from zkmargin.margin import Market, load_market
from zkmargin.solvency import layout
from zkmargin.solvency.batch_jobs import ProvingError
from zkmargin.solvency.batch_model import BatchModel, batch_model, check_market_model
from zkmargin.solvency.batch_plan import padded_count, scan_accounts
from zkmargin.solvency.claim_keys import fingerprints, read_claim_keys
from zkmargin.solvency.keys import Keys, check_shape, load_keys
from zkmargin.solvency.prove_request import ProveOptions, Snapshot, UnderMargined
from zkmargin.solvency.report_parts import Excluded
from zkmargin.solvency.seeding import load_account_key
from zkmargin.solvency.staging import check_destination, check_private, partial_folder


@dataclass
class PreparedRun:
    """A run checked and scanned, before anything is written."""

    snapshot: Snapshot
    options: ProveOptions
    out: Path
    private: Path
    keys: Keys
    model: BatchModel
    vk: VerifyingKey
    accounts_hash: str
    previous: int
    account_key: bytes | None
    real: int
    short: list[Excluded]
    total: int
    claim_vks: dict[str, VerifyingKey]

    @property
    def partial(self) -> Path:
        return partial_folder(self.out)

    @property
    def market_path(self) -> Path:
        return Path(self.snapshot.market)

    @property
    def n_batches(self) -> int:
        return -(-self.total // self.keys.info.batch_size)

    def fingerprint(self) -> dict[str, object]:
        """What must match for a partial run to be resumed (:mod:`zkmargin.solvency.ledger`)."""
        return {
            "accounts": self.accounts_hash,
            "market": sha256_file(self.market_path),
            "proving_key": sha256_file(self.keys.folder / layout.ZKEY),
            "circuit": self.keys.info.circuit,
            "batch_size": self.keys.info.batch_size,
            "accounts_proven": self.total,
            "allow_shortfall": self.options.allow_shortfall,
            "previous": str(self.previous),
            "claim_keys": fingerprints(self.claim_vks),
        }


def prepare_run(snapshot: Snapshot, out: str | Path, options: ProveOptions) -> PreparedRun:
    """Every check that needs no write: folders, options, market, keys, the model's fit, the
    previous report, the account key, and the scan of the accounts (pass 1)."""
    out = check_destination(out)
    private = check_private(out, options.private)
    check_options(options.workers, options.backend, options.seed)
    market = load_market(Path(snapshot.market))
    keys = snapshot.keys if isinstance(snapshot.keys, Keys) else load_keys(snapshot.keys)
    model = batch_model(keys.info.circuit, market, keys.info.shape)
    check_market_model(model)
    check_shape(keys, model)
    vk = checked_key(keys)
    accounts_hash = sha256_file(Path(snapshot.accounts))
    linked = previous_link(snapshot.previous, market) if snapshot.previous is not None else 0
    claim_vks = read_claim_keys(options.claim_keys, keys.info.circuit, keys.info.shape)
    # a key given is read first (a bad one writes nothing); the default one lives in the
    # private folder, made later
    key = load_account_key(Path(options.account_key)) if options.account_key is not None else None
    real, short = scan_accounts(model, snapshot.accounts, market)
    if short and (not options.allow_shortfall or real == 0):
        raise UnderMargined(short)
    total = padded_count(real, keys.info.batch_size, options.hide_count, options.pad_to)
    return PreparedRun(
        snapshot, options, out, private, keys, model, vk,
        accounts_hash, linked, key, real, short, total, claim_vks,
    )  # fmt: skip


def checked_key(keys: Keys) -> VerifyingKey:
    """The proving key's verifying key, refused (:class:`ProvingError`) if anyone could forge
    under it: what ``prove`` would publish must be a key ``verify`` accepts."""
    vk = verifying_key(keys.zkey)
    defect = key_defect(vk, n_public=keys.info.public_count)
    if defect is not None:
        raise ProvingError(f"{keys.folder / layout.ZKEY}: its verifying key: {defect}")
    return vk


def previous_link(previous: str | Path, market: Market) -> int:
    """The chain hash of the verified report ``previous``, whose epoch must be before
    ``market``'s; ``InputError`` (``--previous``) otherwise."""
    from zkmargin.solvency.chain import chain_hash
    from zkmargin.solvency.verifier import Invalid, verify_report

    try:
        report = verify_report(previous).report
    except Invalid as err:
        raise InputError("--previous", "", f"{previous} does not verify: {err}") from None
    if report.batches[0].statement.epoch >= market.epoch_seconds:
        raise InputError(
            "--previous", "", f"{previous}'s epoch {report.epoch} is not before the market's"
        )
    return chain_hash(report)


def check_options(workers: int, backend: str | None, seed: int | None) -> None:
    if workers < 1:
        raise InputError("--workers", "", f"must be at least 1, got {workers}")
    if backend is not None and backend not in available_backends():
        raise InputError(
            "--backend", "", f"unknown backend {backend!r}; available: {available_backends()}"
        )
    if seed is not None and seed < 0:
        raise InputError("--seed", "", f"must be >= 0, got {seed}")


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of the file at ``path``; ``InputError`` if there is none."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        raise InputError(str(path), "", "no such file") from None
