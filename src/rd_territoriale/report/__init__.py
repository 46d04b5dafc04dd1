"""What the notebooks call to present a study: tables, sentences, displays, the page's provenance.

This layer sits above the analyses and the figures, and below the build
(:mod:`rd_territoriale.build`, which runs the notebooks and publishes their
pages). Its modules are light to import: notebooks load them in every report.

Modules
-------
overview
    the study overview and :func:`~.overview.french_table`, the French table of every page.
displays
    the tables of the period, project and synthesis reports.
narrative
    the sentences that say what a table or a figure shows, or what is missing.
openings
    matrix cells that open onto their consented passages.
limits
    the limits of the analysis, stated from the data, rule by rule.
reflexivity, reliability, value_chain
    the presentation of the reports of the same names.
provenance
    what a notebook records about the data it used (the page's footer).
"""
