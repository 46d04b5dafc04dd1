"""The study model: from the files of a study folder to a validated, typed case.

The modules form layers of their own (pyproject.toml, second import
contract), from the bottom up:

contract
    the data contract: tables, columns, types, vocabularies (docs/donnees.md).
parsing, fingerprint, gaps
    typed reading of cells; the data's fingerprint; what a study lacks.
definition, outline, skeleton
    ``study.yml`` read with the line of every field; the codebook outline;
    the skeleton written by ``initialiser``.
relations
    the links between tables (every problem located by file, line and column).
schema
    the pandera validation of the whole folder.
case
    :func:`~.case.load_case`, a validated study as typed frames (:class:`~.case.Case`).
"""
