"""Privacy: pseudonymisation, quotes, small cells, leak scan (docs/architecture.md §6).

Names are imported lazily from their modules, so that importing
``rd_territoriale.privacy`` costs nothing (the leak scan of built reports
loads only :mod:`~rd_territoriale.privacy.key`, which needs no pandas).

- :mod:`~rd_territoriale.privacy.key` — the pseudonym key: :func:`read_key`,
  :class:`Key`, :class:`KeyEntry`, :class:`KeyFileError`.
- :mod:`~rd_territoriale.privacy.pseudonymise` — :func:`pseudonymise` a raw
  study, the matcher :class:`Pseudonymiser`, :class:`PseudonymisationReport`.
- :mod:`~rd_territoriale.privacy.french_words` — common French words that are
  also names (ambiguous forms).
"""

_LAZY = {
    "read_key": "key",
    "Key": "key",
    "KeyEntry": "key",
    "KeyFileError": "key",
    "NameForm": "key",
    "pseudonymise": "pseudonymise",
    "Pseudonymiser": "pseudonymise",
    "PseudonymisationReport": "pseudonymise",
    "PseudonymisationError": "pseudonymise",
    "main_pseudonymise": "pseudonymise",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
