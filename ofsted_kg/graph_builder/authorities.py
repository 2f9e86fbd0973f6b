"""English local authorities: the shipped reference table and name matching.

The table is ``data/la_lookup.csv`` (from the MIT-licensed JT-39/ofsted-ilacs-scrape-tool):
one row per authority with its Ofsted URN, DfE (old) LA code, ONS GSS code and region.
Reports name authorities in many ways ("Sefton Metropolitan Borough Council", "Sefton
Borough Council", "Sefton Council", "London Borough of Barking and Dagenham", "City of
Bradford Metropolitan District Council", "Bristol, City of", "Telford & Wrekin"), so every
authority gets a set of folded name variants, and matching strips council-type words.

Renamed and merged authorities are kept apart, each with its own codes:

* rows of the table that are historical (e.g. Northamptonshire ``E10000021``, split in 2021
  into North ``E06000061`` and West Northamptonshire ``E06000062``; Cumbria, split in 2023)
  are matched as themselves, because a 2016 report on Northamptonshire is about that
  council, not its successors;
* :data:`HISTORICAL` lists authorities or codes that are *not* rows of the table (old
  Dorset county ``E10000009``, Bournemouth ``E06000028`` and Poole ``E06000029`` before BCP
  ``E06000058``; Barnsley's GSS code ``E08000016`` before 2025's ``E08000038``; North
  Yorkshire and Somerset county codes before 2023) with their successors, see
  :func:`successors`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..ontology.aliases import COUNCIL_WORDS, aliases, name_key
from .normalise import fold
from .records import AuthorityRef

__all__ = [
    "Authority",
    "HISTORICAL",
    "all_authorities",
    "find_authority",
    "lookup_authority",
    "match_authority_name",
    "successors",
]


@dataclass(frozen=True, slots=True)
class Authority:
    """One row of the reference table."""

    name: str  # ONS name, e.g. "Bristol, City of"
    short_name: str  # display name, e.g. "Bristol"
    gss_code: str | None
    ofsted_urn: str | None
    la_code: str | None
    region: str | None
    variants: tuple[str, ...]  # folded name variants

    def ref(self, matched: str | None = None) -> AuthorityRef:
        """This authority as a record's :class:`AuthorityRef`."""
        return AuthorityRef(
            name=self.short_name,
            gss_code=self.gss_code,
            ofsted_urn=self.ofsted_urn,
            la_code=self.la_code,
            region=self.region,
            matched=matched,
        )


@dataclass(frozen=True, slots=True)
class Historical:
    """An authority (or code) no longer current, and what replaced it."""

    name: str
    gss_code: str
    ofsted_urn: str | None
    la_code: str | None
    successor_gss: tuple[str, ...]
    note: str


# Authorities/codes that are not rows of la_lookup.csv.  Keep small and sourced (ONS code
# history): old code -> successor code(s).
HISTORICAL: tuple[Historical, ...] = (
    Historical("Dorset (county council, to 2019)", "E10000009", None, "835", ("E06000059",),
               "Dorset County Council merged with its districts into Dorset Council, April 2019"),
    Historical("Bournemouth (to 2019)", "E06000028", None, "837", ("E06000058",),
               "merged into Bournemouth, Christchurch and Poole, April 2019"),
    Historical("Poole (to 2019)", "E06000029", None, "836", ("E06000058",),
               "merged into Bournemouth, Christchurch and Poole, April 2019"),
    Historical("Barnsley (GSS code to 2025)", "E08000016", "80426", "370", ("E08000038",),
               "same council; ONS re-coded Barnsley after a boundary change (2025)"),
    Historical("North Yorkshire (county council, to 2023)", "E10000023", "80530", "815",
               ("E06000065",), "became the unitary North Yorkshire Council, April 2023"),
    Historical("Somerset (county council, to 2023)", "E10000027", "80555", "933",
               ("E06000066",), "became the unitary Somerset Council, April 2023"),
    Historical("Northamptonshire (county council, to 2021)", "E10000021", "121939", "928",
               ("E06000061", "E06000062"),
               "split into North and West Northamptonshire, April 2021"),
    Historical("Cumbria (county council, to 2023)", "E10000006", "135513", "909",
               ("E06000063", "E06000064"), "split into Cumberland and Westmorland and Furness, April 2023"),
)

