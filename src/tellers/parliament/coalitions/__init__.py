"""Blocs, weighted games, power indices and what it would take for a motion or an option to win.

- :mod:`.games`: weighted voting games, exact Shapley-Shubik and Banzhaf indices by
  generating functions, minimal winning coalitions;
- :mod:`.quota`: who could vote in a real division, and the quota that implies;
- :mod:`.house_power`: each party's (or member's) power in a real division's house;
- :mod:`.switching`, :mod:`.whatif`, :mod:`.ballot_changes`: the fewest members whose votes
  (for a division) or ballots (for an option head to head) must change, as integer programs;
- :mod:`.scenario_file`, :mod:`.scenario`, :mod:`.scenario_example`: scenario files (blocs and
  stances, or edits to real divisions), their evaluation, and the bundled example;
  :mod:`.toml_lines` finds a TOML key's line for their error messages.
"""

from tellers.parliament.coalitions.games import (
    GameError,
    PowerIndices,
    WeightedGame,
    banzhaf,
    majority_quota,
    minimal_winning_coalitions,
    power_indices,
    shapley_shubik,
)
from tellers.parliament.coalitions.quota import HouseCount, count_house

__all__ = [
    "GameError",
    "HouseCount",
    "PowerIndices",
    "WeightedGame",
    "banzhaf",
    "count_house",
    "majority_quota",
    "minimal_winning_coalitions",
    "power_indices",
    "shapley_shubik",
]
