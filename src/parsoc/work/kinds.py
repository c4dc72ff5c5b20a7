"""The vocabulary of the work domain: effort schemes, forms of rating round, ways to compose jobs.

Light to import (no NumPy): the command line offers these choices at start-up.
"""

from __future__ import annotations

from parsoc.vocabulary import Vocabulary, _


class EffortKind(Vocabulary):
    """How a council rates effort (see :mod:`parsoc.work.effort`)."""

    HOURS = "hours", _("Hours worked")
    INTENSITY = "intensity", _("Intensity: co-workers rate how hard each works (0.5 to 1.5)")
    ONEROUSNESS = "onerousness", _("Onerousness: each job's hours weighted by how heavy it is")


class RatingForm(Vocabulary):
    """How members rate tasks in a rating round (see :mod:`parsoc.work.rating_rounds`)."""

    SCALE = "scale", _("Scale: a number for each task")
    RANKING = "ranking", _("Ranking: tasks in order")


class ComposeMethod(Vocabulary):
    """How job complexes are composed (see :func:`parsoc.work.composer.compose_jobs`)."""

    AUTO = "auto", _("Automatic: exact up to 200 × 200, the heuristic beyond")
    EXACT = "exact", _("Exact (mixed-integer program)")
    HEURISTIC = "heuristic", _("Heuristic")
    GREEDY = "greedy", _("Greedy (the baseline)")