# Words that name a council's type, dropped when matching ("Sefton Metropolitan Borough
# Council" -> "sefton"): the alias table's, so both sides fold names alike.
_COUNCIL_WORDS = COUNCIL_WORDS


def _short(ons_name: str) -> str:
    """"Bristol, City of" -> "Bristol"; "Kingston Upon Hull, City of" -> "Kingston upon Hull"."""
    name = ons_name.split(",")[0].strip() if re.search(r",\s*(?:city|county) of$", ons_name, re.I) else ons_name
    return re.sub(r"\bUpon\b", "upon", name)


def _variants(row: dict[str, str]) -> tuple[str, ...]:
    names = {row.get("local_authority_ons_name", ""), row.get("ltla23nm", ""), row.get("utla23nm", "")}
    gss = (row.get("la_code_new") or "").strip()
    names.update(a.alias for a in aliases() if gss and a.gss_code == gss)  # the shared alias table
    aka = row.get("also_known_as", "").strip().strip("[]")
    names.update(a.strip() for a in aka.split(",") if a.strip())
    out: set[str] = set()
    for n in names:
        if not n:
            continue
        f = fold(n).replace("&", "and")
        out.add(f)
        if "." in f:
            out.add(f.replace(".", ""))
        if "-" in f:  # "Southend-on-Sea" / "Southend on Sea"
            out.add(f.replace("-", " "))
        if re.match(r"st\.? ", f):
            out.add("saint " + f.split(" ", 1)[1])
        m = re.match(r"^(.*),\s*(city|county) of$", f)
        if m:
            out.add(m.group(1))
            out.add(f"{m.group(2)} of {m.group(1)}")
        if f.startswith("county "):
            out.add(f[len("county "):])
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=1)
def all_authorities() -> tuple[Authority, ...]:
    """Every authority of the shipped table (current and historical rows)."""
    text = resources.files("ofsted_kg.graph_builder").joinpath("data/la_lookup.csv").read_text("utf-8-sig")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        ons = row["local_authority_ons_name"].strip()
        out.append(
            Authority(
                name=ons,
                short_name=_short(ons),
                gss_code=row.get("la_code_new") or None,
                ofsted_urn=row.get("urn") or None,
                la_code=row.get("la_code") or None,
                region=row.get("region_name") or None,
                variants=_variants(row),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, Authority]]:
    by_variant: dict[str, Authority] = {}
    for a in all_authorities():
        for v in a.variants:
            by_variant.setdefault(v, a)
    alts = sorted(by_variant, key=len, reverse=True)
    pat = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(v) for v in alts) + r")(?![a-z0-9])")
    return pat, by_variant


def _fold_name(text: str) -> str:
    return fold(text).replace("&", "and").replace("st. ", "st ")


def match_authority_name(text: str) -> AuthorityRef | None:
    """The authority that a short name phrase designates, or None.

    ``text`` is a name as written ("Sefton Metropolitan Borough Council", "City of York",
    "Bristol, City of", "Telford & Wrekin").  The longest known variant found first wins.
    """
    pat, by_variant = _pattern()
    folded = _fold_name(text)
    m = pat.search(folded)
    if m is None:
        stripped = _COUNCIL_WORDS.sub(" ", folded)
        stripped = re.sub(r"\s+", " ", stripped.replace(",", " ")).strip()
        m = pat.search(stripped)
        if m is None:
            return None
    return by_variant[m.group(0)].ref(matched=" ".join(text.split()))


