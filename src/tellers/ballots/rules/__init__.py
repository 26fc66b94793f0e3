"""Voting rules. Each is a pure function of a Profile, registered by name.

Part of the ballot engine: imports only :mod:`tellers.ballots`, :mod:`tellers.errors`,
numpy and scipy.

>>> from tellers import Profile, rules
>>> rules.run("schulze", Profile.from_rankings([[0, 1, 2], [1, 2, 0]], [2, 1])).winners
frozenset({'0'})
"""

from tellers.ballots.rules import scoring, runoff, pairwise, kemeny  # noqa: F401, I001  (registers the rules, in this order)
from tellers.ballots.rules.registry import info, names, rule, run, skip_reason
from tellers.ballots.rules.result import Result, Round

__all__ = ["Result", "Round", "info", "names", "rule", "run", "skip_reason"]
