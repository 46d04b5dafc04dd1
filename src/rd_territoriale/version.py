"""The version of rd-territoriale (a module of its own: any layer may read it)."""

__version__ = "0.1.0"
