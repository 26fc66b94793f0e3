"""The parliament layer: chambers, options and what their records mean.

- :mod:`.house`: the one way in: :func:`~tellers.parliament.house.open_house` resolves a
  database or a bundled case the same way for every command;
- :mod:`.options`: options and how a user's names for them resolve;
- :mod:`.catalogue` and :mod:`.cases`: option catalogues and bundled cases;
- :mod:`.head_to_head`: which option beats which, from recorded votes;
- :mod:`.preferences`: revealed preferences, ideal points and spatial ballots;
- :mod:`.coalitions`: power indices, what-ifs and scenarios; :mod:`.stances`: party stances.

May import: :mod:`tellers.records`, :mod:`tellers.ballots`, :mod:`tellers.errors`. Never the views.
"""
