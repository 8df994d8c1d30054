"""Compiled schedule generation for pool-only problems: the heuristic's hot loops under numba.

Pool-only means that no task needs people (no skill slots, no pinned people, no pinned start):
tasks use pools of fixed capacity, links of the four types with lags, releases, and deadlines
for scoring. PSPLIB is this case. On it the serial schedule generation scheme, the
forward-backward justification and the genetic algorithm's crossover and mutation run here, on
numpy int64 arrays, about two orders of magnitude faster than the pure-Python `_Sgs`, whose
schedules they reproduce exactly for the same activity list (tests/unit/engine/test_fastsgs.py).

This module imports numba (≈0.4 s) and loads the compiled kernels from numba's on-disk cache
(`cache=True`, compiled once per installation, several seconds): `jalon.engine.heuristic`
imports it only when a pool-only problem is scheduled, so Django and the command line start fast.

A network is a tuple of 13 int64 arrays (see `NETWORK_FIELDS`): the forward one holds each
task's predecessors with link kind and lag; its mirror (time reversed, links reversed, SS and
FF swapped, no releases) drives the backward pass of the justification. Randomness comes from
a small xorshift generator whose state is an array passed in, so a run depends only on its seed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit  # type: ignore[import-untyped]

NETWORK_FIELDS = (
    "duration",  # [n]
    "demand_ptr",  # [n+1] CSR over the pools a task uses
    "demand_pool",  # pool index
    "demand_qty",  # units, > 0
    "capacity",  # [K]
    "release",  # [n] earliest start (≥ 0)
    "pred_ptr",  # [n+1] CSR over each task's links from its predecessors
    "pred_task",
    "pred_kind",  # 0 FS, 1 SS, 2 FF, 3 SF
    "pred_lag",
    "topo_count",  # [n] distinct predecessors, for Kahn's algorithm
    "next_ptr",  # [n+1] CSR over distinct successors
    "next_task",
)
_DUR, _DPTR, _DPOOL, _DQTY, _CAP, _REL, _PPTR, _PTASK, _PKIND, _PLAG, _TCOUNT, _NPTR, _NTASK = range(13)
_NO_DEADLINE = 1 << 60


# --------------------------------------------------------------------------- random numbers


@njit(cache=True)
def _next(state: np.ndarray) -> np.uint64:
    """xorshift64*: one 64-bit draw; `state` is a one-element uint64 array, never zero."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return x * np.uint64(2685821657736338717)


