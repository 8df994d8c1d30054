"""Jalon: planning and steering for the chef de projet numérique."""

__version__ = "0.1.0"
