"""Graph helpers shared by the engine and the Django layer's validation."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def find_cycle(edges: Iterable[tuple[N, N]]) -> list[N] | None:
    """Return one cycle as the list of its nodes in order (first node repeated at the end),
    or None when the graph is acyclic. Iterative DFS, so deep chains do not hit the recursion limit."""
    succ: dict[N, list[N]] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(succ, WHITE)
    for root in succ:
        if colour[root] != WHITE:
            continue
        path: list[N] = [root]
        iters = [iter(succ[root])]
        colour[root] = GREY
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = BLACK
                iters.pop()
            elif colour[nxt] == GREY:
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                iters.append(iter(succ[nxt]))
    return None
