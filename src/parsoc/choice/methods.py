"""The names of the counting methods and budgeting rules, with the words people read.

Kept apart from the counting code (and light to import: no NumPy) so that command-line
options, forms and schemas can offer the choices without loading the methods themselves.
"""

from __future__ import annotations

from parsoc.vocabulary import Vocabulary, _


class VotingMethod(Vocabulary):
    """The counting methods (key: the name the command line uses)."""

    PLURALITY = "plurality", _("Plurality")
    BORDA = "borda", _("Borda count")
    IRV = "irv", _("Instant runoff")
    SCHULZE = "schulze", _("Schulze")
    COPELAND = "copeland", _("Copeland")
    MINIMAX = "minimax", _("Minimax")
    RANKED_PAIRS = "ranked-pairs", _("Ranked pairs")
    STV = "stv", _("Single transferable vote (STV)")
    APPROVAL = "approval", _("Approval voting")
    PAV = "pav", _("Proportional approval voting")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")


class BudgetRule(Vocabulary):
    """The participatory budgeting rules (key: the name the command line and files use)."""

    EQUAL_SHARES = "equal-shares", _("Method of Equal Shares")
    GREEDY = "greedy", _("Greedy by votes")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")


class Satisfaction(Vocabulary):
    """What a supporter of a funded project gains from it, under Equal Shares."""

    COST = "cost", _("Cost: a voter's gain is the money spent on projects they voted for")
    CARDINALITY = "cardinality", _("Count: a voter's gain is the number of their projects funded")


class Completion(Vocabulary):
    """What Equal Shares does with money left over."""

    NONE = "none", _("None: leftover money stays unspent")
    ADD1 = "add1", _("Add one: raise every voter's share step by step while the outcome still fits the budget")
