"""An account as the tree sees it: position and balance vectors, its leaf, a batch's tree.

What receipts and inclusion checks need, from the same encoding the circuit proves.

>>> from zkmargin.margin import example_paths, load_market, read_accounts
>>> market = load_market(example_paths()[0])
>>> account = next(read_accounts(example_paths()[1], market))
>>> positions, balances = account_vectors(market, account)
>>> len(positions), len(balances)
(23, 4)
>>> tree = batch_tree([leaf_for(market, account, salt=7)], batch_size=4)
>>> tree.depth, tree.path(0)[1]
(2, [0, 0])
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.batch.encoding import account_leaf, id_hash
from zkmargin.hash import MerkleTree
from zkmargin.margin.domain import Account, Market


def account_vectors(market: Market, account: Account) -> tuple[list[int], list[int]]:
    """(positions in instrument order, balances in asset order); absent entries are 0.

    ``KeyError`` names an instrument or asset the market does not have.
    """
    for name in account.positions:
        if name not in market.instruments:
            raise KeyError(f"account {account.id}: unknown instrument {name!r}")
    for name in account.collateral:
        if name not in market.assets:
            raise KeyError(f"account {account.id}: unknown asset {name!r}")
    return (
        [account.positions.get(n, 0) for n in market.instrument_names],
        [account.collateral.get(n, 0) for n in market.asset_names],
    )


def leaf_for(market: Market, account: Account, salt: int) -> int:
    """The account's leaf (:func:`~zkmargin.batch.encoding.account_leaf` of its vectors)."""
    positions, balances = account_vectors(market, account)
    return account_leaf(id_hash(account.id), salt, positions, balances)


def tree_depth(batch_size: int) -> int:
    """Depth of a batch's Merkle tree: the smallest d with ``2^d >= batch_size``."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    return (batch_size - 1).bit_length()


def batch_tree(leaves: Sequence[int], batch_size: int) -> MerkleTree:
    """The batch's tree: ``leaves`` at positions 0.., zero leaves up to ``batch_size`` and on."""
    if len(leaves) > batch_size:
        raise ValueError(f"{len(leaves)} leaves in a batch of {batch_size}")
    return MerkleTree(leaves, tree_depth(batch_size))
