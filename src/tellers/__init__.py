"""tellers: find the option a divided parliament can agree on."""

from . import rules
from .errors import TellersError
from .profile import Profile

__all__ = ["Profile", "TellersError", "rules"]
__version__ = "0.1.0"
