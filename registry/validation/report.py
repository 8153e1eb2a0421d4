"""Validation reports: the catalogue of finding codes and the report collected while a file streams.

``CODES`` is the one table of every finding a data submission can produce: its stable
UPPER_SNAKE code, severity, and message and fix-hint templates in English and French. A
``Finding`` carries the code, where it happened (line or row and column, series key, period,
component), the offending value and the template parameters, and renders itself in either
language. ``ReportBuilder`` collects findings as observations stream: it counts every finding per
code but keeps only the first ``MAX_LISTED`` of each, so a file with a million bad rows gives a
bounded report. Warnings never block a submission; any error does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.io.data_events import Location

MAX_LISTED = 1000
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Code:
    """One rule: severity and its messages (``str.format`` templates) in English and French."""

    severity: str
    en: str
    fr: str
    hint_en: str = ""
    hint_fr: str = ""


CODES: dict[str, Code] = {
    "UNKNOWN_STRUCTURE": Code(
        "error",
        "The file refers to {structure}, which is not in the registry.",
        "Le fichier fait référence à {structure}, qui n'existe pas dans le registre.",
        "Check the dataflow identifier in the file header or first column.",
        "Vérifiez l'identifiant du flux dans l'en-tête ou la première colonne du fichier.",
    ),
    "NOT_AUTHORISED": Code(
        "error",
        "Provider {provider} has no provision agreement to report dataflow {dataflow}.",
        "Le fournisseur {provider} n'a pas d'accord de fourniture pour le flux {dataflow}.",
        "Ask the registry administrators for a provision agreement, or use the right token.",
        "Demandez un accord de fourniture aux administrateurs, ou utilisez le bon jeton.",
    ),
    "UNKNOWN_COMPONENT": Code(
        "error",
        "{component} is not a dimension, attribute or measure of {dsd}.",
        "{component} n'est ni une dimension, ni un attribut, ni une mesure de {dsd}.",
        "Remove it or rename it to one of: {expected}.",
        "Supprimez-le ou renommez-le en l'un de : {expected}.",
    ),
    "MISSING_DIMENSION": Code(
        "error",
        "Dimension {component} is missing.",
        "La dimension {component} est absente.",
        "Every observation needs a value for each dimension of {dsd}.",
        "Chaque observation doit avoir une valeur pour chaque dimension de {dsd}.",
    ),
    "EMPTY_DIMENSION_VALUE": Code(
        "error",
        "Dimension {component} is empty.",
        "La dimension {component} est vide.",
        "Give a code; use the 'not applicable' code of the codelist (often _Z) if none applies.",
        "Indiquez un code ; utilisez le code « sans objet » de la liste (souvent _Z) au besoin.",
    ),
    "CODE_NOT_IN_CODELIST": Code(
        "error",
        "{value!r} is not a code of {codelist} (used by {component}).",
        "{value!r} n'est pas un code de {codelist} (utilisée par {component}).",
        "Closest valid codes: {suggestions}.",
        "Codes valides les plus proches : {suggestions}.",
    ),
    "CODE_NOT_ALLOWED": Code(
        "error",
        "{value!r} is a code of {codelist} but {constraint} does not allow it for {component}.",
        "{value!r} est un code de {codelist} mais {constraint} ne l'autorise pas pour {component}.",
        "Allowed codes include: {suggestions}.",
        "Codes autorisés, entre autres : {suggestions}.",
    ),
    "MISSING_MANDATORY_ATTRIBUTE": Code(
        "error",
        "Mandatory attribute {component} has no value (attached at {level} level).",
        "L'attribut obligatoire {component} n'a pas de valeur (niveau {level}).",
    ),
    "INCONSISTENT_ATTRIBUTE": Code(
        "error",
        "{component} is {value!r} here but {other!r} elsewhere for the same {level}.",
        "{component} vaut {value!r} ici mais {other!r} ailleurs pour le même {level}.",
        "An attribute attached at {level} level must have one value per {level}.",
        "Un attribut rattaché au niveau {level} ne peut avoir qu'une valeur par {level}.",
    ),
    "NON_NUMERIC_VALUE": Code(
        "error",
        "{value!r} is not a number ({component} is of type {text_type}).",
        "{value!r} n'est pas un nombre ({component} est de type {text_type}).",
        "Use a dot as decimal separator and no thousands separator, e.g. 1234.5.",
        "Utilisez le point comme séparateur décimal, sans séparateur de milliers : 1234.5.",
    ),
    "INVALID_VALUE_TYPE": Code(
        "error",
        "{value!r} is not a valid {text_type} value for {component}.",
        "{value!r} n'est pas une valeur {text_type} valide pour {component}.",
    ),
    "VALUE_TOO_LONG": Code(
        "error",
        "{component} has {length} characters; at most {limit} are allowed.",
        "{component} compte {length} caractères ; au plus {limit} sont permis.",
    ),
    "VALUE_TOO_SHORT": Code(
        "error",
        "{component} has {length} characters; at least {limit} are required.",
        "{component} compte {length} caractères ; au moins {limit} sont requis.",
    ),
    "VALUE_OUT_OF_RANGE": Code(
        "error",
        "{value!r} is outside the range allowed for {component} ({bounds}).",
        "{value!r} est hors de l'intervalle permis pour {component} ({bounds}).",
    ),
    "PATTERN_MISMATCH": Code(
        "error",
        "{value!r} does not match the pattern {pattern} required for {component}.",
        "{value!r} ne respecte pas le motif {pattern} exigé pour {component}.",
    ),
    "BAD_TIME_PERIOD": Code(
        "error",
        "{value!r} is not a valid SDMX time period: {reason}.",
        "{value!r} n'est pas une période SDMX valide : {reason}.",
        "Use e.g. 2024, 2024-Q1, 2024-S1, 2024-01 or 2024-M01, 2024-01-31.",
        "Utilisez par ex. 2024, 2024-Q1, 2024-S1, 2024-01 ou 2024-M01, 2024-01-31.",
    ),
    "FREQ_PERIOD_MISMATCH": Code(
        "error",
        "Period {value!r} does not match frequency {freq} ({implied} period given).",
        "La période {value!r} ne correspond pas à la fréquence {freq} (période {implied}).",
        "Either the period or the FREQ code is wrong.",
        "La période ou le code FREQ est erroné.",
    ),
    "DUPLICATE_OBSERVATION": Code(
        "error",
        "Observation {series_key} {period} appears twice with different values "
        "({value!r} and {other!r}).",
        "L'observation {series_key} {period} apparaît deux fois avec des valeurs différentes "
        "({value!r} et {other!r}).",
        "Keep one row per series key and period.",
        "Gardez une seule ligne par clé de série et période.",
    ),
    "REPEATED_OBSERVATION": Code(
        "warning",
        "Observation {series_key} {period} appears more than once with the same content.",
        "L'observation {series_key} {period} apparaît plusieurs fois à l'identique.",
    ),
    "MISSING_VALUE_WITHOUT_STATUS": Code(
        "error",
        "Observation {series_key} {period} has no value and no OBS_STATUS saying why.",
        "L'observation {series_key} {period} n'a ni valeur ni OBS_STATUS expliquant pourquoi.",
        "Set OBS_STATUS to M (missing) or L (not collected), or give the value.",
        "Mettez OBS_STATUS à M (manquant) ou L (non collecté), ou donnez la valeur.",
    ),
    "XSD_INVALID": Code(
        "error",
        "The file does not follow the SDMX-ML schema: {reason}",
        "Le fichier ne respecte pas le schéma SDMX-ML : {reason}",
    ),
    "EMPTY_SUBMISSION": Code(
        "error",
        "The file contains no observation.",
        "Le fichier ne contient aucune observation.",
    ),
    "UNREADABLE_FILE": Code(
        "error",
        "The file cannot be read: {reason}",
        "Le fichier est illisible : {reason}",
        "Send a complete SDMX-ML (2.1 or 3.0) or SDMX-CSV (1.0 or 2.0) file encoded in UTF-8.",
        "Envoyez un fichier SDMX-ML (2.1 ou 3.0) ou SDMX-CSV (1.0 ou 2.0) complet, en UTF-8.",
    ),
    "FORBIDDEN_XML": Code(
        "error",
        "The file is refused for safety: {reason}",
        "Le fichier est refusé par sécurité : {reason}",
        "Remove the DOCTYPE declaration and any entity: SDMX-ML never needs them.",
        "Supprimez la déclaration DOCTYPE et toute entité : SDMX-ML n'en a jamais besoin.",
    ),
    "FILE_TOO_LARGE": Code(
        "error",
        "The file is larger than the limit of {limit} bytes once decompressed.",
        "Le fichier dépasse la limite de {limit} octets une fois décompressé.",
        "Split the data into several files (for example one per year or per indicator).",
        "Découpez les données en plusieurs fichiers (par exemple par année ou par indicateur).",
    ),
    "NO_STRUCTURE": Code(
        "error",
        "The file does not say which dataflow it reports.",
        "Le fichier n'indique pas le flux de données qu'il déclare.",
        "Name the dataflow in the file (SDMX-ML header, SDMX-CSV first column) or in the request.",
        "Indiquez le flux dans le fichier (en-tête SDMX-ML, 1re colonne SDMX-CSV) ou la requête.",
    ),
    "STRUCTURE_MISMATCH": Code(
        "error",
        "The file reports {structure}, but the submission was made for {expected}.",
        "Le fichier déclare {structure}, mais la soumission vise {expected}.",
        "Submit the file for the dataflow it names, or correct the file.",
        "Soumettez le fichier pour le flux qu'il nomme, ou corrigez le fichier.",
    ),
    "SERIES_OF_ANOTHER_PROVIDER": Code(
        "error",
        "Series {series_key} was reported by {owner}; {provider} cannot change it.",
        "La série {series_key} a été déclarée par {owner} ; {provider} ne peut pas la modifier.",
        "Each series has one data provider; check the key (for example its SOURCE).",
        "Chaque série a un seul fournisseur ; vérifiez la clé (par exemple SOURCE).",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a submission, with where it is and what would fix it."""

    code: str
    location: Location = field(default_factory=Location)
    component: str | None = None
    value: str | None = None
    series_key: str | None = None
    period: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def _values(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "value": self.value,
            "series_key": self.series_key,
            "period": self.period,
            **self.params,
        }

    def message(self, lang: str = "en") -> str:
        code = CODES[self.code]
        return (code.fr if lang == "fr" else code.en).format(**self._values())

    def hint(self, lang: str = "en") -> str | None:
        code = CODES[self.code]
        template = code.hint_fr if lang == "fr" else code.hint_en
        return template.format(**self._values()) if template else None

    def dump(self) -> dict[str, Any]:
        """Language-neutral JSON-ready form (``Finding.load`` reverses it)."""
        loc = self.location
        out: dict[str, Any] = {
            "code": self.code,
            "line": loc.line,
            "row": loc.row,
            "column": loc.column,
            "component": self.component,
            "value": self.value,
            "series_key": self.series_key,
            "period": self.period,
            "params": dict(self.params) if self.params else None,
        }
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Finding:
        location = Location(data.get("line"), data.get("row"), data.get("column"))
        return cls(
            data["code"],
            location,
            component=data.get("component"),
            value=data.get("value"),
            series_key=data.get("series_key"),
            period=data.get("period"),
            params=data.get("params") or {},
        )

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        loc = self.location
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
            "line": loc.line,
            "row": loc.row,
            "column": loc.column,
            "series_key": self.series_key,
            "period": self.period,
            "component": self.component,
            "value": self.value,
        }
        hint = self.hint(lang)
        if hint:
            out["hint"] = hint
        return {k: v for k, v in out.items() if v is not None}


