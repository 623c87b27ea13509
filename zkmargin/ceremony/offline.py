"""Contributing to powers of tau offline, in snarkjs's challenge and response files.

The coordinator exports a *challenge*, a contributor who never sees the ptau answers it with a
*response*, and the coordinator imports it (facts from snarkjs ``powersoftau_export_challenge``,
``powersoftau_challenge_contribute`` and ``powersoftau_import``):

* challenge: the last response hash (64 bytes; the empty hash's BLAKE2b for a new file), then
  the points of sections 2–6 uncompressed (:mod:`zkmargin.ceremony.encoding`). Its BLAKE2b-512
  is the file's current challenge, so a contributor hashing it derives the same key.
* response: that challenge hash, the new points compressed, then the public key uncompressed
  (tau, alpha, beta: ``s``, ``x·s`` in G1 each, then the three ``x·sp`` in G2). Its BLAKE2b-512
  is the contribution's response hash.

Unlike snarkjs, importing checks the contribution before writing anything: every point
decompresses to the curve (G2 points in the subgroup: :mod:`.subgroup`), the proofs of
knowledge, the link to the previous contribution, and that the points are successive powers
(``-nocheck`` skips the last three, as snarkjs never runs them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from zkmargin.atomic_files import atomic_write
from zkmargin.ceremony import encoding, ptau_verify
from zkmargin.ceremony import powersoftau as pt
from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.ceremony.chacha import ChaCha
from zkmargin.ceremony.keys import CURVE, PublicKey, ptau_key
from zkmargin.ceremony.subgroup import first_outside_g2
from zkmargin.errors import InputError
from zkmargin.formats.ptau import (
    CONTRIBUTIONS,
    FQ,
    G1_BYTES,
    G2_BYTES,
    HEADER,
    MAX_POWER,
    NO_HASH,
    SECTION_NAMES,
    PtauFile,
    g1_point,
    g2_point,
    is_g2,
    map_file,
    point_count,
)
from zkmargin.formats.ptau_contributions import encode_contributions, read_contributions
from zkmargin.formats.ptau_writer import PtauWriter, header_bytes

HASH_BYTES = 64
KEY_BYTES = 6 * G1_BYTES + 3 * G2_BYTES
_B = {False: FQ.to_mont([CURVE.b]), True: FQ.to_mont(CURVE.b2)}


def _point_bytes(sid: int, compressed: bool) -> int:
    size = G2_BYTES if is_g2(sid) else G1_BYTES
    return size // 2 if compressed else size


def _file_size(power: int, compressed: bool) -> int:
    points = sum(point_count(s, power) * _point_bytes(s, compressed) for s in pt.POINT_SECTIONS)
    return HASH_BYTES + points + (KEY_BYTES if compressed else 0)


def _power_of(path: str, size: int, compressed: bool, what: str) -> int:
    for power in range(1, MAX_POWER + 1):
        if _file_size(power, compressed) == size:
            return power
    raise InputError(path, "size", f"{size} bytes is not the size of a {what} of any power")


class _Reader:
    """Sequential reads from a memory-mapped file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.map, self.size = map_file(path)
        self.pos = 0

    def read(self, n: int) -> memoryview:
        out = memoryview(self.map)[self.pos : self.pos + n]
        self.pos += n
        return out

    def rows(self, n: int, width: int) -> np.ndarray:
        return np.frombuffer(self.read(n * width), dtype=np.uint8).reshape(n, width)


# --- export challenge ---------------------------------------------------------------------------
def export_challenge(src: str, dst: str) -> bytes:
    """Write the challenge of ``src``'s next contribution to ``dst``; returns its hash (the
    file's recorded challenge, checked against the points)."""
    pf = PtauFile(src)
    expected = pt.current_challenge(pf)
    contribs = read_contributions(pf)
    last = (
        ptau_verify.response_hash(contribs[-1])
        if contribs
        else hashlib.blake2b(digest_size=64).digest()
    )
    h = hashlib.blake2b(digest_size=64)

    def chunks() -> Iterator[bytes]:
        h.update(last)
        yield last
        for sid in pt.POINT_SECTIONS:
            n = point_count(sid, pf.power)
            for start in range(0, n, pt.CHUNK):
                data = encoding.uncompressed(pf.points(sid, start, min(pt.CHUNK, n - start)), FQ)
                h.update(data)
                yield data
        if h.digest() != expected:
            raise pt.CeremonyFailure(
                f"{src}: the points do not hash to the recorded challenge (the file is corrupt)"
            )

    atomic_write(dst, chunks())
    return expected


# --- challenge contribute -----------------------------------------------------------------------
def challenge_contribute(challenge: str, response: str, rng: ChaCha) -> pt.ContributionResult:
    """Answer ``challenge`` with a contribution whose secrets come from ``rng``; write the
    response. Returns the response hash and the challenge hash (as ``next_challenge``: the
    hash the response answers)."""
    r = _Reader(challenge)
    power = _power_of(challenge, r.size, False, "challenge")
    challenge_hash = hashlib.blake2b(r.map, digest_size=64).digest()
    key = ptau_key(rng, challenge_hash)
    out = Blake2b()
    r.read(HASH_BYTES)

    def chunks() -> Iterator[bytes]:
        out.update(challenge_hash)
        yield challenge_hash
        for sid in pt.POINT_SECTIONS:
            n, width = point_count(sid, power), _point_bytes(sid, False)
            for start in range(0, n, pt.CHUNK):
                m = min(pt.CHUNK, n - start)
                pts, bad = encoding.from_uncompressed(r.rows(m, width), FQ, _B[is_g2(sid)])
                if bad >= 0:
                    raise InputError(
                        challenge, SECTION_NAMES[sid], f"point #{start + bad} is not on the curve"
                    )
                data = encoding.compressed(pt.apply_key(pts, sid, start, key), FQ)
                out.update(data)
                yield data
        data = pt.public_key_bytes(key.public)
        out.update(data)
        yield data

    atomic_write(response, chunks())
    return pt.ContributionResult(out.digest(), challenge_hash)


