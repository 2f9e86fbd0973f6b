"""Inspectors named in a report: "Lead inspector: X" lines, the SIF team table, the
sentence of a letter that names its inspectors, and the signature."""

from __future__ import annotations

import re

from .dates import _ws
from .normalise import fold, fold_case, lines_holding
from .records import Inspector

_ROLE = re.compile(
    r"^\s*(lead inspectors?|reporting inspector|deputy lead inspector|team inspectors?|shadow inspectors?|"
    r"additional inspectors?|social care inspectors?|(?:his|her) majesty'?s inspectors?|inspectors?)\s*:\s*(.*)$"
    # "Reporting inspector Helen Cawston HMI" (2013 reports: no colon)
    r"|^\s*(reporting inspector|lead inspector)\s+(?=[A-Z][a-z])((?-i:[A-Z][\w'\-]+(?: [A-Z][\w'\-]+){1,3})(?:\s+HMI)?)\s*$",
    re.I,
)
_NOT_ROLE = re.compile(r"^\s*[A-Z][A-Za-z ]{2,40}:\s")


def _names(blob: str) -> list[str]:
    blob = re.sub(r"\([^)]*\)", " ", blob)  # "(Ofsted)", "(CQC)"
    blob = re.sub(r",?\s*\b(?:senior )?(?:his|her) majesty'?s inspectors?\b", "", blob, flags=re.I)
    blob = re.sub(r",?\s*\b(?i:senior )?HMI\b", "", blob)
    blob = re.sub(r"\s+\b(?:AI|OI|SCRI)\b", "", blob)  # additional / Ofsted inspector suffixes
    blob = re.sub(r"(?i),?\s*\bsenior\s*$", "", blob)
    parts = re.split(r",|\band\b|;", blob)
    out = []
    for p in parts:
        p = _ws(p).strip(" .")
        if p and re.match(r"^[A-Z][\w'\-]+(?:[ \-][A-Za-z][\w'\-]*){0,4}$", p):
            out.append(p)
    return out


def _team(text: str) -> list[Inspector]:
    """Inspectors from "Lead inspector: X" lines and the SIF inspection-team table."""
    found: list[Inspector] = []
    seen: set[str] = set()
    flat = text.replace("\f", "\n")
    lines = flat.split("\n")
    after = 0  # (the lines before it are read: a role's names take the lines after it)
    for i in lines_holding(fold_case(flat), "inspector"):  # (every role names one)
        if i < after:
            continue
        m = _ROLE.match(lines[i])
        if m:
            role_word, blob = (m.group(1) or m.group(3)).lower(), (m.group(2) if m.group(1) else m.group(4))
            j = i + 1
            if not blob.strip() and j < len(lines):  # "Lead inspector:" with the name below
                blob = lines[j]
                j += 1
            # names may wrap onto the next line ("Pam\nBlackman, Neil Penswick")
            while not role_word.startswith(("lead", "reporting")) and j < len(lines) and lines[j].strip() and not _NOT_ROLE.match(lines[j]) \
                    and (blob.rstrip().endswith(",") or re.match(r"^(?:[A-Z][a-z]+(?:,|$| [A-Z])|HMI\b)", lines[j].strip())) \
                    and len(lines[j]) < 80 and not _ROLE.match(lines[j]):
                if not re.match(r"^[A-Z][\w'\-]+(?:[ ,\-]+[A-Z][\w'\-]*)*,?$", re.sub(r"\s*\([^)]*\)", "", lines[j].strip())):
                    break
                blob += " " + lines[j].strip()
                j += 1
            role = "lead" if role_word.startswith(("lead", "reporting")) else "inspector"
            for name in _names(blob):
                key = fold(name)
                if key in seen:
                    if role == "lead":
                        for ins in found:
                            if fold(ins.name) == key:
                                ins.role = "lead"
                    continue
                seen.add(key)
                found.append(Inspector(name=name, role=role))
            after = j
    return found
