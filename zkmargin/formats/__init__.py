"""iden3 binary file formats: ``.r1cs`` constraint systems, ``.wtns`` witnesses and Groth16
``.zkey`` proving keys, as circom and snarkjs write them.

>>> import os, tempfile
>>> from zkmargin.field import BN254_FR
>>> path = os.path.join(tempfile.mkdtemp(), "w.wtns")
>>> write_wtns(path, [1, 2, 3], BN254_FR.p)
>>> read_wtns(path)[1]
[1, 2, 3]
"""

from zkmargin.formats.point_codec import G1, G2
from zkmargin.formats.r1cs import R1csLayout, read_r1cs, read_r1cs_with_layout, write_r1cs
from zkmargin.formats.wtns import read_wtns, write_wtns
from zkmargin.formats.zkey import ZKey, read_zkey, write_zkey

__all__ = [
    "G1",
    "G2",
    "R1csLayout",
    "ZKey",
    "read_r1cs",
    "read_r1cs_with_layout",
    "read_wtns",
    "read_zkey",
    "write_r1cs",
    "write_wtns",
    "write_zkey",
]