# --- import response ----------------------------------------------------------------------------
def _invalid(response: str, where: str, index: int, problem: str) -> pt.CeremonyFailure:
    return pt.CeremonyFailure(f"{response}: {where}: point #{index} {problem}")


def _decode(rows: np.ndarray, g2: bool, compressed: bool, response: str, where: str, start: int):
    """Montgomery points from ``rows``, each on the curve and (G2) in the subgroup."""
    decode = encoding.from_compressed if compressed else encoding.from_uncompressed
    pts, bad = decode(rows, FQ, _B[g2])
    if bad >= 0:
        raise _invalid(response, where, start + bad, "is not a point of the curve")
    if g2:
        bad = first_outside_g2(pts)
        if bad >= 0:
            raise _invalid(response, where, start + bad, "is not in the G2 subgroup")
    return pts


def _public_key(raw: memoryview, response: str) -> tuple[PublicKey, PublicKey, PublicKey]:
    rows = np.frombuffer(raw, dtype=np.uint8)
    g1 = _decode(rows[: 6 * G1_BYTES].reshape(6, G1_BYTES), False, False, response, "key", 0)
    g2 = _decode(rows[6 * G1_BYTES :].reshape(3, G2_BYTES), True, False, response, "key", 6)
    g1s = [g1_point(p.tobytes()) for p in g1]
    g2s = [g2_point(p.tobytes()) for p in g2]
    return tuple(PublicKey(g1s[2 * k], g1s[2 * k + 1], g2s[k]) for k in range(3))  # type: ignore[return-value]


def import_response(
    src: str, response: str, dst: str, name: str, points: bool = True, check: bool = True
) -> pt.ContributionResult:
    """Add the contribution in ``response`` (answering ``src``'s current challenge) to ``src``,
    write ``dst``. Raises :class:`~zkmargin.ceremony.powersoftau.CeremonyFailure` naming the
    first check that failed; nothing is written then.

    ``points=False`` (snarkjs's ``-nopoints``) writes a transcript: the header and the
    contributions only, the new one's next challenge :data:`NO_HASH` (the next import adopts
    whatever its response answers). ``check=False`` (``-nocheck``) skips the proofs of
    knowledge, the link to the previous contribution and the powers check; the response must
    still answer the current challenge and its points decode into G1 and G2.
    """
    pf = PtauFile(src)
    challenge = pt.current_challenge(pf)
    contribs = read_contributions(pf)
    r = _Reader(response)
    want = _file_size(pf.power, True)
    if r.size != want:
        raise InputError(
            response, "size", f"{r.size} bytes, expected {want} for a response of power {pf.power}"
        )
    answered = bytes(r.read(HASH_BYTES))
    if challenge == NO_HASH:  # after a transcript: the response says what it answers
        challenge = answered
        contribs[-1] = replace(contribs[-1], next_challenge=answered)
    if answered != challenge:
        raise pt.CeremonyFailure(
            f"{response}: answers challenge {answered.hex()[:16]}…, not {src}'s current one "
            f"({challenge.hex()[:16]}…)"
        )
    hasher = Blake2b().update(challenge)
    firsts: dict[int, np.ndarray] = {}

    def decoded(sid: int) -> Iterator[np.ndarray]:
        n, width = point_count(sid, pf.power), _point_bytes(sid, True)
        for start in range(0, n, pt.CHUNK):
            rows = r.rows(min(pt.CHUNK, n - start), width)
            hasher.update(rows)
            pts = _decode(rows, is_g2(sid), True, response, SECTION_NAMES[sid], start)
            if start == 0:
                firsts[sid] = pts[pt.FIRSTS[sid]]
            yield pts

    # the points go to a full file first (the powers check reads them back); a transcript
    # is then written in its place
    with PtauWriter(dst, 7) as w:
        w.section(HEADER, [header_bytes(pf.power)])
        for sid in pt.POINT_SECTIONS:
            w.section(sid, decoded(sid))
        partial = hasher.partial()
        key_raw = r.read(KEY_BYTES)
        keys = _public_key(key_raw, response)
        response_hash = hasher.update(bytes(key_raw)).digest()
        c = pt.record(firsts, keys, partial, pt.next_challenge(w, response_hash), name)
        if check:
            ptau_verify.check_contribution(
                c, ptau_verify.previous(contribs, pf.power), len(contribs) + 1
            )
        w.section(CONTRIBUTIONS, [encode_contributions([*contribs, c])])
        w.file.flush()
        if check:
            ptau_verify.check_powers(PtauFile(w.out.temporary), c, label=response)
        if points:
            w.commit()
    if not points:
        c = replace(c, next_challenge=NO_HASH)
        with PtauWriter(dst, 2) as t:
            t.section(HEADER, [header_bytes(pf.power)])
            t.section(CONTRIBUTIONS, [encode_contributions([*contribs, c])])
            t.commit()
    return pt.ContributionResult(response_hash, c.next_challenge)
