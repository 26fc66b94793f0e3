"""How many completions the robustness checks draw by default (:mod:`.robustness`).

Constants only, in a module of their own, so that the command line can show them as
defaults without importing the models that draw (numpy, the completions, the spatial fit).
"""

DRAWS = 20_000
"""Draws per model by default."""
QUICK_DRAWS = 2_000
"""Draws per model where a glance will do (the demo, the report, the web page): each share to within about ±2.2 points, 95%."""
