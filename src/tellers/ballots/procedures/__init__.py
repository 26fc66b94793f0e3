"""Parliamentary procedures on complete ballots: which option an agenda adopts, by what path.

Each procedure is a registered function (like the rules) of a :class:`Motion`: a complete
profile, an agenda (the options in the order put), sincere or sophisticated voting, and a
default for indicative votes. :func:`run` returns an :class:`Outcome` with every question
put. The agenda procedures are counted for many cases at once in :mod:`.agendas`;
:mod:`.reach` finds the options an agenda setter can reach, and :mod:`.batch` runs a
procedure over many sampled profiles.

>>> from tellers import Profile
>>> from tellers.ballots import procedures
>>> cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], candidates=["A", "B", "C"])
>>> procedures.run("amendment", cycle, ["A", "B", "C"]).winner
'C'
"""

from tellers.ballots.procedures import standard  # noqa: F401  (registers the procedures, in this order)
from tellers.ballots.procedures.agendas import SINCERE, SOPHISTICATED, VOTING
from tellers.ballots.procedures.outcome import Outcome, Vote
from tellers.ballots.procedures.registry import Motion, info, motion, names, run

__all__ = ["SINCERE", "SOPHISTICATED", "VOTING", "Motion", "Outcome", "Vote", "info", "motion", "names", "run"]
