"""Intercoder agreement: how far two (or more) coders apply the codes alike.

Takes a loaded case (or a frame of coded segments with at least ``source,
coder, code`` and, for passages, ``start, end``; ``period``, ``id`` and
``text`` when present) and returns DataFrames: the units compared
(:func:`coding_units`), the agreement per code and overall
(:func:`agreement`, per period or per pair of coders with ``by``) and the
list of disagreements for a consensus meeting (:func:`disagreements`). The
coefficients are also public, on plain matrices: :func:`krippendorff_alpha`
(the ``krippendorff`` package), :func:`cohen_kappa`, :func:`fleiss_kappa`
(``statsmodels.stats.inter_rater``) and :func:`percent_agreement`.

Never plots, never reads or writes a file (the export of the disagreement
list lives elsewhere), never changes the segments.

Units of analysis (``unit``)
----------------------------
Only sources (interviews, other documents, journal entries) coded by at least
two of the coders compared are used; a coder *coded* a source when they have
at least one segment in it. A coder who did not code a source is *missing*
for its units (not « nothing »).

- ``source``: each such source is a unit. For each code, a coder's value is 1
  when they applied the code somewhere in the source, 0 otherwise.
- ``span`` (default), in the spirit of MAXQDA's segment-level comparison:
  units are *passages*. Two segments of the same source are the same
  passage when they overlap by at least ``min_overlap`` (default 0.5) of the
  **shorter** span
  (``overlap="shorter"``) or of their **union** (``overlap="union"``,
  stricter: a sentence inside a long paragraph does not match it). Positions
  are ``[start, end)``, ``end`` exclusive, as in
  :mod:`rd_territoriale.analysis.cooccurrence`. The rule links segments of
  any coders, a coder's own segments included (the same passage coded with
  two codes is one passage), and is transitive: a passage is a connected
  group of such segments, from the smallest start to the largest end. A
  segment no other segment overlaps enough is a passage of its own, where the
  other coders who coded the source have « nothing ». A segment without
  position (or with ``end <= start``) is always a passage of its own. For
  each code, a coder's value is 1 when one of their segments of the passage
  carries the code, 0 otherwise (1/0 per coder per passage, several codes
  per passage allowed).

The **nominal view** (:func:`nominal_matrix`, ``pooled="nominal"``) asks
instead « which code did each coder give to this unit? »: a coder's value is
the set of codes they applied there, sorted and joined by `` + `` (one
category: ``a + b`` differs from ``a``), or « — » for nothing. It suits
mutually exclusive codes (one code per passage); the per-code binary view
handles several codes per passage without penalising a coder who adds one.

Measures (:func:`agreement`)
----------------------------
Per code (binary values), computed on the units where at least two coders
have a value:

- ``percent_agreement``: share of units where all coders give the same value
  (units where nobody applied the code count as agreements: high for rare
  codes, hence the chance-corrected coefficients);
- ``same_code_share``: « même passage, même code » — of the units where at
  least one coder applied the code, share where all did (agreements over
  agreements and non-agreements, each passage counted once);
- ``primary_confirmed``: of the units where the primary coder (most segments,
  as :func:`rd_territoriale.analysis.matrices.primary_coder`) applied the
  code, share where every other coder did too;
- Cohen's kappa with a 95 % confidence interval (two coders; Cohen 1960),
  Fleiss' kappa (three coders or more, units rated by all; Fleiss 1971),
  Krippendorff's alpha (nominal; any number of coders, missing values
  allowed; Krippendorff 2011).

The overall row (``code`` « ensemble ») pools, with ``pooled="decisions"``
(default), every code × unit decision: the coders × units matrices of all
codes are put side by side and the same measures computed on them. With
``pooled="nominal"`` it uses the nominal view instead.

Thresholds (Krippendorff 2011; :mod:`rd_territoriale.report.limits`)
----------------------------------------------------------------------
The status follows Krippendorff's alpha: ≥ 0.800 « fiable », from 0.667 to
0.800 « conclusions provisoires », below 0.667 « non fiable ». « non
calculable », with a French reason, when fewer than ``min_units`` units
(default 10) are compared, when fewer than ``min_coded`` units (default 5)
carry the code, or when all values are the same (alpha is not defined).
Double coding is meant to discuss and learn from disagreements, not only to
reach a number (O'Connor & Joffe 2020): hence :func:`disagreements`.

References
----------
Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational
and Psychological Measurement*, 20(1), 37–46.
Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
*Psychological Bulletin*, 76(5), 378–382.
Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*.
University of Pennsylvania, Annenberg School for Communication.
O'Connor, C., & Joffe, H. (2020). Intercoder reliability in qualitative
research: debates and practical guidelines. *International Journal of
Qualitative Methods*, 19, 1–13.
"""

# Names outside ``__all__`` are re-exported with ``as`` (public constants used by callers and tests).
from rd_territoriale.analysis.reliability.coefficients import (
    LEVELS,
    STATUSES,
    KappaResult,
    agreement_status,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from rd_territoriale.analysis.reliability.coefficients import (
    NOT_COMPUTABLE as NOT_COMPUTABLE,
)
from rd_territoriale.analysis.reliability.coefficients import (
    RELIABLE_STATUS as RELIABLE_STATUS,
)
from rd_territoriale.analysis.reliability.coefficients import (
    TENTATIVE_STATUS as TENTATIVE_STATUS,
)
from rd_territoriale.analysis.reliability.coefficients import (
    UNRELIABLE_STATUS as UNRELIABLE_STATUS,
)
from rd_territoriale.analysis.reliability.tables import (
    AGREEMENT_COLUMNS,
    BY,
    DISAGREEMENT_COLUMNS,
    OVERALL,
    POOLED,
    agreement,
    disagreements,
)
from rd_territoriale.analysis.reliability.tables import (
    MIN_CODED as MIN_CODED,
)
from rd_territoriale.analysis.reliability.tables import (
    MIN_UNITS as MIN_UNITS,
)
from rd_territoriale.analysis.reliability.tables import (
    NOT_CODED as NOT_CODED,
)
from rd_territoriale.analysis.reliability.tables import (
    OVERALL_LABEL as OVERALL_LABEL,
)
from rd_territoriale.analysis.reliability.units import (
    MIN_OVERLAP as MIN_OVERLAP,
)
from rd_territoriale.analysis.reliability.units import (
    NOTHING as NOTHING,
)
from rd_territoriale.analysis.reliability.units import (
    OVERLAPS as OVERLAPS,
)
from rd_territoriale.analysis.reliability.units import (
    UNIT_COLUMNS,
    UNITS,
    code_matrix,
    coding_units,
    nominal_matrix,
)

__all__ = [
    "AGREEMENT_COLUMNS",
    "BY",
    "DISAGREEMENT_COLUMNS",
    "KappaResult",
    "LEVELS",
    "OVERALL",
    "POOLED",
    "STATUSES",
    "UNITS",
    "UNIT_COLUMNS",
    "agreement",
    "agreement_status",
    "code_matrix",
    "coding_units",
    "cohen_kappa",
    "disagreements",
    "fleiss_kappa",
    "krippendorff_alpha",
    "nominal_matrix",
    "percent_agreement",
]
