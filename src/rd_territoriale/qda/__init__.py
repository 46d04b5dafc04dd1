"""Exchange with qualitative data analysis tools and spreadsheets: what goes out of a study.

This layer sits above :mod:`rd_territoriale.analysis` (an export may use the
codebook's hierarchy or the periods) and below the reports and the command
line. :mod:`.quotes` exports the coded segments as a quotes table.
"""
