"""Lines of a report's text for list and findings reading: page furniture removed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..normalise import PreparedDocument
from ..records import DocumentRecord

# ---------------------------------------------------------------------------------------
# Lines, page furniture
# ---------------------------------------------------------------------------------------

_GRADE = r"(outstanding|good|requires improvement( to be good)?|inadequate|adequate)"
_BULLETS = (
    "\uf06e\uf0a7\uf02d\uf0b7\uf0d8\uf076\uf0fc\uf0a8\uf0e0\uf0d9"
    "\u25fc\u25fb\u25aa\u25ab\u25a0\u25a1\u2022\u25cf\u25cb\u25e6\u2023\u2043\u00b7\u2219\u27a2\u2713\u2714\u2794\u25ba\u25b6"
)
_BULLET_RE = re.compile(r"^\s*(?:[" + _BULLETS + r"]|[-\u2013\u2014\u2212*o](?=\s))\s*")
# "12. Ensure ...", "3) Improve ...", and commissioners' "Recommendation 4: The council ..."
_NUM_RE = re.compile(
    r"^\s*(?:(?:Recommendation|Rec\.)\s+(?P<r>\d{1,3})\s*[.:)\u2013-]?\s+"
    r"|(?P<n>\d{1,3})[.)](?:\s+|(?=[A-Z\u2018\u201c])))(?=\S)"
)


def _num(m: re.Match[str]) -> int:
    return int(m.group("r") or m.group("n"))
_SUBNUM_RE = re.compile(r"^\s*\(?(?:[a-h]|i{1,3}|iv|v|vi{0,3})\)\s+(?=\S)|^\s*\(?[a-h]\.\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?;:][\"'\u2019\u201d)]*$|\)$")
_PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)


@dataclass(slots=True)
class _Line:
    page: int  # 1-based
    text: str  # cleaned, wording kept
    blank: bool = False


def _clean_line(text: str) -> str:
    text = text.replace("\x02", "-").replace("\r", "")
    text = text.replace("\ufffe", "-").replace("\u00a0", " ")
    return text.rstrip()


_GLUED_FOOTNOTE = re.compile(r"^(.*[A-Za-z])[\ufffe\x02](\d{1,2} [A-Z].*)$")


def _split_glued_footnote(line: str) -> tuple[str, str | None]:
    """pypdfium2 sometimes glues a page-bottom footnote to a hyphenated word:
    "decision\ufffe1 The areas ..." -> ("decision-", "1 The areas ...")."""
    if "\ufffe" not in line and "\x02" not in line:
        return line, None  # (the regex's ".*" backtracks over every line otherwise)
    m = _GLUED_FOOTNOTE.match(line)
    if m:
        return m.group(1) + "-", m.group(2)
    return line, None


_TRAILING_PAGE_NO = re.compile(r"\s*\d{1,3}$")
_SPACES = re.compile(r"\s+")
_ENDS_WITH_PAGE = re.compile(r"\s\d{1,3}$")  # a contents line ends with its page number


def _furniture_key(line: str) -> str:
    s = unicodedata.normalize("NFKC", line).strip().lower()
    if s[-1:].isdecimal():  # (what ``\d`` is)
        s = _TRAILING_PAGE_NO.sub("", s)  # page number at the end of a running line
    # white space runs made one space (none at either end is left: str.split is ``\s+``)
    return " ".join(s.split())


# A postal address block (the inspectorate's letterhead, which pypdfium2 often puts at the
# end of page 1's text, inside a list that runs over the page; or the addressee's block):
# a run of short unpunctuated lines with a postcode, a phone number, an e-mail or web address.
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
_CONTACT = re.compile(
    r"^(?:T|Tel|Telephone|Textphone|Minicom|Fax)\b[.:]?\s*[\d()+][\d ()+-]{5,}$|@[\w-]+\.[\w.]+|^www\.|\.gov\.uk\b",
    re.I)


def _address_blocks(rows: list[str]) -> set[int]:
    """Indexes of the lines of address blocks on one page (see ``_POSTCODE``): runs of at
    least three short lines without a full stop, two or more of which are a postcode or a
    contact line."""
    out: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if len(run) >= 3 and sum(
            1 for k in run if _POSTCODE.search(rows[k]) or _CONTACT.search(rows[k].strip())
        ) >= 2:
            out.update(run)
        run.clear()

    for i, r in enumerate(rows):
        t = r.strip()
        if t and len(t) <= 50 and not t.endswith((".", ";", ":", ",")) and not _BULLET_RE.match(t):
            run.append(i)
        elif t and run:  # (a blank line inside a run keeps it open)
            close()
    close()
    return out


# (document, identity of its page strings, its lines, their page widths)
_Cached = tuple[PreparedDocument, tuple[int, ...], list[_Line], dict[int, int]]
_LINES_CACHE: list[_Cached] = []


def _doc_lines(doc: PreparedDocument) -> list[_Line]:
    """All content lines of the document, page furniture removed, blank lines kept
    (except at page ends).

    Concerns and findings both read them: the lines of the last document are kept (a
    fresh list each call; the lines themselves are never modified), keyed by the
    document object and the identity of its page strings.
    """
    return list(_cached(doc)[2])


def _doc_page_widths(doc: PreparedDocument) -> dict[int, int]:
    """:func:`_page_widths` of :func:`_doc_lines` (kept with them; a fresh dict each call)."""
    return dict(_cached(doc)[3])


def _cached(doc: PreparedDocument) -> _Cached:
    key = tuple(map(id, doc.pages))
    if not (_LINES_CACHE and _LINES_CACHE[0][0] is doc and _LINES_CACHE[0][1] == key):
        lines = _compute_doc_lines(doc)
        _LINES_CACHE[:] = [(doc, key, lines, _page_widths(lines))]
    return _LINES_CACHE[0]


_FOOTNOTE_START = re.compile(r"^(\d{1,2})(?:\s+(?=[A-Z\u2018\u201c'\"(])|$)")


_MARK_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz?)\u2019']")
_WS_TO_EOL = re.compile(r"\s*$", re.M)


def _footnote_marked(n: str, text: str) -> bool:
    r"""Footnote number ``n`` occurs in ``text`` as a marker or alone on a line: what
    ``re.search(r"[A-Za-z?)\u2019'\]]" + n + r"(?:\s|$|[.,;:])")`` or
    ``re.search(r"(?m)^\s*" + n + r"\s*$")`` finds (tests/test_fast_paths.py compares
    them), tested at each occurrence of the number, which ``str.find`` finds at C speed,
    where the regexes try every character of the document."""
    size = len(text)
    i = text.find(n)
    while i >= 0:
        j = i + len(n)
        after = text[j] if j < size else ""
        # a marker: after a letter, a quote or a bracket, before a space, stop or the end
        if i > 0 and text[i - 1] in _MARK_AFTER and (not after or after.isspace() or after in ".,;:"):
            return True
        # alone on a line: white space only between the line's start and the number
        # (``^\s*``), and from it to the line's end (``\s*$``)
        start = text.rfind("\n", 0, i) + 1
        if (start == i or text[start:i].isspace()) and _WS_TO_EOL.match(text, j):
            return True
        i = text.find(n, i + 1)
    return False


def _compute_doc_lines(doc: PreparedDocument) -> list[_Line]:
    pages: list[list[str]] = []
    for raw in doc.pages:
        if "\ufffe" not in raw and "\x02" not in raw:
            # no glued footnote, and _clean_line's replacements, none of "\n", done on
            # the whole page at once
            raw = raw.replace("\r", "").replace("\u00a0", " ")
            pages.append([ln.rstrip() for ln in raw.split("\n")])
            continue
        rows: list[str] = []
        for ln in raw.split("\n"):
            a, b = _split_glued_footnote(ln)
            rows.append(_clean_line(a))
            if b is not None:
                rows.append(_clean_line(b))
        pages.append(rows)
    npages = len(pages)
    # running headers/footers: lines that recur at the top or bottom of many pages
    counts: Counter[str] = Counter()
    edge_idx: list[set[int]] = []
    edge_keys: list[dict[int, str]] = []  # furniture keys of the edge lines, used twice
    nonblanks: list[list[int]] = []  # the indexes of each page's non-blank rows, likewise
    for rows in pages:
        nonblank = [i for i, r in enumerate(rows) if r.strip()]
        nonblanks.append(nonblank)
        edge = set(nonblank[:3]) | set(nonblank[-3:])
        edge_idx.append(edge)
        keys = {i: _furniture_key(rows[i]) for i in edge}
        edge_keys.append(keys)
        for key in set(keys.values()):
            if key:
                counts[key] += 1
    threshold = max(3, int(0.3 * npages) + 1) if npages >= 3 else 10**9
    running = {k for k, c in counts.items() if c >= threshold}
    text_all = doc.text
    raw = getattr(doc, "raw", None)
    if raw is not None and getattr(raw, "pages", None):
        text_all += "\f" + "\f".join(raw.pages)  # footnote markers, even if prepare() dropped them
    out: list[_Line] = []
    for p, rows in enumerate(pages, 1):
        drop: set[int] = set()
        nonblank = nonblanks[p - 1]
        for i in edge_idx[p - 1]:
            if _PAGE_NO.match(rows[i]) and (i in nonblank[:2] or i in nonblank[-2:]):
                drop.add(i)
            elif edge_keys[p - 1][i] in running:
                drop.add(i)
        # footnotes at the bottom of the page
        tail = [i for i in nonblank[-10:] if i not in drop]
        for i in tail:
            r = rows[i].strip()
            m = _FOOTNOTE_START.match(r)
            if not m or i == (nonblank[0] if nonblank else -1):
                continue
            n = m.group(1)
            if r == n:
                # a bare footnote number is followed by its text
                nxt = [j for j in nonblank if j > i and j not in drop]
                if not nxt:
                    continue
            if _footnote_marked(n, text_all):
                drop.update(j for j in nonblank if j >= i)
                break
        drop.update(_address_blocks(rows))
        if drop:
            page_lines = [
                _Line(p, rows[i], not rows[i].strip()) for i in range(len(rows)) if i not in drop
            ]
        else:
            page_lines = [_Line(p, r, not r.strip()) for r in rows]
        while page_lines and page_lines[-1].blank:
            page_lines.pop()
        while page_lines and page_lines[0].blank:
            page_lines.pop(0)
        out.extend(page_lines)
    return out


def _page_widths(lines: list[_Line]) -> dict[int, int]:
    by_page: dict[int, list[int]] = {}
    for ln in lines:
        if not ln.blank:
            by_page.setdefault(ln.page, []).append(len(ln.text.strip()))
    widths: dict[int, int] = {}
    for p, ls in by_page.items():
        ls.sort()
        widths[p] = ls[int(0.9 * (len(ls) - 1))] if ls else 80
    return widths


#: the words after a suspended hyphen ("16- and 17-year-olds", "short- and long-term",
#: "10- to 15-year-olds"): a line ending in the hyphen keeps its space before them
_SUSPENDED = re.compile(r"(?:and|or|to)\b")


def _hyphen_glues(prev: str, nxt: str) -> bool:
    """Whether a line ending ``prev`` in a hyphen joins the next line ``nxt`` without a
    space: a word or number broken at its hyphen ("multi-" / "agency", "26-" / "week",
    "16-" / "17"), not a suspended hyphen ("16-" / "and 17-year-olds") nor a dash."""
    return (prev.endswith("-") and len(prev) >= 2 and prev[-2].isalnum()
            and nxt[:1].isalnum() and not _SUSPENDED.match(nxt))


def _join(parts: list[str]) -> str:
    """Join wrapped lines into one whitespace-normalised string."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("\u00ad"):
            out = out[:-1] + part
        elif _hyphen_glues(out, part):
            out += part
        else:
            out += " " + part
    out = out.replace("\u00ad", "")
    return _SPACES.sub(" ", out).strip()


