"""Plain-text rendering of a data-submission report for terminals, in English or French.

``render`` turns the JSON report of ``registry.submission.report_json`` into the text the
``registry validate`` and ``registry submit`` commands print: a headline (VALID, INVALID,
ACCEPTED or REJECTED, the file, its format, the dataflow, the counts of series, observations and
changes, the duration), the number of findings per code with its severity, then the findings
grouped by code, each with its location (line N, or row N and column C), series key, period,
value, message and fix hint, and how many more of that code were counted but not listed. Lines
are wrapped to ``width`` columns (80 by default), long series keys at their dots.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from registry.validation.report import CODES

__all__ = ["LANGUAGES", "render"]

LANGUAGES = ("en", "fr")

#: Every word the rendering prints, per language.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "valid": "VALID",
        "invalid": "INVALID",
        "accepted": "ACCEPTED",
        "rejected": "REJECTED",
        "submission": "Submission",
        "dry_run": "none (dry run: nothing stored)",
        "rejected_note": "{id} (kept for the record; nothing stored)",
        "duplicate": "{id} (identical to submission {dup}; nothing stored again)",
        "size": "Size",
        "format": "Format",
        "dataflow": "Dataflow",
        "provider": "Provider",
        "action": "Action",
        "content": "Content",
        "changes": "Changes",
        "changes_dry": "{changes} (if submitted)",
        "duration": "Duration",
        "findings": "Findings",
        "unknown": "unknown",
        "none": "none",
        "bytes": "bytes",
        "series": "series|series",
        "observations": "observation|observations",
        "errors": "error|errors",
        "warnings": "warning|warnings",
        "added": "added",
        "replaced": "replaced",
        "unchanged": "unchanged",
        "deleted": "deleted",
        "by_code": "Findings by code",
        "error": "error",
        "warning": "warning",
        "line": "line {n}",
        "row": "row {n}",
        "column": "column {c}",
        "component": "component {c}",
        "period": "period {p}",
        "value": "value {v}",
        "series_key": "series",
        "hint": "Hint:",
        "not_shown": "{n} more not shown here",
        "not_listed": "{n} more counted but not listed",
        "separator": "; ",
        "no_findings": "No findings.",
    },
    "fr": {
        "valid": "VALIDE",
        "invalid": "NON VALIDE",
        "accepted": "ACCEPTÉE",
        "rejected": "REJETÉE",
        "submission": "Soumission",
        "dry_run": "aucune (essai à blanc : rien n'est enregistré)",
        "rejected_note": "{id} (conservée pour mémoire ; rien n'est enregistré)",
        "duplicate": "{id} (identique à la soumission {dup} ; rien n'est enregistré à nouveau)",
        "size": "Taille",
        "format": "Format",
        "dataflow": "Flux",
        "provider": "Fournisseur",
        "action": "Action",
        "content": "Contenu",
        "changes": "Modifications",
        "changes_dry": "{changes} (si soumis)",
        "duration": "Durée",
        "findings": "Constats",
        "unknown": "inconnu",
        "none": "aucun",
        "bytes": "octets",
        "series": "série|séries",
        "observations": "observation|observations",
        "errors": "erreur|erreurs",
        "warnings": "avertissement|avertissements",
        "added": "ajoutées",
        "replaced": "remplacées",
        "unchanged": "inchangées",
        "deleted": "supprimées",
        "by_code": "Constats par code",
        "error": "erreur",
        "warning": "avertissement",
        "line": "ligne {n}",
        "row": "ligne {n}",
        "column": "colonne {c}",
        "component": "composant {c}",
        "period": "période {p}",
        "value": "valeur {v}",
        "series_key": "série",
        "hint": "Conseil :",
        "not_shown": "non affichés ici : {n}",
        "not_listed": "comptés mais non listés : {n}",
        "separator": " ; ",
        "no_findings": "Aucun constat.",
    },
}

#: Longest value shown in a finding's detail line (the message quotes it in full).
VALUE_WIDTH = 40
_SEVERITY_ORDER = {"error": 0, "warning": 1}
#: Control characters (tab included; newline excepted) a file could use to drive the terminal.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """``text`` with every control character shown as an escape, so that it cannot act."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def _number(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", "\u00a0") if lang == "fr" else text