class ReportBuilder:
    """Collects findings as a file streams: all counted, the first ``MAX_LISTED`` per code kept."""

    def __init__(self, max_listed: int = MAX_LISTED) -> None:
        self.max_listed = max_listed
        self.counts: Counter[str] = Counter()
        self.findings: list[Finding] = []

    def add(self, finding: Finding) -> None:
        self.counts[finding.code] += 1
        if self.counts[finding.code] <= self.max_listed:
            self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    @property
    def errors(self) -> int:
        return sum(n for code, n in self.counts.items() if CODES[code].severity == "error")

    @property
    def warnings(self) -> int:
        return sum(n for code, n in self.counts.items() if CODES[code].severity == "warning")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def dump(self) -> dict[str, Any]:
        """A language-neutral, JSON-ready form of the report (what the submission record keeps)."""
        return {
            "max_listed": self.max_listed,
            "counts": dict(sorted(self.counts.items())),
            "findings": [f.dump() for f in self.findings],
        }

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> ReportBuilder:
        """The builder back from ``dump`` (to render it in another language)."""
        report = cls(int(data.get("max_listed", MAX_LISTED)))
        report.counts.update(data.get("counts", {}))
        report.findings = [Finding.load(item) for item in data.get("findings", [])]
        return report

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The findings part of a report: totals, counts per code and the listed findings."""
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "counts": dict(sorted(self.counts.items())),
            "truncated": {
                code: n - self.max_listed
                for code, n in sorted(self.counts.items())
                if n > self.max_listed
            },
            "findings": [f.as_dict(lang) for f in self.findings],
        }