def lookup_authority(name: str) -> AuthorityRef | None:
    """Resolve a user's ``--authority NAME``: a name in any usual form, a GSS code, an
    Ofsted URN or a DfE LA code (case-insensitive).  Historical codes of
    :data:`HISTORICAL` resolve to the authority of the table with the same URN if any.

    Returns None when nothing matches.
    """
    q = name.strip()
    if not q:
        return None
    up = q.upper()
    for a in all_authorities():
        if up in {(a.gss_code or "").upper(), a.ofsted_urn or "", a.la_code or ""}:
            return a.ref(matched=q)
    for h in HISTORICAL:
        if up == h.gss_code:
            for a in all_authorities():
                if h.ofsted_urn and a.ofsted_urn == h.ofsted_urn:
                    return a.ref(matched=q)
            return AuthorityRef(h.name, h.gss_code, h.ofsted_urn, h.la_code, None, q)
    folded = _fold_name(q)
    key = name_key(q)
    for a in all_authorities():
        if folded in a.variants or key in a.variants:
            return a.ref(matched=q)
    return match_authority_name(q)


def successors(gss_code: str) -> tuple[str, ...]:
    """GSS codes that replaced ``gss_code`` (empty when it is current)."""
    for h in HISTORICAL:
        if h.gss_code == gss_code.upper():
            return h.successor_gss
    return ()


# Phrases that introduce the authority's name in a report's title or opening.  A name may
# wrap onto the next line ("Inspection of Bournemouth,\nChristchurch and Poole local
# authority children's services") but not across a blank line.
_NAME = r"((?:[^\n]|\n(?![ \t]*\n)){2,120}?)"
_APOS = "[\u2019']?"
_TITLE_PATTERNS = (
    re.compile(rf"\binspection of {_NAME}(?:\s+local\s+authority\b|\s+children{_APOS}s\s+services\b)", re.I),
    re.compile(rf"\bvisit (?:to|of) {_NAME}(?:\s+local\s+authority\b|\s+children{_APOS}s\s+services\b)", re.I),
    re.compile(r"\binspection of ([^\n]{2,90}?)\n", re.I),
    # a letter's title line: "Focused visit to Together for Children" (a trust's name)
    re.compile(r"(?m)^\s*(?:focused|monitoring) visit (?:to|of) ([^\n]{2,90}?)\s*$", re.I),
)
_LATE_PATTERNS = (
    re.compile(rf"\bchildren{_APOS}s services in {_NAME}(?:\s+(?:are|is|require|requires|were|was|have|has|remain)\b|\n|\*|$)", re.I),
    re.compile(rf"\bcommissioner{_APOS}s?\s+(?:report\s+)?(?:for|on)\s+([^\n,.]{{2,90}})", re.I),
)
_COUNCIL = re.compile(r"council|borough|county|city|authority|trust", re.I)


def find_authority(first_page: str, whole_text: str) -> AuthorityRef | None:
    """The authority a report is about.

    Looks, in order, at title phrases ("Inspection of X local authority children's
    services", "Focused visit to X children's services", "Children's Services in X"), the
    first lines of the first page (SIF reports open with "Sefton Borough Council"), and
    finally the authority named most often in the whole text (so a letterhead's
    "Manchester" does not win).
    """
    head = first_page[:3000]
    for pat in _TITLE_PATTERNS:
        for m in pat.finditer(head):
            ref = match_authority_name(m.group(1))
            if ref is not None:
                return ref
    lines = [ln.strip() for ln in head.split("\n") if ln.strip() and not ln.strip().isdigit()]
    for cand in (lines[:1], lines[:2]):
        joined = " ".join(cand)
        if not joined or not _COUNCIL.search(joined):
            continue
        ref = match_authority_name(joined)
        if ref is not None:
            return ref
    for pat in _LATE_PATTERNS:
        for m in pat.finditer(head):
            ref = match_authority_name(m.group(1))
            if ref is not None:
                return ref
    pat, by_variant = _pattern()
    counts: dict[str, int] = {}
    first_hit: dict[str, str] = {}
    for m in pat.finditer(_fold_name(whole_text[:200_000])):
        a = by_variant[m.group(0)]
        counts[a.name] = counts.get(a.name, 0) + 1
        first_hit.setdefault(a.name, m.group(0))
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < 2:
        return None
    for a in all_authorities():
        if a.name == best:
            return a.ref(matched=first_hit[best])
    return None
