"""Suggest intervisie groups for a cohort: mixed organisations first, mixed Insights styles second.

Pure Python, no database: the caller turns enrolments into ``Candidate`` objects
and turns the suggestion back into groups. The trainer stays in charge; this is
only a first proposal.

How a suggestion is made:

1. ``group_sizes`` fixes the number of groups and their sizes (all within
   4..8, differing by at most one).
2. The worst organisation share any grouping must accept is found exactly: for
   a share ``t`` a group of size ``s`` may hold ``floor(t * s)`` members of one
   organisation, and a small max-flow (organisations -> groups) tells whether
   everyone then fits. The smallest such ``t`` is at most one half whenever the
   cohort allows it.
3. Members are placed according to that flow, then pairwise swaps between
   groups lower the cost (organisation spread, then colour spread) without ever
   going over those per-group limits.

Candidates without an organisation or without colours are neutral: they count
for the group size, not for the spread.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import combinations, product

MIN_SIZE, MAX_SIZE = 4, 8

# Index of each Insights energy in Candidate.colours.
RED, YELLOW, GREEN, BLUE = range(4)
COLOUR_COUNT = 4


@dataclass(frozen=True)
class Candidate:
    key: int  # e.g. an enrolment id
    organisation: int | None  # organisation id
    # Insights energies (red, yellow, green, blue) in percentages summing to 100; None if unknown.
    colours: tuple[int, int, int, int] | None

    @cached_property  # asked for again and again while improving the groups
    def dominant_colour(self) -> int | None:
        """The strongest energy (RED..BLUE); on a tie the first one; None when unknown."""
        if self.colours is None:
            return None
        return self.colours.index(max(self.colours))


def group_sizes(count: int, size: int) -> list[int]:
    """Sizes of the groups for ``count`` people and a wished group ``size``.

    The number of groups ``g`` is the feasible one closest to ``count / size``,
    where feasible means every group lands within 4..8 (``4g <= count <= 8g``).
    On a tie the average group size closest to ``size`` wins, then fewer groups.
    Larger groups come first. Examples:

    - 9 people, size 8: one group of 9 is too big -> [5, 4]
    - 17 people, size 8: two groups of 9/8 too big -> [6, 6, 5]
    - 7 people, size 4: two groups would leave one of 3 -> [7]
    - 45 people, size 6: 7 and 8 groups are equally close; 8 gives sizes 6/5,
      closer to 6 than 7/6 -> [6, 6, 6, 6, 6, 5, 5, 5]
    """
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"Group size must be between {MIN_SIZE} and {MAX_SIZE}, not {size}.")
    if count < MIN_SIZE:
        raise ValueError(f"At least {MIN_SIZE} candidates are needed for a group, not {count}.")
    # A feasible g always exists from 4 people up: the ranges [4g, 8g] overlap.
    feasible = [g for g in range(1, count // MIN_SIZE + 1) if count <= g * MAX_SIZE]
    wished = Fraction(count, size)
    groups = min(
        feasible,
        key=lambda g: (abs(g - wished), abs(Fraction(count, g) - size), g),
    )
    small, larger = divmod(count, groups)
    return [small + 1] * larger + [small] * (groups - larger)


def suggest_groups(candidates: Sequence[Candidate], size: int) -> list[list[Candidate]]:
    """Split ``candidates`` into groups of about ``size``, mixing organisations and styles.

    Every candidate is placed exactly once. No group has more than half of its
    members from one organisation whenever some split achieves that; otherwise
    the worst share is as low as any split allows. Among that, dominant colours
    are spread. The result depends only on the candidates, not on their order.
    Raises ValueError for a size outside 4..8 or fewer than 4 candidates.
    """
    sizes = group_sizes(len(candidates), size)
    # Sorting makes the outcome independent of the order the caller queried them in.
    ordered = sorted(candidates, key=lambda candidate: candidate.key)
    by_organisation: dict[int, list[Candidate]] = {}
    neutral: list[Candidate] = []
    for candidate in ordered:
        if candidate.organisation is None:
            neutral.append(candidate)
        else:
            by_organisation.setdefault(candidate.organisation, []).append(candidate)
    # Largest organisations first: they are the hard ones to spread.
    organisations = sorted(by_organisation, key=lambda org: (-len(by_organisation[org]), org))
    counts = [len(by_organisation[org]) for org in organisations]

    limits, quotas = _lowest_limits(counts, sizes)
    groups: list[list[Candidate]] = [[] for _ in sizes]
    for org, quota_per_group in zip(organisations, quotas, strict=True):
        members = iter(by_organisation[org])
        for group, quota in zip(groups, quota_per_group, strict=True):
            group.extend(next(members) for _ in range(quota))
    # Neutral candidates fill the places left over.
    remaining = iter(neutral)
    for group, group_size in zip(groups, sizes, strict=True):
        group.extend(next(remaining) for _ in range(group_size - len(group)))

    _improve_by_swaps(groups, limits)
    return [sorted(group, key=lambda candidate: candidate.key) for group in groups]


def mixing_report(groups: Iterable[Iterable[Candidate]]) -> dict:
    """Figures on how mixed ``groups`` are, for a trainer's note or a test.

    - ``group_count`` and ``sizes``
    - ``max_organisation_shares``: per group, the largest share (0..1) of one
      organisation; members without an organisation are not counted for any
    - ``groups_with_majority``: how many groups have more than half of their
      members from one organisation
    - ``distinct_colours``: per group, the number of distinct dominant colours
      among the members whose colours are known
    """
    groups = [list(group) for group in groups]
    shares = []
    majorities = 0
    distinct_colours = []
    for group in groups:
        per_organisation = Counter(m.organisation for m in group if m.organisation is not None)
        largest = max(per_organisation.values(), default=0)
        shares.append(largest / len(group) if group else 0.0)
        if 2 * largest > len(group):
            majorities += 1
        distinct_colours.append(
            len({m.dominant_colour for m in group if m.dominant_colour is not None})
        )
    return {
        "group_count": len(groups),
        "sizes": [len(group) for group in groups],
        "max_organisation_shares": shares,
        "groups_with_majority": majorities,
        "distinct_colours": distinct_colours,
    }


def _lowest_limits(counts: list[int], sizes: list[int]) -> tuple[list[int], list[list[int]]]:
    """The per-group limits for one organisation at the lowest feasible worst share.

    Returns the limits (members of one organisation allowed per group) and, per
    organisation, how many of its members go to each group within those limits.
    """
    # The worst share of any split is some k / s; try those values, lowest first by bisection.
    shares = sorted({Fraction(k, s) for s in set(sizes) for k in range(s + 1)})
    low, high = 0, len(shares) - 1  # share 1 always fits: no limit at all
    best = _quotas_within(counts, sizes, _limits(shares[high], sizes))
    while low < high:
        middle = (low + high) // 2
        quotas = _quotas_within(counts, sizes, _limits(shares[middle], sizes))
        if quotas is None:
            low = middle + 1
        else:
            high, best = middle, quotas
    return _limits(shares[high], sizes), best


def _limits(share: Fraction, sizes: list[int]) -> list[int]:
    return [int(share * size) for size in sizes]  # floor: share and size are not negative


def _quotas_within(
    counts: list[int], sizes: list[int], limits: list[int]
) -> list[list[int]] | None:
    """Members per (organisation, group) with at most ``limits[g]`` each, or None if they don't fit.

    A max-flow source -> organisation (its count) -> group (the limit) -> sink
    (the group size). Neutral candidates are left out: they fill whatever room
    is left, so the organisations only need to fit as a whole.
    """
    orgs, groups = len(counts), len(sizes)
    source, sink = 0, 1 + orgs + groups
    capacity = [[0] * (sink + 1) for _ in range(sink + 1)]
    for o, count in enumerate(counts):
        capacity[source][1 + o] = count
        for g, limit in enumerate(limits):
            capacity[1 + o][1 + orgs + g] = limit
    for g, size in enumerate(sizes):
        capacity[1 + orgs + g][sink] = size
    flow = _max_flow(capacity, source, sink)
    if sum(flow[source]) < sum(counts):
        return None
    return [[flow[1 + o][1 + orgs + g] for g in range(groups)] for o in range(orgs)]


def _max_flow(capacity: list[list[int]], source: int, sink: int) -> list[list[int]]:
    """Edmonds-Karp on a small dense graph; returns the flow per edge (negative on the way back)."""
    nodes = len(capacity)
    flow = [[0] * nodes for _ in range(nodes)]
    while True:
        parent = [-1] * nodes
        parent[source] = source
        queue = deque([source])
        while queue and parent[sink] == -1:
            node = queue.popleft()
            for nxt in range(nodes):
                if parent[nxt] == -1 and capacity[node][nxt] > flow[node][nxt]:
                    parent[nxt] = node
                    queue.append(nxt)
        if parent[sink] == -1:
            return flow
        path = []
        node = sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(capacity[a][b] - flow[a][b] for a, b in path)
        for a, b in path:
            flow[a][b] += push
            flow[b][a] -= push


def _improve_by_swaps(groups: list[list[Candidate]], limits: list[int]) -> None:
    """Swap pairs of members between groups while that lowers the cost, in place.

    The cost has three parts, summed over the groups and compared as a tuple,
    so each part only breaks ties of the one before:

    1. squared member count per organisation (spread the organisations);
    2. squared member count per dominant colour (spread the styles);
    3. squared number of colours missing from the group. Part 2 scores
       "YYRB + YYY" and "YYYR + YYB" both 15; this part picks the second,
       which leaves no group with a single style.

    A swap never takes a group over its organisation limit, so the worst share
    found by the flow is kept. Swaps are tried in a fixed order, so the result
    is deterministic; each one lowers the cost, so it ends.
    """
    tallies = [_Tally(group) for group in groups]
    improved = True
    while improved:
        improved = False
        for i, j in combinations(range(len(groups)), 2):
            for a, b in product(range(len(groups[i])), range(len(groups[j]))):
                member, other = groups[i][a], groups[j][b]
                gain = _swap_gain(member, tallies[i], limits[i], other, tallies[j], limits[j])
                if gain is not None and gain > (0, 0, 0):
                    groups[i][a], groups[j][b] = other, member
                    tallies[i].replace(member, other)
                    tallies[j].replace(other, member)
                    improved = True


class _Tally:
    """What the cost needs to know of one group, kept up to date as members are swapped."""

    def __init__(self, group: list[Candidate]):
        self.organisations = Counter(m.organisation for m in group)
        self.colours = Counter(m.dominant_colour for m in group)
        self.distinct_colours = self._count_distinct_colours()

    def replace(self, leaving: Candidate, arriving: Candidate) -> None:
        self.organisations[leaving.organisation] -= 1
        self.organisations[arriving.organisation] += 1
        self.colours[leaving.dominant_colour] -= 1
        self.colours[arriving.dominant_colour] += 1
        self.distinct_colours = self._count_distinct_colours()

    def _count_distinct_colours(self) -> int:
        return sum(1 for colour, count in self.colours.items() if colour is not None and count)


def _swap_gain(
    member: Candidate,
    tally_i: _Tally,
    limit_i: int,
    other: Candidate,
    tally_j: _Tally,
    limit_j: int,
) -> tuple[int, int, int] | None:
    """How much swapping ``member`` (group i) with ``other`` (group j) lowers the cost.

    None when the swap would take a group over its organisation limit or changes nothing.
    """
    org_a, org_b = member.organisation, other.organisation
    colour_a, colour_b = member.dominant_colour, other.dominant_colour
    if org_a == org_b and colour_a == colour_b:
        return None  # alike: the swap changes nothing
    if org_a != org_b:
        if org_a is not None and tally_j.organisations[org_a] + 1 > limit_j:
            return None
        if org_b is not None and tally_i.organisations[org_b] + 1 > limit_i:
            return None
    return (
        _squares_gain(org_a, org_b, tally_i.organisations, tally_j.organisations),
        _squares_gain(colour_a, colour_b, tally_i.colours, tally_j.colours),
        _missing_colours_gain(colour_a, colour_b, tally_i, tally_j),
    )


def _squares_gain(value_a, value_b, counts_i: Counter, counts_j: Counter) -> int:
    """Drop in squared counts when one ``value_a`` moves i -> j and one ``value_b`` moves j -> i.

    None (unknown) is not counted.
    """
    if value_a == value_b:
        return 0
    gain = 0
    # Moving one from s to t: (s-1)^2 + (t+1)^2 - s^2 - t^2 = 2(t - s + 1).
    if value_a is not None:
        gain -= 2 * (counts_j[value_a] - counts_i[value_a] + 1)
    if value_b is not None:
        gain -= 2 * (counts_i[value_b] - counts_j[value_b] + 1)
    return gain


def _missing_colours_gain(colour_a, colour_b, tally_i: _Tally, tally_j: _Tally) -> int:
    """Drop in squared missing colours of groups i and j when ``colour_a`` and ``colour_b`` swap.

    Squared, so two groups with two colours each beat one with three and one with one.
    """
    if colour_a == colour_b:
        return 0
    before_i, before_j = tally_i.distinct_colours, tally_j.distinct_colours
    after_i = before_i - _leaves(colour_a, tally_i) + _arrives(colour_b, tally_i)
    after_j = before_j - _leaves(colour_b, tally_j) + _arrives(colour_a, tally_j)
    return sum(
        (COLOUR_COUNT - before) ** 2 - (COLOUR_COUNT - after) ** 2
        for before, after in ((before_i, after_i), (before_j, after_j))
    )


def _leaves(colour, tally: _Tally) -> bool:
    """Whether the group loses ``colour`` altogether when one member with it leaves."""
    return colour is not None and tally.colours[colour] == 1


def _arrives(colour, tally: _Tally) -> bool:
    """Whether ``colour`` is new to the group."""
    return colour is not None and tally.colours[colour] == 0
