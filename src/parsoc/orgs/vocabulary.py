"""Kinds of organisation and sectors, with the ESSGLOBAL codes used by solidarity-economy maps.

ESSGLOBAL is the shared vocabulary of solidarity-economy data (Digital Commons Co-operative,
RIPESS). Two of its lists matter here: *organisational structure* (``OS60`` workers
co-operative, ``OS115`` co-operative, ...) and *ICA activity* (``ICA10`` agriculture,
``ICA140`` financial services, ...). Our own lists are smaller and named in our words; each
maps to one code so that an export reads correctly in any map built on that vocabulary, and
each code maps back, so that what we export we read back the same.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from enum import StrEnum

# ESSGLOBAL organisational structures (the codes and English labels of the vocabulary).
STRUCTURES: dict[str, str] = {
    "OS10": "Community group (formal or informal)",
    "OS20": "Not-for-profit organisation",
    "OS30": "Social enterprise",
    "OS40": "Charity",
    "OS50": "Company (Other)",
    "OS60": "Workers cooperative",
    "OS70": "Housing cooperative",
    "OS80": "Consumer/User coops",
    "OS90": "Producer cooperative",
    "OS100": "Multi-stakeholder cooperative",
    "OS110": "Secondary cooperative",
    "OS115": "Cooperative",
    "OS120": "Community Interest Company (CIC)",
    "OS130": "Community Benefit Society / Industrial and Provident Society (IPS)",
    "OS140": "Employee trust",
    "OS150": "Self-employed",
    "OS160": "Unincorporated",
    "OS170": "Mutual",
    "OS180": "National apex",
    "OS190": "National sectoral federation or union",
    "OS200": "Regional, state or provincial level federation or union",
    "OS210": "Cooperative group",
    "OS220": "Government agency/body",
    "OS230": "Supranational",
    "OS240": "Cooperative of cooperatives / mutuals",
}

# ESSGLOBAL / ICA economic activities.
ACTIVITIES: dict[str, str] = {
    "ICA10": "Agriculture",
    "ICA20": "Dairy",
    "ICA30": "Forestry",
    "ICA40": "Irrigation",
    "ICA50": "Fishing",
    "ICA60": "Artisans",
    "ICA70": "Construction",
    "ICA80": "Industry",
    "ICA90": "Manufacturing",
    "ICA100": "Mining",
    "ICA110": "Professional",
    "ICA120": "Service",
    "ICA130": "Tourism",
    "ICA140": "Financial Services",
    "ICA150": "Insurance",
    "ICA160": "Education",
    "ICA170": "Health",
    "ICA180": "Community",
    "ICA190": "Social",
    "ICA200": "Social Service",
    "ICA210": "Housing",
    "ICA220": "Transport",
    "ICA230": "Utilities",
    "ICA240": "Retail",
    "ICA250": "Production",
    "ICA260": "Wholesale and retail trade",
    "ICA270": "Education / health / social work",
    "ICA280": "Other Services",
    "ICA290": "All (Services)",
}


class Kind(StrEnum):
    """What an organisation is, in the directory's words."""

    WORKER_COOP = "worker_coop"
    CONSUMER_COOP = "consumer_coop"
    HOUSING_COOP = "housing_coop"
    PRODUCER_COOP = "producer_coop"
    MULTI_STAKEHOLDER_COOP = "multi_stakeholder_coop"
    COOPERATIVE = "cooperative"
    FEDERATION = "federation"
    CREDIT_UNION = "credit_union"
    MUTUAL = "mutual"
    MUTUAL_AID = "mutual_aid"
    LAND_TRUST = "land_trust"
    CHAPTER = "chapter"
    NOT_FOR_PROFIT = "not_for_profit"
    SOCIAL_ENTERPRISE = "social_enterprise"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def structure(self) -> str:
        """The ESSGLOBAL organisational-structure code this kind is exported as."""
        return _KIND_STRUCTURE[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.WORKER_COOP: "Worker co-operative",
    Kind.CONSUMER_COOP: "Consumer co-operative",
    Kind.HOUSING_COOP: "Housing co-operative",
    Kind.PRODUCER_COOP: "Producer co-operative",
    Kind.MULTI_STAKEHOLDER_COOP: "Multi-stakeholder co-operative",
    Kind.COOPERATIVE: "Co-operative",
    Kind.FEDERATION: "Federation of co-operatives",
    Kind.CREDIT_UNION: "Credit union",
    Kind.MUTUAL: "Mutual",
    Kind.MUTUAL_AID: "Mutual-aid project",
    Kind.LAND_TRUST: "Community land trust",
    Kind.CHAPTER: "Chapter",
    Kind.NOT_FOR_PROFIT: "Not-for-profit organisation",
    Kind.SOCIAL_ENTERPRISE: "Social enterprise",
    Kind.OTHER: "Other",
}

