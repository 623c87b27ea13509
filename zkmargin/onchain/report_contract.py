"""The report-level contract: verifies one batch against its statement fields and records a
snapshot as proven once all its batches are in (``zkmargin export-contract KEYS/ OUT.sol``).

The contract takes the statement fields themselves (``Statement.fields()`` order) and how it
binds them to the proof follows the keys' shape field ``statement``:

* ``fields``: the fields are the proof's public inputs, so the contract verifies the proof
  against them (a changed field fails the proof). Each public input costs an ecMul (6,000
  gas), so the inputs whose values are known before a batch arrives are folded into the key's
  constant point: ``circuit_id`` and ``circuit_digest`` (constants of the circuit) when the
  contract is generated, the epoch, table root, market hash and ``previous`` (the chain hash
  of the report before) once per snapshot in ``commitSnapshot``; a batch then pays for its own
  fields only. About 1.25× a one-input
  verification.
* ``hash``: the proof's one public input is the statement hash, so the contract checks each
  field is below ``r``, hashes them in Solidity (:mod:`zkmargin.onchain.statement_hash`) and
  verifies the proof against that hash. About 6.4× a verification (the hash is a width-17
  Poseidon permutation): for keys that cannot be set up again, such as a ceremony's.

Which field sits where is read from :class:`zkmargin.batch.Statement` when the contract is
generated, so fields added to the statement flow through. The two designs are measured in
``docs/decisions.md``; what the contract lets one conclude is in ``docs/onchain.md``.

>>> from zkmargin.curve import curve_by_name
>>> bn = curve_by_name("bn128")  # a well-formed, meaningless key: generators for every point
>>> text = report_contract(VerifyingKey("bn128", 1, bn.g1, bn.g2, bn.g2, bn.g2, (bn.g1,) * 2), 2)
>>> "uint256 internal constant F_EPOCH = 5;" in text, "function statementHash(" in text
(True, True)
>>> vk = VerifyingKey("bn128", 12, bn.g1, bn.g2, bn.g2, bn.g2, (bn.g1,) * 13)
>>> text = report_contract(vk, 2, "fields", circuit=(5, 6))
>>> "N_FIELDS = 12;" in text, "CIRCUIT_ID = 5;" in text, "function statementHash(" in text
(True, True, False)
"""

from __future__ import annotations

from pathlib import Path

from zkmargin.batch import load_model_circuit
from zkmargin.batch.statement import STATEMENT_MODES, Statement
from zkmargin.curve import curve_by_name
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey, read_verification_key
from zkmargin.onchain.statement_binding import CIRCUIT_FIELDS, fields_design, hash_design
from zkmargin.onchain.verifier import PRAGMA, key_constants, require_evm_curve
from zkmargin.solvency import layout
from zkmargin.solvency.keys import read_key_info

# The statement fields the contract reads by name; any others are verified and logged only.
USED_FIELDS = (
    "batch_root",
    "table_root",
    "market_hash",
    "epoch",
    "first_index",
    "count",
    "total_collateral",
    "total_requirement",
    "previous",
)


def scalar_fields() -> list[str]:
    """The statement's single-valued fields, in hashing order (its lists come after them)."""
    return Statement.names(assets=0, n_extra=0)


def export_report_contract(keys: str | Path) -> tuple[str, str]:
    """The contract for a keys folder (``circuit.json`` and ``verification_key.json``) and the
    keys' statement mode (``hash`` or ``fields``, module docstring). For ``fields`` the circuit
    is compiled once, for its digest."""
    keys = Path(keys)
    info = read_key_info(keys)
    vk_path = keys / layout.VKEY
    vk = read_verification_key(vk_path)
    require_evm_curve(vk.curve, str(vk_path))
    mode = info.shape.statement
    expected = info.public_count
    if vk.n_public != expected:
        what = "the statement hash" if mode == "hash" else "the statement's fields"
        raise InputError(
            str(vk_path), "nPublic", f"expected {expected} ({what}), got {vk.n_public}"
        )
    if mode == "hash":
        return report_contract(vk, info.batch_size), mode
    from zkmargin.solvency.verifier import circuit_digest

    cls = load_model_circuit(info.circuit)
    circuit = (cls(shape=info.shape).circuit_id, circuit_digest(cls, info.shape))
    return report_contract(vk, info.batch_size, mode, circuit=circuit), mode


