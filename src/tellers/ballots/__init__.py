"""The ballot engine: general social choice, knowing nothing about parliaments.

Holds :class:`~tellers.ballots.profile.Profile` (weighted ballots as numpy arrays: strict,
tied, truncated, approval and partial ballots), the majority algorithms
(:mod:`~tellers.ballots.majority`: margins, Condorcet winner and loser, Smith and Schwartz
sets, cycles), the registered voting rules (:mod:`~tellers.ballots.rules`) and procedures
(:mod:`~tellers.ballots.procedures`), and simulation studies (:mod:`~tellers.ballots.simulate`).

May import: numpy, scipy (dask in ``simulate`` only), :mod:`tellers.errors` and itself.
Never the records, parliament or views packages (``tests/test_layers.py`` checks).
"""

from tellers.ballots import rules
from tellers.ballots.profile import UNRANKED, Profile

__all__ = ["UNRANKED", "Profile", "rules"]