_KIND_STRUCTURE: dict[Kind, str] = {
    Kind.WORKER_COOP: "OS60",
    Kind.CONSUMER_COOP: "OS80",
    Kind.HOUSING_COOP: "OS70",
    Kind.PRODUCER_COOP: "OS90",
    Kind.MULTI_STAKEHOLDER_COOP: "OS100",
    Kind.COOPERATIVE: "OS115",
    Kind.FEDERATION: "OS240",
    Kind.CREDIT_UNION: "OS115",  # a co-operative whose activity is financial services
    Kind.MUTUAL: "OS170",
    Kind.MUTUAL_AID: "OS10",
    Kind.LAND_TRUST: "OS130",
    Kind.CHAPTER: "OS160",
    Kind.NOT_FOR_PROFIT: "OS20",
    Kind.SOCIAL_ENTERPRISE: "OS30",
    Kind.OTHER: "OS50",
}

# Reading a structure code back: the kinds above, and the codes that no kind exports.
_STRUCTURE_KIND: dict[str, Kind] = {
    code: Kind(kind) for kind, code in _KIND_STRUCTURE.items() if kind is not Kind.CREDIT_UNION
}
_STRUCTURE_KIND |= {
    "OS40": Kind.NOT_FOR_PROFIT,
    "OS110": Kind.FEDERATION,
    "OS120": Kind.SOCIAL_ENTERPRISE,
    "OS140": Kind.OTHER,
    "OS150": Kind.OTHER,
    "OS180": Kind.FEDERATION,
    "OS190": Kind.FEDERATION,
    "OS200": Kind.FEDERATION,
    "OS210": Kind.FEDERATION,
    "OS220": Kind.OTHER,
    "OS230": Kind.FEDERATION,
}

FINANCIAL_SERVICES = "ICA140"


def kind_from_structure(code: str, activity: str = "") -> Kind | None:
    """The kind for an ESSGLOBAL structure code (a co-operative in finance is a credit union)."""
    code = code.strip().upper()
    if code == "OS115" and activity.strip().upper() == FINANCIAL_SERVICES:
        return Kind.CREDIT_UNION
    return _STRUCTURE_KIND.get(code)


