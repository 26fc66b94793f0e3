"""The power of each party (or member) in a real house, as it stood in one division."""

from __future__ import annotations

from dataclasses import dataclass

from tellers.parliament.coalitions.games import PowerIndices, listed_coalitions, power_indices
from tellers.parliament.coalitions.quota import HouseCount, count_house
from tellers.parliament.house import House

@dataclass(frozen=True)
class HousePower:
    """A real division's house as a weighted game, and each player's power."""

    power: PowerIndices
    blocs: dict[str, tuple[str, ...]]
    """Each party's players (the party itself, or its members; "Independent": the unwhipped)."""
    house: HouseCount
    """Who could vote, and the quota."""
    minimal: list[tuple[str, ...]] | None
    """The minimal winning coalitions, when listed."""


def house_power(
    house: House,
    division_id: str,
    *,
    members: bool = False,
    quota: int | None = None,
    minimal: bool | None = None,
    exact: bool | None = None,
) -> HousePower:
    """Power in the house as it stood in ``division_id``: parties vote as blocs and members
    without a whip one by one (``members``: every eligible member a player of weight 1); the
    quota is a majority of those eligible unless given. ``minimal`` lists the minimal winning
    coalitions (default: for at most :data:`~tellers.parliament.coalitions.games.MINIMAL_WINNING_PLAYERS` players);
    ``exact`` as for :func:`~tellers.parliament.coalitions.games.power_indices`."""
    record = house.division_record(division_id)
    count = count_house(house.voting_patterns([record.id]), record, house.catalogue.party_aliases)
    if members:
        game, party_of = count.member_game(quota)
        blocs: dict[str, list[str]] = {}
        for player, party in party_of.items():
            blocs.setdefault(party, []).append(player)
        bloc_players = {p: tuple(v) for p, v in blocs.items()}
    else:
        game = count.party_game(quota)
        bloc_players = {p: (p,) for p in count.parties}
        if count.unwhipped:
            bloc_players["Independent"] = count.unwhipped
    return HousePower(power_indices(game, exact=exact), bloc_players, count, listed_coalitions(game, minimal))
