"""tellers: find the option a divided parliament can agree on.

The package is layered; each layer imports only those below it:

- :mod:`tellers.ballots`: the ballot engine (profiles, majority graph, rules);
- :mod:`tellers.records`: readers, live clients and the DuckDB store;
- :mod:`tellers.parliament`: houses, options, preferences, coalitions;
- :mod:`tellers.views`: the command line, the report and the web app.
"""

from tellers.ballots import Profile, rules
from tellers.errors import TellersError

__all__ = ["Profile", "TellersError", "rules"]
__version__ = "0.1.0"