_KEY_MARKER = re.compile(r"(?<=[A-Za-z?:)])\d{1,2}$")
_KEY_END = re.compile(r"[\s?:]+$")


@lru_cache(maxsize=8192)
def _key(line: str) -> str:
    """A heading line folded for matching (footnote marker and final ?/: dropped).

    Cached: the heading tests of concerns and findings fold the same lines several times
    (a document has at most a few thousand lines)."""
    s = unicodedata.normalize("NFKC", line).strip()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    if s[-1:].isdecimal():
        s = _KEY_MARKER.sub("", s)
    if s[-1:] in ("?", ":") or s[-1:].isspace():
        s = _KEY_END.sub("", s)
    return " ".join(s.split()).lower()  # (no white space is left at either end)


# first characters none of the marker patterns can start with (white space, bullets, "-",
# "*", "o", digits, "(", "Recommendation"/"Rec.", a-h, i and v of a sub-number all can)
_NO_MARKER_START = frozenset("ABCDEFGHIJKLMNOPQSTUVWXYZjklmnpqrstuwxyz")


def _strip_marker(text: str) -> str:
    if text[:1] in _NO_MARKER_START:  # (most lines: their words start at once)
        return text
    m = _BULLET_RE.match(text) or _NUM_RE.match(text) or _SUBNUM_RE.match(text)
    return text[m.end():] if m else text


def _words(text: str) -> list[str]:
    return [w for w in re.sub(r"[" + _BULLETS + r"]", " ", text).split() if w]


# ---------------------------------------------------------------------------------------
# Document kind (hint only)
# ---------------------------------------------------------------------------------------


def _is_letter(lines: list[_Line], record: DocumentRecord) -> bool:
    dt = getattr(record, "document_type", None)
    if dt in ("monitoring_visit", "focused_visit", "joint_targeted_area_inspection"):
        return True
    if dt in ("full_inspection", "commissioner_report"):
        return False
    head = "\n".join(ln.text for ln in lines[:120])
    return bool(
        re.search(r"(?m)^\s*Dear\s+\S", head)
        and re.search(r"(monitoring visit|focused visit|joint targeted area inspection)", head, re.I)
    )


