"""Privacy: pseudonymisation, quotes, small cells, leak scan (docs/architecture.md §6).

Names are imported lazily from their modules, so that importing
``rd_territoriale.privacy`` costs nothing (the leak scan of built reports
loads only :mod:`~rd_territoriale.privacy.key`, which needs no pandas).

- :mod:`~rd_territoriale.privacy.key` — the pseudonym key: :func:`read_key`,
  :class:`Key`, :class:`KeyEntry`, :class:`KeyFileError`.
- :mod:`~rd_territoriale.privacy.pseudonymise` — :func:`pseudonymise` a raw
  study (its files, its checks, the run); :mod:`~rd_territoriale.privacy.matcher`
  — the matcher :class:`Pseudonymiser`; :mod:`~rd_territoriale.privacy.summary`
  — what a run says, :class:`PseudonymisationReport`.
- :mod:`~rd_territoriale.privacy.names`, :mod:`~rd_territoriale.privacy.contacts`,
  :mod:`~rd_territoriale.privacy.review` — names missing from the key, contact
  details redacted, the review list of the forms to decide.
- :mod:`~rd_territoriale.privacy.masking`, :mod:`~rd_territoriale.privacy.quotes`,
  :mod:`~rd_territoriale.privacy.scan` — small cells, quotable passages, the leak
  scan of built pages.
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
    "Pseudonymiser": "matcher",
    "PseudonymisationReport": "summary",
    "PseudonymisationError": "summary",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
