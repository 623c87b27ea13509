"""The two ways the report contract (:mod:`zkmargin.onchain.report_contract`) binds a batch's
statement fields to its proof, as the Solidity parts each design puts into the contract:
``hash`` (the fields hashed in Solidity, the proof verified against the hash) and ``fields``
(the fields are the proof's public inputs, those known before a batch arrives folded into the
key's constant point).
"""

from __future__ import annotations

from zkmargin.curve import curve_by_name
from zkmargin.formats.snarkjs_json import G1, VerifyingKey
from zkmargin.onchain.statement_hash import statement_hash_function
from zkmargin.onchain.verifier import g1_words, verifier_assembly

# Fields of known value before a batch arrives, folded into the key's constant point (fields
# design): the circuit's constants when the contract is generated, the snapshot's at commit.
CIRCUIT_FIELDS = ("circuit_id", "circuit_digest")
SNAPSHOT_FIELDS = ("epoch", "table_root", "market_hash", "previous")


def check_snapshot(indent: str) -> str:
    lines = [
        "Snapshot storage s = snapshots[epoch];",
        "if (s.accounts == 0) revert UnknownSnapshot(epoch);",
        "if (s.proven) revert AlreadyProven(epoch);",
        "if (fields[F_TABLE_ROOT] != s.tableRoot) revert WrongTable(s.tableRoot, fields[F_TABLE_ROOT]);",
        "if (fields[F_MARKET_HASH] != s.marketHash) revert WrongMarket(s.marketHash, fields[F_MARKET_HASH]);",
        "if (fields[F_PREVIOUS] != s.previous) revert WrongPrevious(s.previous, fields[F_PREVIOUS]);",
    ]
    return "\n".join(indent + line for line in lines)


def hash_design(scalars: list[str]) -> dict[str, str]:
    """The contract's parts when the proof's one public input is the statement hash."""
    verify = "\n".join(f"            {line}" for line in verifier_assembly(["digest"], "ok"))
    return {
        "how": "Statement fields hashed in Solidity, the proof verified against the hash.",
        "constants": f"    uint256 internal constant N_SCALARS = {len(scalars)};",
        "snapshot": "",
        "errors": "    error TooFewFields(uint256 got);",
        "commit": "",
        "commit_store": "",
        "prove": f"""        if (fields.length < N_SCALARS) revert TooFewFields(fields.length);
        for (uint256 i = 0; i < fields.length; i++) {{
            if (fields[i] >= R) revert NotAFieldElement(i);
        }}
        uint256 digest = statementHash(fields);
        if (!verifyDigest(digest, pA, pB, pC)) revert InvalidProof();

        uint256 epoch = fields[F_EPOCH];
{check_snapshot("        ")}""",
        "functions": f"""
    function verifyDigest(
        uint256 digest,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) internal view returns (bool ok) {{
        assembly {{
{verify}
        }}
    }}

{statement_hash_function()}""",
    }


def folded_base(vk: VerifyingKey, known: dict[int, int]) -> G1:
    """``IC0 + Σ v·IC_(i+1)`` over the public inputs ``i`` of known value ``v``."""
    curve = curve_by_name(vk.curve)
    point = vk.ic[0]
    for i, value in known.items():
        point = curve.g1_add(point, curve.g1_mul(vk.ic[i + 1], value))
    return point


def fields_design(vk: VerifyingKey, scalars: list[str], circuit: tuple[int, int]) -> dict[str, str]:
    """The contract's parts when the proof's public inputs are the statement's fields."""
    at = {name: scalars.index(name) for name in (*CIRCUIT_FIELDS, *SNAPSHOT_FIELDS)}
    known = {at[name]: value for name, value in zip(CIRCUIT_FIELDS, circuit, strict=True)}
    base_x, base_y = g1_words(folded_base(vk, known))
    folded = {at[n] for n in (*CIRCUIT_FIELDS, *SNAPSHOT_FIELDS)}
    own = [i for i in range(vk.n_public) if i not in folded]
    verify = verifier_assembly(
        [f"calldataload(add(fields.offset, {32 * i}))" for i in own],
        "ok",
        ic=[i + 1 for i in own],
        base=("baseX", "baseY"),
    )
    # commitSnapshot: the snapshot's point, FOLDED_* plus its epoch, table root, market hash and
    # previous
    fold = ["let m := mload(0x40)", "mstore(m, FOLDED_X)", "mstore(add(m, 32), FOLDED_Y)"]
    fold.append("let ok := 1")
    for name in SNAPSHOT_FIELDS:
        k = at[name] + 1
        fold += [
            f"mstore(add(m, 64), IC{k}_X)",
            f"mstore(add(m, 96), IC{k}_Y)",
            f"mstore(add(m, 128), {_camel(name)})",
            "ok := and(ok, staticcall(gas(), 7, add(m, 64), 96, add(m, 64), 64))",
            "ok := and(ok, staticcall(gas(), 6, m, 128, m, 64))",
        ]
    fold += ["if iszero(ok) { revert(0, 0) }", "x := mload(m)", "y := mload(add(m, 32))"]
    below_r = "\n".join(
        f"        if ({_camel(n)} >= R) revert NotAFieldElement(F_{n.upper()});"
        for n in SNAPSHOT_FIELDS
    )
    id_, digest = circuit
    return {
        "how": "Statement fields verified as the proof's public inputs.",
        "constants": f"""    uint256 internal constant N_FIELDS = {vk.n_public};
    // The circuit's constants; with them folded into IC0 (FOLDED_*), a batch's proof is checked
    // against them without paying for them as public inputs.
    uint256 internal constant CIRCUIT_ID = {id_};
    uint256 internal constant CIRCUIT_DIGEST = {digest};
    uint256 internal constant FOLDED_X = {base_x};
    uint256 internal constant FOLDED_Y = {base_y};""",
        "snapshot": """        // FOLDED_* plus the epoch, table root, market hash and previous times their key points
        uint256 baseX;
        uint256 baseY;
""",
        "errors": "    error WrongFieldCount(uint256 got);\n    error WrongCircuit();",
        "commit": below_r + "\n",
        "commit_store": (
            "        (s.baseX, s.baseY) = snapshotBase(epoch, tableRoot, marketHash, previous);\n"
        ),
        "prove": f"""        if (fields.length != N_FIELDS) revert WrongFieldCount(fields.length);
        if (fields[F_CIRCUIT_ID] != CIRCUIT_ID || fields[F_CIRCUIT_DIGEST] != CIRCUIT_DIGEST) {{
            revert WrongCircuit();
        }}
        uint256 epoch = fields[F_EPOCH];
{check_snapshot("        ")}
        // the other fields are the proof's public inputs: one >= R, or changed, fails it
        if (!verifyFields(s.baseX, s.baseY, fields, pA, pB, pC)) revert InvalidProof();
""",
        "functions": """
    function snapshotBase(uint256 epoch, uint256 tableRoot, uint256 marketHash, uint256 previous)
        internal
        view
        returns (uint256 x, uint256 y)
    {
        assembly {
"""
        + "\n".join(f"            {line}" for line in fold)
        + """
        }
    }

    function verifyFields(
        uint256 baseX,
        uint256 baseY,
        uint256[] calldata fields,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) internal view returns (bool ok) {
        assembly {
"""
        + "\n".join(f"            {line}" for line in verify)
        + """
        }
    }
""",
    }


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(w.title() for w in rest)
