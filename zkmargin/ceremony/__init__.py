"""The trusted-setup ceremony, in snarkjs's file formats: powers of tau (new, contribute, beacon,
verify, prepare phase 2, the offline challenge and response) and the circuit-specific phase 2
(the initial key from a ptau, contributions, beacons, the whole-key check).

``docs/ceremony.md`` describes how an exchange runs one and how a user checks it.
"""
