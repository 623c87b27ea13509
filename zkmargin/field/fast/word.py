"""64-bit word primitives with a 128-bit intermediate, as numba intrinsics.

numba has no 128-bit integer type, but LLVM has ``i128``: these intrinsics zero-extend their
``uint64`` operands, compute in ``i128`` and split the result, which LLVM lowers to one
``mul``/``adc`` sequence on x86-64 and aarch64.  They are what lets the field kernels use
64-bit limbs (4 for a 254-bit modulus, 6 for a 381-bit one) instead of 32-bit limbs: a
4-limb Montgomery multiply runs as fast as gcc's ``unsigned __int128`` version of the same
loop (measured, see ``docs/kernels.md``).

>>> from zkmargin.field.fast.jit import kernel
>>> @kernel
... def demo(a, b, c, d):
...     return mac(a, b, c, d)
>>> import numpy as np
>>> lo, hi = demo(np.uint64(2**64 - 1), np.uint64(2**64 - 1), np.uint64(2**64 - 1), np.uint64(2**64 - 1))
>>> (int(hi) << 64) + int(lo) == (2**64 - 1) ** 2 + 2 * (2**64 - 1)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

_PAIR = types.UniTuple(types.uint64, 2)  # type: ignore[no-untyped-call]  # numba leaves it untyped
_I64 = ir.IntType(64)
_I128 = ir.IntType(128)

Word = np.uint64
WordPair = tuple[np.uint64, np.uint64]
Modulus = tuple[np.uint64, ...]
"""A field's ``m`` as the kernels take it: the modulus's limbs, then ``-p^-1 mod 2^64``
(:attr:`~zkmargin.field.fast.mont64.Field64.m`)."""


def _split(context: Any, builder: Any, wide: Any) -> Any:
    lo = builder.trunc(wide, _I64)
    hi = builder.trunc(builder.lshr(wide, ir.Constant(_I128, 64)), _I64)
    return context.make_tuple(builder, _PAIR, (lo, hi))


@intrinsic
def _mac(typingctx: Any, a: Any, b: Any, c: Any, d: Any) -> tuple[Any, Callable[..., Any]]:
    """``a·b + c + d`` as ``(low word, high word)``; never overflows 128 bits."""
    sig = _PAIR(types.uint64, types.uint64, types.uint64, types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        x, y, z, w = (builder.zext(v, _I128) for v in args)
        return _split(context, builder, builder.add(builder.add(builder.mul(x, y), z), w))

    return sig, codegen


@intrinsic
def _adc(typingctx: Any, a: Any, b: Any, carry: Any) -> tuple[Any, Callable[..., Any]]:
    """``a + b + carry`` (carry 0 or 1) as ``(sum word, carry out)``."""
    sig = _PAIR(types.uint64, types.uint64, types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        x, y, z = (builder.zext(v, _I128) for v in args)
        return _split(context, builder, builder.add(builder.add(x, y), z))

    return sig, codegen


@intrinsic
def _sbb(typingctx: Any, a: Any, b: Any, borrow: Any) -> tuple[Any, Callable[..., Any]]:
    """``a - b - borrow`` (borrow 0 or 1) as ``(difference word, borrow out)``."""
    sig = _PAIR(types.uint64, types.uint64, types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        x, y, z = (builder.zext(v, _I128) for v in args)
        wide = builder.sub(builder.sub(x, y), z)
        diff = builder.trunc(wide, _I64)
        out = builder.trunc(builder.lshr(wide, ir.Constant(_I128, 127)), _I64)
        return context.make_tuple(builder, _PAIR, (diff, out))

    return sig, codegen


# numba's stubs type an intrinsic's call with its typing context as the first argument; called
# from a kernel it takes the words only.
mac = cast(Callable[[Word, Word, Word, Word], WordPair], _mac)
adc = cast(Callable[[Word, Word, Word], WordPair], _adc)
sbb = cast(Callable[[Word, Word, Word], WordPair], _sbb)
