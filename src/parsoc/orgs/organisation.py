"""One organisation in the directory, and the checks every source of one goes through."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, fields, replace

import pycountry

from parsoc.errors import InputError
from parsoc.numbers import parse_float
from parsoc.orgs.vocabulary import Kind

# How long each text may be (a directory row, not a document).
LIMITS: dict[str, int] = {
    "name": 200, "description": 10_000, "sector": 100, "legal_form": 200, "street": 300,
    "locality": 200, "region": 200, "postcode": 40, "country": 2, "website": 500, "email": 254,
    "phone": 60, "size": 40, "identifier": 100,
}

_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
# Placeholders that real files write for "nothing".
_NOTHING = {"", "n/a", "na", "none", "-", "null", "nil"}


@dataclass(frozen=True)
class Organisation:
    """A co-operative, credit union, project or chapter, as the directory keeps it.

    ``country`` is an ISO 3166 alpha-2 code; ``latitude``/``longitude`` are WGS84 degrees
    (both or neither); ``size`` is the band a source gives ("0-5", "21-50", ...);
    ``identifier`` is the source's own id, kept so that a re-import can recognise a row.
    """

    name: str
    kind: Kind = Kind.COOPERATIVE
    description: str = ""
    sector: str = ""
    legal_form: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    size: str = ""
    identifier: str = ""


TEXT_FIELDS = tuple(f.name for f in fields(Organisation) if f.name in LIMITS)


def blank(value: str | None) -> str:
    """The text, trimmed, with placeholders such as ``n/a`` read as nothing."""
    text = (value or "").strip()
    return "" if text.casefold() in _NOTHING else text


_COUNTRY_ALIASES = {
    "democratic republic of congo": "CD", "democratic republic of the congo": "CD", "drc": "CD",
    "dr congo": "CD", "republic of congo": "CG", "uk": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "usa": "US", "u s a": "US", "united states of america": "US",
    "cote d ivoire": "CI", "ivory coast": "CI", "palestine": "PS", "state of palestine": "PS",
    "south korea": "KR", "korea": "KR", "north korea": "KP", "russia": "RU", "iran": "IR",
    "vietnam": "VN", "laos": "LA", "syria": "SY", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "czech republic": "CZ", "turkey": "TR", "swaziland": "SZ",
    # names in the country's own language, as forms filled in there give them
    "brasil": "BR", "cameroun": "CM", "espana": "ES", "mexico": "MX", "peru": "PE", "deutschland": "DE",
    "italia": "IT", "suisse": "CH", "schweiz": "CH", "senegal": "SN", "benin": "BJ", "haiti": "HT",
    "republique democratique du congo": "CD", "rdc": "CD", "guinee": "GN", "maroc": "MA", "algerie": "DZ",
    "tunisie": "TN", "belgique": "BE", "nederland": "NL", "osterreich": "AT", "polska": "PL",
}


def _country_keys() -> dict[str, str]:
    keys = dict(_COUNTRY_ALIASES)
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                keys.setdefault(_country_key(name), country.alpha_2)
    return keys


def _country_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z]+", " ", text.replace("’", " ").replace("'", " ")).split())


_KEYS: dict[str, str] = {}


def country_code(text: str) -> str:
    """The ISO alpha-2 code for a country name or code; ``InputError`` when it names none."""
    text = blank(text)
    if not text:
        return ""
    if len(text) == 2 and text.isalpha() and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    if not _KEYS:
        _KEYS.update(_country_keys())
    key = _country_key(text)
    if key in _KEYS:
        return _KEYS[key]
    # One close spelling ("Rawanda", "Democratic Republic of Congol"), never a guess between two.
    close = difflib.get_close_matches(key, list(_KEYS), n=2, cutoff=0.85)
    if len(close) == 1 or (len(close) == 2 and _KEYS[close[0]] == _KEYS[close[1]]):
        return _KEYS[close[0]]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        raise InputError(f"country: {text!r} is not a country we know (use its name or its two-letter code)") from None


def country_name(code: str) -> str:
    """The English short name of an alpha-2 code ("" for none)."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(found.name) if found else code


def coordinate(value: str | float | None, field: str, bound: float) -> float | None:
    """A latitude (bound 90) or longitude (bound 180) in degrees, or None when absent.

    Kept to seven decimals (about a centimetre), as maps give them: what we write reads back equal.
    """
    if value is None or (isinstance(value, str) and not blank(value)):
        return None
    return round(parse_float(value, field, low=-bound, high=bound), 7) + 0.0


def _website(text: str) -> str:
    if not text:
        return ""
    if not re.match(r"^https?://", text, re.IGNORECASE):
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE) and not re.match(r"^www\.", text, re.IGNORECASE):
            raise InputError(f"website: {text!r} is not an http or https address")
        text = "http://" + text
    if any(ch.isspace() for ch in text) or "." not in text.split("//", 1)[1].split("/", 1)[0]:
        raise InputError(f"website: {text!r} is not a web address")
    return text


class RecordRefused(InputError):
    """Some fields of a record are wrong: ``problems`` maps each such field to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def _text_field(name: str, value: str | None) -> str:
    text = blank(value)
    if name != "description":
        text = " ".join(text.split())
    if name == "country":
        text = country_code(text)
    if len(text) > LIMITS[name]:
        raise InputError(f"{name}: at most {LIMITS[name]} characters (this one has {len(text)})")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise InputError(f"{name}: control characters are not allowed")
    if name == "name" and not text:
        raise InputError("name: an organisation needs a name")
    if name == "website":
        text = _website(text)
    if name == "email" and text and not _EMAIL.match(text):
        raise InputError(f"email: {text!r} is not an e-mail address")
    return text


def checked(organisation: Organisation) -> Organisation:
    """The organisation tidied (placeholders dropped, spaces trimmed), or ``RecordRefused`` naming each field."""
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for name in TEXT_FIELDS:
        try:
            values[name] = _text_field(name, getattr(organisation, name))
        except InputError as error:
            problems[name] = str(error)
    position: dict[str, float | None] = {}
    for name, bound in (("latitude", 90.0), ("longitude", 180.0)):
        try:
            position[name] = coordinate(getattr(organisation, name), name, bound)
        except InputError as error:
            problems[name] = str(error)
    if len(position) == 2 and (position["latitude"] is None) != (position["longitude"] is None):
        missing = "longitude" if position["longitude"] is None else "latitude"
        problems[missing] = "coordinates: give both latitude and longitude, or neither"
    if not isinstance(organisation.kind, Kind):
        problems["kind"] = f"kind: {organisation.kind!r} is not a kind of organisation"
    if problems:
        raise RecordRefused(problems)
    return replace(organisation, **position, **values)  # type: ignore[arg-type]
