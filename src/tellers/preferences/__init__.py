"""Turning recorded votes into ballots: revealed preferences (and, later, spatial ones)."""

from .revealed import choose_division, revealed_profile

__all__ = ["choose_division", "revealed_profile"]