@njit(cache=True)
def _uniform(state: np.ndarray) -> float:
    return float(_next(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _below(state: np.ndarray, bound: int) -> int:
    """A uniform integer in [0, bound)."""
    return int(_uniform(state) * bound)


# --------------------------------------------------------------------------- schedule generation


@njit(cache=True)
def sgs(net, free, order, start, finish):
    """Serial SGS: each task of `order` (a topological order) as early as its links, its release
    and the pools allow. `free` (K × horizon) holds every pool's capacity at each time on entry
    and is restored on exit. Fills `start` and `finish`; returns the makespan."""
    dur, dptr, dpool, dqty = net[_DUR], net[_DPTR], net[_DPOOL], net[_DQTY]
    pptr, ptask, pkind, plag, release = net[_PPTR], net[_PTASK], net[_PKIND], net[_PLAG], net[_REL]
    horizon = free.shape[1]
    start[:] = 0
    finish[:] = 0
    makespan = 0
    for i in range(order.shape[0]):
        j = order[i]
        d = dur[j]
        est = release[j]
        for e in range(pptr[j], pptr[j + 1]):
            p, kind, lag = ptask[e], pkind[e], plag[e]
            if kind == 0:
                t = finish[p] + lag
            elif kind == 1:
                t = start[p] + lag
            elif kind == 2:
                t = finish[p] + lag - d
            else:
                t = start[p] + lag - d
            if t > est:
                est = t
        t = max(est, 0)
        while True:  # jump past the last time a pool lacks room in [t, t+d)
            if t + d > horizon:
                raise ValueError("schedule beyond the pools' profile horizon")
            tau = -1
            for e in range(dptr[j], dptr[j + 1]):
                k, q = dpool[e], dqty[e]
                for u in range(t + d - 1, t - 1, -1):
                    if free[k, u] < q:
                        tau = u
                        break
                if tau >= 0:
                    break
            if tau < 0:
                break
            t = tau + 1
        start[j] = t
        finish[j] = t + d
        if t + d > makespan:
            makespan = t + d
        for e in range(dptr[j], dptr[j + 1]):
            k, q = dpool[e], dqty[e]
            for u in range(t, t + d):
                free[k, u] -= q
    cap = net[_CAP]
    for k in range(free.shape[0]):
        free[k, :makespan] = cap[k]
    return makespan


@njit(cache=True)
def topological(net, key, order):
    """Kahn's algorithm taking the ready task with the smallest (key, index) first, as the
    Python `_topological` does with its heap of tuples. Fills `order`."""
    n = key.shape[0]
    missing = net[_TCOUNT].copy()
    nptr, ntask = net[_NPTR], net[_NTASK]
    heap = np.empty(n, np.int64)  # entries key * n + task: the same order as (key, task)
    size = 0
    for j in range(n):
        if missing[j] == 0:
            size = _push(heap, size, key[j] * n + j)
    count = 0
    while size:
        top = heap[0]
        size -= 1
        if size:
            _sift_down(heap, size, heap[size])
        j = top - (top // n) * n
        order[count] = j
        count += 1
        for e in range(nptr[j], nptr[j + 1]):
            s = ntask[e]
            missing[s] -= 1
            if missing[s] == 0:
                size = _push(heap, size, key[s] * n + s)
    return count


@njit(cache=True)
def _push(heap, size, value):
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= value:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = value
    return size + 1


@njit(cache=True)
def _sift_down(heap, size, value):
    """Place `value` from the root down in a heap of `size` entries."""
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= value:
            break
        heap[i] = heap[child]
        i = child
    heap[i] = value


# --------------------------------------------------------------------------- scoring and evaluation


@njit(cache=True)
def _score(objective, makespan, finish, weight, deadline):
    """(primary, secondary) as the Python `_Search.score` without its pin count: objective 0 =
    makespan then lateness, 1 = lateness then makespan, 2 = cost (always 0 here: no people)."""
    late = 0
    for j in range(finish.shape[0]):
        if finish[j] > deadline[j]:
            late += weight[j] * (finish[j] - deadline[j])
    if objective == 1:
        return late, makespan
    if objective == 2:
        return 0, makespan
    return makespan, late


@njit(cache=True)
def _not_worse(a1, a2, b1, b2):
    return a1 < b1 or (a1 == b1 and a2 <= b2)


@njit(cache=True)
def evaluate(forward, backward, free, weight, deadline, objective, target1, target2, rounds, order, out_order, out_start, out_finish):
    """Forward pass of `order`, then up to `rounds` backward-forward justifications (one round is
    the Python `_Search.evaluate`); keeps a justified schedule when it is not worse. Writes the
    kept schedule and its activity list; returns its score. Stops justifying at the target."""
    n = order.shape[0]
    makespan = sgs(forward, free, order, out_start, out_finish)
    s1, s2 = _score(objective, makespan, out_finish, weight, deadline)
    out_order[:] = order
    if n < 3:
        return s1, s2
    key = np.empty(n, np.int64)
    by_finish = np.empty(n, np.int64)
    mirrored_start = np.empty(n, np.int64)
    mirrored_finish = np.empty(n, np.int64)
    again = np.empty(n, np.int64)
    start = np.empty(n, np.int64)
    finish = np.empty(n, np.int64)
    for _ in range(rounds):
        if _not_worse(s1, s2, target1, target2):
            break
        for j in range(n):
            key[j] = -out_finish[j]
        topological(backward, key, by_finish)
        sgs(backward, free, by_finish, mirrored_start, mirrored_finish)
        for j in range(n):
            key[j] = -mirrored_finish[j]
        topological(forward, key, again)
        makespan = sgs(forward, free, again, start, finish)
        a1, a2 = _score(objective, makespan, finish, weight, deadline)
        if not _not_worse(a1, a2, s1, s2):
            break
        improved = a1 < s1 or a2 < s2
        s1, s2 = a1, a2
        out_order[:] = again
        out_start[:] = start
        out_finish[:] = finish
        if not improved:
            break
    return s1, s2


# --------------------------------------------------------------------------- genetic algorithm


@njit(cache=True)
def biased_random_order(net, late_finish, state, order):
    """Regret-based biased random sampling: a ready task with an earlier latest finish is
    likelier to come next (weight (worst - LF + 1)²)."""
    n = late_finish.shape[0]
    missing = net[_TCOUNT].copy()
    nptr, ntask = net[_NPTR], net[_NTASK]
    ready = np.empty(n, np.int64)
    weights = np.empty(n, np.float64)
    size = 0
    for j in range(n):
        if missing[j] == 0:
            ready[size] = j
            size += 1
    count = 0
    while size:
        worst = late_finish[ready[0]]
        for i in range(1, size):
            worst = max(worst, late_finish[ready[i]])
        total = 0.0
        for i in range(size):
            w = float(worst - late_finish[ready[i]] + 1)
            total += w * w
            weights[i] = total
        draw = _uniform(state) * total
        pick = size - 1
        for i in range(size):
            if draw < weights[i]:
                pick = i
                break
        j = ready[pick]
        ready[pick] = ready[size - 1]
        size -= 1
        order[count] = j
        count += 1
        for e in range(nptr[j], nptr[j + 1]):
            s = ntask[e]
            missing[s] -= 1
            if missing[s] == 0:
                ready[size] = s
                size += 1
    return count


@njit(cache=True)
def _crossover(first, second, q1, q2, taken, child):
    """Two-point crossover (Hartmann 1998): positions [0, q1) from `first`, [q1, q2) the next
    tasks of `second` not yet taken, the rest in `first`'s order. Keeps a topological order."""
    n = first.shape[0]
    taken[:] = False
    size = 0
    for i in range(q1):
        child[size] = first[i]
        taken[first[i]] = True
        size += 1
    for i in range(n):
        if size == q2:
            break
        j = second[i]
        if not taken[j]:
            child[size] = j
            taken[j] = True
            size += 1
    for i in range(n):
        j = first[i]
        if not taken[j]:
            child[size] = j
            taken[j] = True
            size += 1


@njit(cache=True)
def _mutate(net, order, rate, state):
    """Swap neighbours with probability `rate` when the second is not a successor of the first."""
    nptr, ntask = net[_NPTR], net[_NTASK]
    for i in range(order.shape[0] - 1):
        if _uniform(state) < rate:
            a, b = order[i], order[i + 1]
            linked = False
            for e in range(nptr[a], nptr[a + 1]):
                if ntask[e] == b:
                    linked = True
                    break
            if not linked:
                order[i] = b
                order[i + 1] = a


@njit(cache=True)
def _fingerprint(start):
    h = np.uint64(1469598103934665603)
    for j in range(start.shape[0]):
        h = (h ^ np.uint64(start[j] & 0xFFFFFFFF)) * np.uint64(1099511628211)
    return h


@njit(cache=True)
def fingerprints(starts):
    out = np.empty(starts.shape[0], np.uint64)
    for i in range(starts.shape[0]):
        out[i] = _fingerprint(starts[i])
    return out


@njit(cache=True)
def evolve(
    forward, backward, free, weight, deadline, objective, target1, target2, rounds,
    orders, starts, score1, score2, prints, state, rate, budget, late_finish, restart_after, stale,
):
    """Steady-state genetic algorithm for at most `budget` evaluations: two parents drawn at
    random, two-point crossover, mutation, justification of each child, which replaces the
    worst member when it is better and not already there (same start times). When the best has
    not improved for `restart_after` children (`stale[0]` counts them across calls), every
    member but the best is replaced by a biased random one. The population (`orders`, `starts`,
    scores, fingerprints) is updated in place. Returns the evaluations made and whether the
    target was reached."""
    size, n = orders.shape
    child = np.empty(n, np.int64)
    kept = np.empty(n, np.int64)
    start = np.empty(n, np.int64)
    finish = np.empty(n, np.int64)
    taken = np.empty(n, np.bool_)
    mother = np.empty(n, np.int64)
    father = np.empty(n, np.int64)
    done = 0
    while done < budget:
        a = _below(state, size)
        b = _below(state, size - 1)
        if b >= a:
            b += 1
        q1 = _below(state, n + 1)
        q2 = _below(state, n)
        if q2 >= q1:
            q2 += 1
        else:
            q1, q2 = q2, q1
        mother[:] = orders[a]  # copies: the first child may replace a parent
        father[:] = orders[b]
        for side in range(2):
            if done >= budget:
                break
            if side == 0:
                _crossover(mother, father, q1, q2, taken, child)
            else:
                _crossover(father, mother, q1, q2, taken, child)
            _mutate(forward, child, rate, state)
            s1, s2 = evaluate(forward, backward, free, weight, deadline, objective, target1, target2, rounds, child, kept, start, finish)
            done += 1
            best = _best(score1, score2)
            if _not_worse(score1[best], score2[best], s1, s2):
                stale[0] += 1
            else:
                stale[0] = 0
            _insert(orders, starts, score1, score2, prints, kept, start, s1, s2)
            if _not_worse(s1, s2, target1, target2):
                return done, True
        if restart_after > 0 and stale[0] >= restart_after:
            done += _restart(forward, backward, free, weight, deadline, objective, target1, target2, rounds,
                             orders, starts, score1, score2, prints, state, late_finish, budget - done)
            stale[0] = 0
    return done, False


@njit(cache=True)
def _best(score1, score2):
    best = 0
    for i in range(1, score1.shape[0]):
        if not _not_worse(score1[best], score2[best], score1[i], score2[i]):
            best = i
    return best


@njit(cache=True)
def _restart(forward, backward, free, weight, deadline, objective, target1, target2, rounds,
             orders, starts, score1, score2, prints, state, late_finish, budget):
    """Replace every member but the best by a new biased random one (at most `budget`
    evaluations): the population has converged and crossover no longer finds anything."""
    size, n = orders.shape
    best = _best(score1, score2)
    order = np.empty(n, np.int64)
    done = 0
    for i in range(size):
        if i == best or done >= budget:
            continue
        biased_random_order(forward, late_finish, state, order)
        s1, s2 = evaluate(forward, backward, free, weight, deadline, objective, target1, target2, rounds, order, orders[i], starts[i], np.empty(n, np.int64))
        score1[i] = s1
        score2[i] = s2
        prints[i] = _fingerprint(starts[i])
        done += 1
    return done


@njit(cache=True)
def _insert(orders, starts, score1, score2, prints, order, start, s1, s2):
    """Replace the worst member by this schedule when it is better and new."""
    worst = 0
    for i in range(1, score1.shape[0]):
        if not _not_worse(score1[i], score2[i], score1[worst], score2[worst]):
            worst = i
    if _not_worse(score1[worst], score2[worst], s1, s2):
        return
    h = _fingerprint(start)
    for i in range(prints.shape[0]):
        if prints[i] == h and score1[i] == s1 and score2[i] == s2:
            return
    orders[worst] = order
    starts[worst] = start
    score1[worst] = s1
    score2[worst] = s2
    prints[worst] = h


# --------------------------------------------------------------------------- building the arrays


def warm_up() -> None:
    """Call every kernel once on a three-task network: loads them from numba's cache (or
    compiles them) with the argument types of the real calls."""
    net = network([1, 2, 1], [[(0, 1)], [(0, 1)], []], [1], [0, 0, 0], [[], [(0, 0, 0)], []], [0, 1, 0], [[1], [], []])
    mirror = network([1, 2, 1], [[(0, 1)], [(0, 1)], []], [1], [0, 0, 0], [[(1, 0, 0)], [], []], [1, 0, 0], [[], [0], []])
    free = profile([1], 8)
    weight, due = np.ones(3, np.int64), np.full(3, _NO_DEADLINE, np.int64)
    state = np.array([1], np.uint64)
    orders = np.empty((2, 3), np.int64)
    starts = np.empty((2, 3), np.int64)
    scores = np.empty((2, 2), np.int64)
    late_finish = np.array([1, 3, 3], np.int64)
    for i in range(2):
        biased_random_order(net, late_finish, state, orders[i])
        scores[:, i] = evaluate(net, mirror, free, weight, due, 0, -1, -1, 1, orders[i].copy(), orders[i], starts[i], np.empty(3, np.int64))
    score1, score2 = scores[0].copy(), scores[1].copy()
    evolve(net, mirror, free, weight, due, 0, -1, -1, 1, orders, starts, score1, score2, fingerprints(starts), state, 0.05, 4, late_finish, 2, np.zeros(1, np.int64))


def network(
    duration: list[int],
    demands: list[list[tuple[int, int]]],
    capacity: list[int],
    release: list[int],
    preds: list[list[tuple[int, int, int]]],
    topo_count: list[int],
    next_tasks: list[list[int]],
) -> tuple[np.ndarray, ...]:
    """The int64 arrays of one network (see `NETWORK_FIELDS`) from the heuristic's lists."""

    def csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        ptr = np.zeros(len(rows) + 1, np.int64)
        ptr[1:] = np.cumsum([len(r) for r in rows])
        flat = np.fromiter((x for r in rows for x in r), np.int64, int(ptr[-1]))
        return ptr, flat

    def column(rows: Sequence[Sequence[tuple[int, ...]]], c: int) -> np.ndarray:
        return np.fromiter((x[c] for r in rows for x in r), np.int64, sum(len(r) for r in rows))

    demand_ptr, _ = csr([[q for _, q in r] for r in demands])
    pred_ptr, _ = csr([[p for p, _, _ in r] for r in preds])
    next_ptr, next_task = csr(next_tasks)
    as_array = lambda values: np.asarray(values, np.int64).reshape(-1)  # noqa: E731
    return (
        as_array(duration), demand_ptr, column(demands, 0), column(demands, 1), as_array(capacity),
        as_array(release), pred_ptr, column(preds, 0), column(preds, 1), column(preds, 2),
        as_array(topo_count), next_ptr, next_task,
    )


def profile(capacity: list[int], horizon: int) -> np.ndarray:
    """Every pool's free units at each time [0, horizon], all at capacity."""
    return np.repeat(np.asarray(capacity, np.int64).reshape(-1, 1), horizon + 1, axis=1)
