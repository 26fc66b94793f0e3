"""Views: formatting only. The command line (:mod:`.cli`), the terminal tables, JSON and
HTML report (:mod:`.report`) and the web app (:mod:`.web`).

May import everything below (parliament, records, ballots); nothing imports the views.
If a view needs a number, a lower layer computes it.
"""
