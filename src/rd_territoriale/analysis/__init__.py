"""Analyses computed from a loaded case: displays and statistical models.

:mod:`~rd_territoriale.analysis.matrices` builds the displays of qualitative
method (time-ordered matrix: code × period, counts, rates per exposure, a
quote per cell); :mod:`~rd_territoriale.analysis.models` models change across
periods (count models with exposure offsets, confidence intervals,
Benjamini–Hochberg correction) and contingency tables with adjusted residuals.

Pure functions: DataFrames in, DataFrames out; no plotting, no file I/O.
"""