def report_contract(
    vk: VerifyingKey, batch_size: int, mode: str = "hash", circuit: tuple[int, int] = (0, 0)
) -> str:
    """The Solidity source of the report-level contract for ``vk``, ``batch_size`` and the
    statement ``mode`` of the keys (module docstring); ``circuit``: the circuit's id and digest
    (the fields design folds them into the key)."""
    require_evm_curve(vk.curve, "verification key")
    if mode not in STATEMENT_MODES:
        raise ValueError(f"statement mode {mode!r} is not one of {', '.join(STATEMENT_MODES)}")
    scalars = scalar_fields()
    missing = [n for n in (*USED_FIELDS, *CIRCUIT_FIELDS) if n not in scalars]
    if missing:
        raise ValueError(f"the statement has no field(s) {missing}: update USED_FIELDS")
    if mode == "fields" and vk.n_public < len(scalars):
        raise ValueError(f"a key of {vk.n_public} public inputs holds no statement's fields")
    curve = curve_by_name(vk.curve)
    positions = "\n".join(
        f"    uint256 internal constant F_{name.upper()} = {i};" for i, name in enumerate(scalars)
    )
    parts = fields_design(vk, scalars, circuit) if mode == "fields" else hash_design(scalars)
    consts = "\n".join(f"    {line}" for line in key_constants(vk))
    return f"""// SPDX-License-Identifier: Apache-2.0
// zkmargin snapshots proven on chain, batch by batch; generated by `zkmargin export-contract`.
// {parts["how"]}
{PRAGMA}

contract ZkmarginSnapshots {{
    uint256 internal constant R = {curve.fr.p};
    uint256 internal constant Q = {curve.q};

    /// Accounts per batch proof (every batch but a snapshot's last is full).
    uint256 public constant BATCH_SIZE = {batch_size};

    // Positions of the statement's fields in `fields` ({", ".join(scalars)}, then the
    // per-asset totals and the circuit's own totals).
{positions}
{parts["constants"]}

    // Verifying key of the batch circuit; G2 coordinates imaginary part first.
{consts}

    struct Snapshot {{
        uint256 tableRoot; // the instrument table's root: 0 for a circuit that reads none
        uint256 marketHash;
        uint256 previous; // the chain hash of the report this snapshot follows: 0 for none
        uint64 accounts; // accounts proven in the snapshot, padding included
        uint64 provenAccounts; // the next batch's first_index
        uint64 batches;
        bool proven;
        // one slot, written at commit: a batch never pays for a first write to storage
        uint120 totalCollateral;
        uint120 totalRequirement;
        bool committed;
{parts["snapshot"]}    }}

    /// Who may commit snapshots: the deployer (the exchange).
    address public immutable owner;
    /// Snapshots by epoch.
    mapping(uint256 => Snapshot) public snapshots;

    event SnapshotCommitted(
        uint256 indexed epoch,
        uint256 tableRoot,
        uint256 marketHash,
        uint256 previous,
        uint256 accounts
    );
    event BatchProven(
        uint256 indexed epoch, uint256 indexed batch, uint256 batchRoot, uint256[] fields
    );
    event SnapshotProven(
        uint256 indexed epoch, uint256 batches, uint256 totalCollateral, uint256 totalRequirement
    );

    error NotOwner();
    error EpochTaken(uint256 epoch);
    error NoAccounts();
    error UnknownSnapshot(uint256 epoch);
    error AlreadyProven(uint256 epoch);
{parts["errors"]}
    error NotAFieldElement(uint256 index);
    error WrongTable(uint256 expected, uint256 got);
    error WrongMarket(uint256 expected, uint256 got);
    error WrongPrevious(uint256 expected, uint256 got);
    error WrongFirstIndex(uint256 expected, uint256 got);
    error WrongCount(uint256 count);
    error TotalsOverflow();
    error InvalidProof();

    constructor() {{
        owner = msg.sender;
    }}

    /// The exchange announces a snapshot: its epoch, instrument table root, market hash, the
    /// chain hash of the report it follows (0: none) and number of accounts proven. One set of
    /// keys proves many tables: the root pins this one.
    function commitSnapshot(
        uint256 epoch,
        uint256 tableRoot,
        uint256 marketHash,
        uint256 previous,
        uint64 accounts
    ) external {{
        if (msg.sender != owner) revert NotOwner();
        if (snapshots[epoch].accounts != 0) revert EpochTaken(epoch);
        if (accounts == 0) revert NoAccounts();
{parts["commit"]}        Snapshot storage s = snapshots[epoch];
        s.tableRoot = tableRoot;
        s.marketHash = marketHash;
        s.previous = previous;
        s.accounts = accounts;
        s.committed = true;
{parts["commit_store"]}        emit SnapshotCommitted(epoch, tableRoot, marketHash, previous, accounts);
    }}

    /// Verify one batch (anyone may send it): its statement `fields` and Groth16 proof. Batches
    /// go in order; the snapshot is proven when they cover all its accounts. Reverts on any
    /// refusal, so nothing is recorded for a batch that does not verify.
    function proveBatch(
        uint256[] calldata fields,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) external {{
{parts["prove"]}
        if (fields[F_FIRST_INDEX] != s.provenAccounts) {{
            revert WrongFirstIndex(s.provenAccounts, fields[F_FIRST_INDEX]);
        }}
        uint256 count = fields[F_COUNT];
        uint256 end = s.provenAccounts + count;
        if (count == 0 || count > BATCH_SIZE || end > s.accounts) revert WrongCount(count);
        if (count < BATCH_SIZE && end != s.accounts) revert WrongCount(count);

        uint256 collateral = s.totalCollateral + fields[F_TOTAL_COLLATERAL];
        uint256 requirement = s.totalRequirement + fields[F_TOTAL_REQUIREMENT];
        if (collateral > type(uint120).max || requirement > type(uint120).max) {{
            revert TotalsOverflow();
        }}
        s.provenAccounts = uint64(end);
        s.totalCollateral = uint120(collateral);
        s.totalRequirement = uint120(requirement);
        emit BatchProven(epoch, s.batches, fields[F_BATCH_ROOT], fields);
        s.batches += 1;
        if (end == s.accounts) {{
            s.proven = true;
            emit SnapshotProven(epoch, s.batches, collateral, requirement);
        }}
    }}

    /// Whether the snapshot of `epoch` has every batch proven.
    function isProven(uint256 epoch) external view returns (bool) {{
        return snapshots[epoch].proven;
    }}
{parts["functions"]}}}
"""
