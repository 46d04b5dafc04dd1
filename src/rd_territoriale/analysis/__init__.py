"""Analyses computed from a loaded case: displays and statistical models.

One module per topic:

- :mod:`~rd_territoriale.analysis.material`: what was collected and coded, per period;
- :mod:`~rd_territoriale.analysis.codebook`: codes named by their latest label, codebook churn;
- :mod:`~rd_territoriale.analysis.matrices`: the time-ordered matrix (code × period,
  counts, rates per exposure, a quote per cell);
- :mod:`~rd_territoriale.analysis.roles`: the role-ordered matrix (stakeholder
  category × code, per period);
- :mod:`~rd_territoriale.analysis.metamatrix`: the case-ordered meta-matrix
  (project × period);
- :mod:`~rd_territoriale.analysis.cooccurrence`: code co-occurrence per period,
  and the pairs that appear or vanish;
- :mod:`~rd_territoriale.analysis.events`: the event listing and timeline lanes;
- :mod:`~rd_territoriale.analysis.models`: change across periods modelled (count
  models with exposure offsets, confidence intervals, Benjamini–Hochberg) and
  contingency tables with adjusted residuals;
- :mod:`~rd_territoriale.analysis.trajectories`: projects' trajectories and the
  feu-de-paille rule;
- :mod:`~rd_territoriale.analysis.signals`: the coûte-que-coûte signal;
- :mod:`~rd_territoriale.analysis.voices`: whose voices (source mix, voices against
  membership, evenness);
- :mod:`~rd_territoriale.analysis.posture`: the researcher's roles across periods;
- :mod:`~rd_territoriale.analysis.lexicon`: the research lexicon's spread into actors' words;
- :mod:`~rd_territoriale.analysis.reliability`: intercoder agreement (units of analysis,
  Cohen's and Fleiss' kappa, Krippendorff's alpha, disagreement list);
- :mod:`~rd_territoriale.analysis.value_chain`: La Fonda's chaîne de valeur élargie (totals per
  stage, contributions, trajectories against baselines, evidence coverage, the cycle).

Pure functions: DataFrames in, DataFrames out; no plotting, no file I/O.
"""
