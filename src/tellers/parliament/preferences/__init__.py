"""Turning recorded votes into ballots: revealed preferences, and spatial ones (ideal points).

May import :mod:`tellers.records`, :mod:`tellers.ballots` and the parliament's options; never the views.
"""

from tellers.parliament.preferences.idealpoints import Bootstrap, IdealPoints, bootstrap_ideal_points, fit_ideal_points
from tellers.parliament.preferences.revealed import revealed_profile
from tellers.parliament.preferences.spatial import SpatialModel, distance_profile, place_options, spatial_bootstrap

__all__ = [
    "Bootstrap",
    "IdealPoints",
    "SpatialModel",
    "bootstrap_ideal_points",
    "distance_profile",
    "fit_ideal_points",
    "place_options",
    "revealed_profile",
    "spatial_bootstrap",
]
