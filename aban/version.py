"""The version of aban: a leaf, so that any layer may stamp its runs with it."""

__version__ = "0.1.0"
