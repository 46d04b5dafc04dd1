"""rd-territoriale: data notebooks for territorial R&D (research-intervention).

The public API is small: :func:`load_case` reads, validates and types a study
folder and returns a :class:`Case`.
"""

from rd_territoriale.version import __version__

__all__ = ["__version__", "load_case", "Case"]


def __getattr__(name):
    # Lazy imports keep ``import rd_territoriale`` (and the CLI's start) fast.
    if name in ("load_case", "Case"):
        from rd_territoriale.study import case

        return getattr(case, name)
    raise AttributeError(name)