def _words(text: str) -> str:
    """Lower case, accents dropped, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.replace("&", " and ")).split())


# Sectors: one canonical name each, its ICA activity, and the spellings met in real data.
SECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Agriculture": ("ICA10", ("agriculture", "agricultural", "farming", "agricultura")),
    "Banking and credit": ("ICA140", ("banking credit unions", "banking", "credit union", "credit unions",
                                      "finance", "financial services", "savings and credit")),
    "Multi-purpose": ("ICA290", ("multi purpose", "multipurpose", "all services")),
    "Housing": ("ICA210", ("housing", "vivienda", "logement")),
    "Environment": ("ICA230", ("environmental", "environment", "ecology", "renewable energy", "energy")),
    "Training and education": ("ICA160", ("training and education", "education and training", "education",
                                          "training")),
    "Apex and federations": ("ICA290", ("apex co op", "apex", "federation", "apex coop")),
    "Incubation": ("ICA110", ("incubator", "incubation")),
    "Communications": ("ICA120", ("communications", "communication", "media")),
    "Social services": ("ICA190", ("social", "social services", "social service", "social care")),
    "Freelance work": ("ICA110", ("freelancer", "freelancers", "freelance")),
    "Manufacturing": ("ICA90", ("industry manufacturing", "manufacturing", "industry")),
    "Insurance": ("ICA150", ("insurance",)),
    "Consulting": ("ICA110", ("management consulting", "consulting", "professional services")),
    "Retail": ("ICA240", ("retail", "shop", "grocery", "food retail")),
    "Security services": ("ICA120", ("security services", "security")),
    "Transport": ("ICA220", ("transportation", "transport")),
    "Utilities": ("ICA230", ("utilities",)),
    "Construction": ("ICA70", ("construction", "building")),
    "Health": ("ICA170", ("health", "healthcare", "health care")),
    "Fishing": ("ICA50", ("fishing", "fisheries")),
    "Forestry": ("ICA30", ("forestry",)),
    "Dairy": ("ICA20", ("dairy",)),
    "Crafts": ("ICA60", ("artisans", "crafts", "handicrafts")),
    "Tourism": ("ICA130", ("tourism",)),
    "Community": ("ICA180", ("community",)),
    "Other services": ("ICA280", ("other services", "services", "service")),
}

_SPELLINGS: dict[str, str] = {
    _words(spelling): name for name, (_, spellings) in SECTORS.items() for spelling in (name, *spellings)
}
_ACTIVITY_SECTOR: dict[str, str] = {}
for _name, (_code, _) in SECTORS.items():
    _ACTIVITY_SECTOR.setdefault(_code, _name)


def normalise_sector(text: str) -> str:
    """The canonical sector name for a spelling met in real data, or the text tidied.

    Exact after folding case, accents, ``&`` and punctuation ("Training & Education" and
    "training and education" are one); then one close match for typos ("Training and
    eduction"); otherwise the text itself, trimmed, so that nothing a source says is lost.
    """
    words = _words(text)
    if not words:
        return ""
    if words in _SPELLINGS:
        return _SPELLINGS[words]
    close = difflib.get_close_matches(words, list(_SPELLINGS), n=1, cutoff=0.88)
    if close:
        return _SPELLINGS[close[0]]
    return " ".join(text.split())


def sector_activity(sector: str) -> str:
    """The ICA activity code of a canonical sector ("" for a sector we don't know)."""
    known = SECTORS.get(sector)
    return known[0] if known else ""


def sector_from_activity(code: str) -> str:
    """A sector name for an ICA activity code read from a file ("" when unknown)."""
    code = code.strip().upper()
    return _ACTIVITY_SECTOR.get(code) or ACTIVITIES.get(code, "")


# The ICA youth network's "Type" column (in English, Spanish, French and Italian).
_TYPE_KIND: dict[str, Kind] = {
    _words(spelling): kind
    for kind, spellings in {
        Kind.WORKER_COOP: ("work and employment cooperative", "cooperativa de trabajo y empleo",
                           "cooperativa di lavoro", "cooperative de travailleur se s", "worker cooperative",
                           "workers cooperative", "worker co op"),
        Kind.MULTI_STAKEHOLDER_COOP: ("multi stakeholder cooperative", "cooperativa de multiples actores",
                                      "cooperative pluri acteurs", "multi stakeholder co op"),
        Kind.CONSUMER_COOP: ("final consumer user cooperative", "cooperative de consommateur rice s",
                             "cooperativa de consumo usuario final", "consumer cooperative", "consumer co op"),
        Kind.PRODUCER_COOP: ("producer cooperative", "cooperativa de produccion",
                             "cooperative de producteur rice s dont agricole", "producer co op"),
        Kind.HOUSING_COOP: ("housing cooperative", "housing co op"),
        Kind.CREDIT_UNION: ("credit union", "credit unions"),
        Kind.LAND_TRUST: ("community land trust",),
        Kind.MUTUAL_AID: ("mutual aid", "mutual aid project"),
    }.items()
    for spelling in spellings
}


def kind_from_text(text: str) -> Kind | None:
    """The kind named by a free-text type (the ICA layout's "Type"), or None."""
    words = _words(text)
    if words in _TYPE_KIND:
        return _TYPE_KIND[words]
    for kind in Kind:
        if words in {_words(kind.value), _words(kind.label)}:
            return kind
    return None
