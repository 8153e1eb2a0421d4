"""Rendering of data submission reports: JSON for machines, HTML pages for people, en or fr.

``report_response`` answers one submission's validation report (``registry.submission.report_json``)
as JSON, or, when a browser asks for HTML, as the ``submission.html`` page; ``list_response``
answers a page of submissions (``summary_json``: each report without its findings) as JSON or the
``submissions.html`` page with previous/next links. The pages are Jinja2 templates from
``api/templates`` (autoescaped, strict about undefined names) worded from ``LABELS`` in English or
French, each finding placed in words by ``location_text``. Every answer carries
``Content-Language`` and ``Vary`` headers, and ``Location`` when given (``submission_path``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import Response

from api.negotiation import wants_html
from registry import submission
from registry.storage.records import SubmissionRecord
from registry.validation.report import CODES

#: Every word of the HTML pages, in each language of the reports.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "submission": "Submission",
        "submissions": "Submissions",
        "dry_run": "Dry run",
        "status": "Status",
        "accepted": "accepted",
        "rejected": "rejected",
        "valid": "valid",
        "invalid": "invalid",
        "said_accepted": "The file was accepted: its data are stored.",
        "said_rejected": "The file was rejected: nothing was stored. Correct the errors below "
        "and submit it again.",
        "said_valid": "Dry run: the file is valid. Nothing was stored.",
        "said_invalid": "Dry run: the file has errors. Nothing was stored.",
        "said_duplicate": "This file is identical to submission {id}, already accepted: "
        "nothing was stored again.",
        "see": "See submission {id}",
        "file": "File",
        "name": "Name",
        "size": "Size (bytes)",
        "sha256": "SHA-256",
        "media_type": "Declared media type",
        "format": "Read as",
        "submitted_at": "Submitted at",
        "owner": "Submitted by",
        "provider": "Data provider",
        "action": "Action",
        "duration": "Duration (ms)",
        "structures": "Structures used",
        "dataflow": "Dataflow",
        "datastructure": "Data structure definition",
        "provisionagreement": "Provision agreement",
        "constraints": "Constraints",
        "none": "none",
        "counts": "Counts",
        "series": "Series",
        "observations": "Observations",
        "added": "Added",
        "replaced": "Replaced",
        "unchanged": "Unchanged",
        "deleted": "Deleted",
        "errors": "Errors",
        "warnings": "Warnings",
        "counts_by_code": "Findings per code",
        "code": "Code",
        "severity": "Severity",
        "count": "Count",
        "not_listed": "Not listed",
        "error": "error",
        "warning": "warning",
        "findings": "Findings",
        "findings_caption": "Every finding listed, in file order",
        "no_findings": "No problem was found.",
        "message": "Message",
        "location": "Location",
        "series_key": "Series key",
        "period": "Period",
        "component": "Component",
        "value": "Value",
        "hint": "How to fix it",
        "line": "line {n}",
        "row": "row {n}",
        "column": "column {c}",
        "truncated": "{n} more finding(s) with code {code} were counted but not listed.",
        "id": "No.",
        "no_submissions": "No submission yet.",
        "previous": "Previous page",
        "next": "Next page",
        "list_caption": "Submissions, newest first",
        "all_submissions": "All submissions",
    },
    "fr": {
        "submission": "Soumission",
        "submissions": "Soumissions",
        "dry_run": "Essai à blanc",
        "status": "Statut",
        "accepted": "acceptée",
        "rejected": "rejetée",
        "valid": "valide",
        "invalid": "non valide",
        "said_accepted": "Le fichier a été accepté : ses données sont enregistrées.",
        "said_rejected": "Le fichier a été rejeté : rien n'a été enregistré. Corrigez les "
        "erreurs ci-dessous et soumettez-le à nouveau.",
        "said_valid": "Essai à blanc : le fichier est valide. Rien n'a été enregistré.",
        "said_invalid": "Essai à blanc : le fichier contient des erreurs. Rien n'a été enregistré.",
        "said_duplicate": "Ce fichier est identique à la soumission {id}, déjà acceptée : "
        "rien n'a été enregistré à nouveau.",
        "see": "Voir la soumission {id}",
        "file": "Fichier",
        "name": "Nom",
        "size": "Taille (octets)",
        "sha256": "SHA-256",
        "media_type": "Type de média déclaré",
        "format": "Lu comme",
        "submitted_at": "Soumis le",
        "owner": "Soumis par",
        "provider": "Fournisseur de données",
        "action": "Action",
        "duration": "Durée (ms)",
        "structures": "Structures utilisées",
        "dataflow": "Flux de données",
        "datastructure": "Définition de structure de données",
        "provisionagreement": "Accord de fourniture",
        "constraints": "Contraintes",
        "none": "aucune",
        "counts": "Décomptes",
        "series": "Séries",
        "observations": "Observations",
        "added": "Ajoutées",
        "replaced": "Remplacées",
        "unchanged": "Inchangées",
        "deleted": "Supprimées",
        "errors": "Erreurs",
        "warnings": "Avertissements",
        "counts_by_code": "Constats par code",
        "code": "Code",
        "severity": "Gravité",
        "count": "Nombre",
        "not_listed": "Non listés",
        "error": "erreur",
        "warning": "avertissement",
        "findings": "Constats",
        "findings_caption": "Tous les constats listés, dans l'ordre du fichier",
        "no_findings": "Aucun problème n'a été trouvé.",
        "message": "Message",
        "location": "Emplacement",
        "series_key": "Clé de série",
        "period": "Période",
        "component": "Composant",
        "value": "Valeur",
        "hint": "Comment corriger",
        "line": "ligne {n}",
        "row": "ligne {n}",
        "column": "colonne {c}",
        "truncated": "{n} autre(s) constat(s) de code {code} ont été comptés mais pas listés.",
        "id": "N°",
        "no_submissions": "Aucune soumission pour l'instant.",
        "previous": "Page précédente",
        "next": "Page suivante",
        "list_caption": "Soumissions, les plus récentes d'abord",
        "all_submissions": "Toutes les soumissions",
    },
}


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("api", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def location_text(finding: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """Where a finding is, in words: ``line 12`` (XML) or ``row 3, column SEX`` (CSV)."""
    parts = []
    if finding.get("row") is not None:
        parts.append(labels["row"].format(n=finding["row"]))
    elif finding.get("line") is not None:
        parts.append(labels["line"].format(n=finding["line"]))
    if finding.get("column"):
        parts.append(labels["column"].format(c=finding["column"]))
    return ", ".join(parts)


def summary_json(record: SubmissionRecord, lang: str) -> dict[str, Any]:
    """One line of a list: the report without its findings (counts per code kept)."""
    report = submission.report_json(record, lang)
    report.pop("findings", None)
    return report


def _headers(lang: str, location: str | None = None) -> dict[str, str]:
    headers = {"Content-Language": lang, "Vary": "Accept, Accept-Language, Authorization"}
    if location is not None:
        headers["Location"] = location
    return headers


def _render_json(body: Mapping[str, Any], status: int, headers: dict[str, str]) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status, headers, media_type="application/json")


def report_response(
    request: Request,
    record: SubmissionRecord,
    lang: str,
    status: int = 200,
    location: str | None = None,
) -> Response:
    """One submission's report: JSON, or an HTML page when a browser asks for it."""
    report = submission.report_json(record, lang)
    headers = _headers(lang, location)
    if not wants_html(request):
        return _render_json(report, status, headers)
    labels = LABELS[lang]
    if report["duplicate_of"] is not None:
        said = labels["said_duplicate"].format(id=report["duplicate_of"])
    else:
        said = labels.get("said_" + str(report["status"]), "")
    findings = [dict(f, location=location_text(f, labels)) for f in report["findings"]]
    page = (
        _templates()
        .get_template("submission.html")
        .render(
            t=labels,
            lang=lang,
            r=report,
            said=said,
            findings=findings,
            severities={code: CODES[code].severity for code in CODES},
            base=_root(request),
        )
    )
    return Response(page, status, headers, media_type="text/html; charset=utf-8")


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def submission_path(request: Request, submission_id: int) -> str:
    """The path of one submission's report, under the application's root path."""
    return f"{_root(request)}/submissions/{submission_id}"


def list_response(
    request: Request,
    records: Sequence[SubmissionRecord],
    lang: str,
    limit: int,
    offset: int,
    keep_lang: bool,
) -> Response:
    """A page of submissions: JSON, or an HTML page linking the previous and next pages.

    ``keep_lang`` carries the ``lang`` query parameter over to those links.
    """
    summaries = [summary_json(r, lang) for r in records]
    headers = _headers(lang)
    if not wants_html(request):
        return _render_json({"submissions": summaries}, 200, headers)
    base = _root(request)
    keep = f"&lang={lang}" if keep_lang else ""
    previous = next_ = None
    if offset > 0:
        previous = f"{base}/submissions?limit={limit}&offset={max(0, offset - limit)}{keep}"
    if len(records) == limit:
        next_ = f"{base}/submissions?limit={limit}&offset={offset + limit}{keep}"
    page = (
        _templates()
        .get_template("submissions.html")
        .render(
            t=LABELS[lang],
            lang=lang,
            submissions=summaries,
            base=base,
            previous=previous,
            next=next_,
            offset=offset,
        )
    )
    return Response(page, 200, headers, media_type="text/html; charset=utf-8")
