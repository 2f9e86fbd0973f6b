"""The authority alias table (``authority_aliases.csv``, package data): the other names
reports and users give an authority -- short forms ("East Riding", "Newcastle"), children's
trusts that deliver a council's services ("Birmingham Children's Trust", "Together for
Children") -- each with the GSS code of the authority it stands for.

One table serves extraction (``graph_builder.authorities`` adds the aliases to each
authority's name variants) and the store side (``queries.resolve_authority`` turns a user's
``--authority`` into a GSS code), so both read names the same way.  :func:`name_key` is the
shared folding: case, apostrophes, "&", and the words that only say what kind of council it
is ("Sefton Metropolitan Borough Council" -> "sefton").
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Alias", "ALIASES_FILE", "COUNCIL_WORDS", "aliases", "alias_gss", "name_key"]

ALIASES_FILE = "authority_aliases.csv"

COUNCIL_WORDS = re.compile(
    r"\b(?:the|royal borough of|london borough of|borough of|city of|county of|council of the|"
    r"metropolitan|borough|district|county|city|unitary authority|council|"
    r"children and families trust|children's services trust|local authority|children's services)\b"
)


@dataclass(frozen=True, slots=True)
class Alias:
    alias: str
    gss_code: str | None  # None: the alias is ambiguous (a trust serving several councils)
    kind: str  # short | trust | renamed | merged
    note: str


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    s = re.sub(r"[^\w' ]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def name_key(text: str) -> str:
    """``text`` folded for matching names, council-type words dropped."""
    f = _fold(text)
    stripped = re.sub(r"\s+", " ", COUNCIL_WORDS.sub(" ", f)).strip()
    return stripped or f


@lru_cache(maxsize=1)
def aliases() -> tuple[Alias, ...]:
    """Every row of the alias table."""
    text = resources.files(__package__).joinpath(ALIASES_FILE).read_text(encoding="utf-8")
    return tuple(Alias(r["alias"].strip(), r["gss_code"].strip() or None, r["kind"].strip(), r["note"].strip())
                 for r in csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def _by_key() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for a in aliases():
        for k in {_fold(a.alias), name_key(a.alias)}:
            out.setdefault(k, a.gss_code)
    return out


def alias_gss(name: str) -> str | None:
    """The GSS code an alias stands for (None when ``name`` is no alias, or an ambiguous one)."""
    by = _by_key()
    return by.get(_fold(name)) or by.get(name_key(name))
