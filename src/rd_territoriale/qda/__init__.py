"""Exchange with qualitative data analysis tools: what comes into a study and what goes out.

This layer sits above :mod:`rd_territoriale.analysis` (an export may use the
codebook's hierarchy or the periods) and below the reports and the command
line.

Modules
-------
refi, refi_schema, refi_study
    REFI-QDA projects (``.qdpx``): reading under the standard's schema, and a
    project turned into the study's tables.
refi_codebook
    the study's codebook written as a REFI-QDA codebook (``.qdc``).
taguette
    Taguette's highlight and codebook exports (``.csv``).
common
    what these importers share: identifiers made from names, dates read from names.
importer
    imported tables written into a study folder, validated before anything is replaced.
quotes
    the coded segments exported as a quotes table (CSV or XLSX).
"""