def _plural(n: int, forms: str, lang: str) -> str:
    one, many = forms.split("|")
    singular = n <= 1 if lang == "fr" else n == 1
    return f"{_number(n, lang)} {one if singular else many}"


def _duration(ms: int | None, lang: str) -> str:
    if ms is None:
        return LABELS[lang]["unknown"]
    if ms < 1000:
        return f"{ms} ms"
    seconds = f"{ms / 1000:.1f}"
    if lang == "fr":
        seconds = seconds.replace(".", ",")
    return f"{seconds} s"


def _short_urn(urn: str | None) -> str | None:
    """``AGENCY:ID(VERSION)`` of an SDMX URN (the text after ``=``); other strings unchanged."""
    if not urn:
        return None
    return urn.split("=", 1)[1] if urn.startswith("urn:") and "=" in urn else urn


def _field(label: str, value: str, width: int, label_width: int) -> list[str]:
    head = f"  {label:<{label_width}}  "
    return textwrap.wrap(
        value,
        width=width,
        initial_indent=head,
        subsequent_indent=" " * len(head),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [head.rstrip()]


def _wrap(text: str, indent: str, width: int, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _wrap_key(key: str, first: str, indent: str, width: int) -> list[str]:
    """A series key on as many lines as needed, broken after its dots (codes stay whole)."""
    parts = key.split(".")
    pieces = [p + "." for p in parts[:-1]] + [parts[-1]]
    lines: list[str] = []
    current, empty = first, True
    for piece in pieces:
        if not empty and len(current) + len(piece) > width:
            lines.append(current.rstrip())
            current, empty = indent, True
        current += piece
        empty = False
    lines.append(current.rstrip())
    return lines


def _clip(value: str) -> str:
    return repr(value if len(value) <= VALUE_WIDTH else value[: VALUE_WIDTH - 1] + "…")


def _headline(report: Mapping[str, Any], lang: str, width: int) -> list[str]:
    words = LABELS[lang]
    status = str(report.get("status") or "")
    file = report.get("file") or {}
    sub_id = report.get("id")
    duplicate_of = report.get("duplicate_of")
    if duplicate_of is not None:
        submission = words["duplicate"].format(id=sub_id, dup=duplicate_of)
    elif sub_id is None:
        submission = words["dry_run"]
    elif status == "rejected":
        submission = words["rejected_note"].format(id=sub_id)
    else:
        submission = str(sub_id)
    counts = report.get("counts") or {}
    changes = ", ".join(
        f"{_number(int(counts.get(key, 0)), lang)} {words[key]}"
        for key in ("added", "replaced", "unchanged", "deleted")
        if key != "unchanged" or counts.get(key)  # said only when some were sent again
    )
    if sub_id is None and duplicate_of is None:
        changes = words["changes_dry"].format(changes=changes)
    size = file.get("size")
    fields = {
        "submission": submission,
        "size": None if size is None else f"{_number(int(size), lang)} {words['bytes']}",
        "format": file.get("format") or words["unknown"],
        "dataflow": _short_urn((report.get("structures") or {}).get("dataflow"))
        or words["unknown"],
        "provider": report.get("provider") or words["none"],
        "action": report.get("action") or words["unknown"],
        "content": ", ".join(
            _plural(int(counts.get(key, 0)), words[key], lang) for key in ("series", "observations")
        ),
        "changes": changes,
        "duration": _duration(report.get("duration_ms"), lang),
        "findings": ", ".join(
            _plural(int(report.get(key) or 0), words[key], lang) for key in ("errors", "warnings")
        ),
    }
    label_width = max(len(words[key]) for key in fields)
    lines = [f"{words.get(status, status.upper())}  {file.get('name') or words['unknown']}"]
    for key, value in fields.items():
        if value is not None:
            lines += _field(words[key], value, width, label_width)
    return lines


def _severity(code: str, findings: Sequence[Mapping[str, Any]]) -> str:
    if code in CODES:
        return CODES[code].severity
    for f in findings:
        if f.get("code") == code and f.get("severity"):
            return str(f["severity"])
    return "error"


def _finding(f: Mapping[str, Any], lang: str, width: int) -> list[str]:
    words = LABELS[lang]
    where: list[str] = []
    if f.get("row") is not None:
        where.append(words["row"].format(n=_number(int(f["row"]), lang)))
    elif f.get("line") is not None:
        where.append(words["line"].format(n=_number(int(f["line"]), lang)))
    if f.get("column"):
        where.append(words["column"].format(c=f["column"]))
    if f.get("component") and f.get("component") != f.get("column"):
        where.append(words["component"].format(c=f["component"]))
    if f.get("period"):
        where.append(words["period"].format(p=f["period"]))
    if f.get("value") is not None:
        where.append(words["value"].format(v=_clip(str(f["value"]))))

    lines: list[str] = []
    if where:
        lines += _wrap(", ".join(where), "    ", width, first="  - ")
    if f.get("series_key"):
        first = ("    " if where else "  - ") + words["series_key"] + " "
        lines += _wrap_key(str(f["series_key"]), first, " " * len(first), width)
    bullet = "    " if lines else "  - "
    lines += _wrap(str(f.get("message") or f.get("code")), "    ", width, first=bullet)
    if f.get("hint"):
        lines += _wrap(f"{words['hint']} {f['hint']}", "      ", width, first="    ")
    return lines


def render(
    report: Mapping[str, Any], lang: str = "en", *, width: int = 80, limit: int | None = None
) -> str:
    """The text of ``report`` (a ``report_json`` dict) in ``lang``, ``width`` columns wide.

    Control characters coming from the file (in values, keys, column names) are escaped.

    ``limit`` caps the findings shown per code (None: every finding the report lists); the
    rest are summed up in one line per code, together with those the report counted but did
    not keep (``truncated``).
    """
    if lang not in LABELS:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    words = LABELS[lang]
    lines = _headline(report, lang, width)

    counts: Mapping[str, int] = report.get("counts_by_code") or {}
    findings: Sequence[Mapping[str, Any]] = report.get("findings") or []
    truncated: Mapping[str, int] = report.get("truncated") or {}
    codes = list(counts)
    codes += [c for c in dict.fromkeys(str(f.get("code")) for f in findings) if c not in counts]
    severity = {code: _severity(code, findings) for code in codes}
    grouped: dict[str, list[Mapping[str, Any]]] = {code: [] for code in codes}
    for f in findings:
        grouped[str(f.get("code"))].append(f)
    totals = {code: int(counts.get(code, len(grouped[code]))) for code in codes}
    codes.sort(key=lambda c: (_SEVERITY_ORDER.get(severity[c], 9), -totals[c], c))

    lines.append("")
    if not codes:
        lines.append(words["no_findings"])
        return _printable("\n".join(lines)) + "\n"

    lines.append(words["by_code"])
    code_width = max(len(c) for c in codes)
    for code in codes:
        n = _number(totals[code], lang)
        lines.append(f"  {code:<{code_width}}  {words.get(severity[code], severity[code]):<13} {n}")

    for code in codes:
        listed = grouped[code]
        shown = listed if limit is None else listed[:limit]
        total = totals[code]
        not_listed = int(truncated.get(code, max(total - len(listed), 0)))
        lines.append("")
        label = words.get(severity[code], severity[code])
        lines.append(f"{code} ({label}, {_number(total, lang)})")
        for f in shown:
            lines += _finding(f, lang, width)
        more: list[str] = []
        if len(listed) > len(shown):
            more.append(words["not_shown"].format(n=_number(len(listed) - len(shown), lang)))
        if not_listed:
            more.append(words["not_listed"].format(n=_number(not_listed, lang)))
        if more:
            lines += _wrap(words["separator"].join(more), "    ", width, first="  … ")
    return _printable("\n".join(lines)) + "\n"
