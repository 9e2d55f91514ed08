"""Where two versions of a text differ: the lengths of their common start and end.

An edit changes one place of a long text; comparing slices halves the search each time and
every comparison runs in C, so this costs a few dozen comparisons whatever the text's length.
"""

from __future__ import annotations


def common_ends(old: str, new: str) -> tuple[int, int]:
    """(the length of the longest common prefix, that of the longest common suffix of what
    follows it): the two never overlap, so ``old[prefix:len(old) - suffix]`` is what changed."""
    low, high = 0, min(len(old), len(new))
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, min(len(old), len(new)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    return prefix, low
