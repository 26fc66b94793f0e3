"""Records: what division lists and ballot files say, read, fetched and stored.

- :mod:`.model`: what a record states (members, divisions, each member's vote, with the
  party the source gives);
- :mod:`.patterns` and :mod:`.rollcalls`: recorded votes as tables (members by party and
  voting pattern; one row per member);
- :mod:`.readers`: one reader per format (Commons Votes JSON and CSV, the long Brexit CSV,
  Voteview, PrefLib, ballot CSV), each error naming the file, line and fix;
- :mod:`.commons_api`: the live Commons Votes client (httpx, cached, polite);
- :mod:`.store`: the DuckDB store (schema, imports in one transaction each, queries).

May import: :mod:`tellers.ballots` (to build profiles from ballot files), :mod:`tellers.errors`,
numpy, duckdb, httpx. Never the parliament or views packages.
"""
