"""Reference metadata reports: checked against the stored structures, stored, queried, written.

``load_reports`` reads a GenericMetadata message and checks each report against the stored
metadataflow, its MSD and the codelists they use: the report structure and metadata target exist,
every target value is given and points at a stored object (the indicator must be a code of the
target's codelist), every reported attribute is in the report structure with the right kind of
value (coded values in their codelist, XHTML where the MSD says XHTML, dates as dates), mandatory
attributes are present, and the data provider exists. It then stores every report idempotently
(``unchanged`` when identical) in the caller's transaction and returns one ``ArtefactResult`` per
report; if anything is wrong nothing is stored and one ``SemanticError`` lists every problem.
``parse_metadata_query`` reads an SDMX-REST 1.5 metadata path (``flowRef``, ``key``,
``providerRef``) and ``answer_metadata_query`` resolves it (``latest`` versions, 404 when nothing
matches) into GenericMetadata bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sdmx.model import common, v21
from sqlmodel import Session

from registry.catalog import Catalog
from registry.errors import NoResultsError, QuerySyntaxError, SemanticError, UnsupportedError
from registry.io import sdmxml_metadata as mdml
from registry.query.params import TRANSPORT_PARAMS
from registry.query.structure import pick_latest
from registry.results import ArtefactResult
from registry.storage import artefacts, audit
from registry.storage import metadata as store
from registry.structure_types import BY_URN_CLASS, parse_urn, urn_of

_ITEM_URN = re.compile(
    r"urn:sdmx:org\.sdmx\.infomodel\.(\w+)\.(\w+)=([\w.@$-]+):([\w@$-]+)\(([\w.+~*-]+)\)"
    r"(?:\.([\w@$.-]+))?"
)


# ── Loading ─────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Checked:
    flow_urn: str
    provider: str | None
    report: mdml.MetadataReport
    report_id: str
    target_key: str


def load_reports(session: Session, source: bytes | Path, *, actor: str) -> list[ArtefactResult]:
    """Check and store every report of a GenericMetadata message, or none (``SemanticError``)."""
    message = mdml.read_generic_metadata(source)
    catalog = Catalog(session)
    problems: list[str] = []
    checked: list[_Checked] = []
    for metadata_set in message.sets:
        checked.extend(_check_set(catalog, metadata_set, problems))
    seen = Counter((c.flow_urn, c.report_id) for c in checked)
    problems.extend(
        f"{flow}: report {rid} appears {n} times in the message; send each report once"
        for (flow, rid), n in seen.items()
        if n > 1
    )
    if not message.sets:
        problems.append("the message holds no MetadataSet")
    if problems:
        shown = "; ".join(problems[:5]) + (
            f"; … {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        raise SemanticError(
            f"{len(problems)} problem(s) in the metadata reports; nothing was stored: {shown}",
            details=problems,
        )
    return [_store(session, c, actor) for c in checked]


def _store(session: Session, c: _Checked, actor: str) -> ArtefactResult:
    text = mdml.canonical_report(c.report, structure_urn=c.flow_urn, provider=c.provider)
    digest = hashlib.sha256(text).hexdigest()
    label = f"{c.flow_urn}#{c.report_id}"
    old = store.get(session, c.flow_urn, c.report_id)
    if old is not None and old.content_hash == digest:
        return ArtefactResult(label, "unchanged")
    store.save(
        session,
        metadataflow_urn=c.flow_urn,
        report_id=c.report_id,
        target_key=c.target_key,
        target_values={v.id: v.value for v in c.report.values},
        provider=c.provider,
        sdmx_ml=text.decode("utf-8"),
        content_hash=digest,
    )
    status = "created" if old is None else "replaced"
    audit.record(session, actor=actor, action=status, target=label, detail={"content_hash": digest})
    return ArtefactResult(label, status)


def _check_set(
    catalog: Catalog, metadata_set: mdml.MetadataSet, problems: list[str]
) -> list[_Checked]:
    urn = _normalised(metadata_set.structure_urn)
    if ".Metadataflow=" not in urn:
        problems.append(
            f"{urn}: report metadata against a metadataflow (com:StructureUsage), not directly "
            "against a metadata structure"
        )
        return []
    if not artefacts.existing(catalog.session, [urn]):
        problems.append(f"the metadataflow {urn} is not in the registry; load it first")
        return []
    flow = catalog.load(urn)
    assert isinstance(flow, v21.MetadataflowDefinition)
    msd_urn = urn_of(flow.structure) if flow.structure is not None else ""
    if not msd_urn or not artefacts.existing(catalog.session, [msd_urn]):
        problems.append(f"{urn}: its metadata structure {msd_urn or '(none)'} is not stored")
        return []
    msd = catalog.load(msd_urn)
    assert isinstance(msd, v21.MetadataStructureDefinition)
    _check_provider(catalog, metadata_set.provider, urn, problems)
    checker = _ReportChecker(catalog, msd, urn)
    out: list[_Checked] = []
    for report in metadata_set.reports:
        found: list[str] = []
        key = checker.check(report, found)
        problems.extend(found)
        if not found:
            rid = f"{report.target}={key}"
            old = store.get(catalog.session, urn, rid)
            if old is not None and old.provider != metadata_set.provider:
                problems.append(
                    f"{urn}: report {rid} is held by provider {old.provider or '(none)'}; "
                    f"{metadata_set.provider or 'a report without provider'} cannot replace it"
                )
            out.append(_Checked(urn, metadata_set.provider, report, rid, key))
    return out


def _normalised(urn: str) -> str:
    """The standard form of a maintainable URN (``MetadataflowDefinition`` → ``Metadataflow``)."""
    try:
        kind, agency, id_, version = parse_urn(urn)
    except ValueError:
        return urn
    return kind.urn(agency, id_, version)


def _check_provider(
    catalog: Catalog, provider: str | None, where: str, problems: list[str]
) -> None:
    if provider is None:
        return
    agency, _, provider_id = provider.partition(":")
    scheme_urn = BY_URN_CLASS["DataProviderScheme"].urn(agency, "DATA_PROVIDERS", "1.0")
    scheme = catalog.load(scheme_urn) if artefacts.existing(catalog.session, [scheme_urn]) else None
    if scheme is None or provider_id not in scheme.items:  # type: ignore[attr-defined]
        problems.append(f"{where}: the data provider {provider_id!r} is not in {scheme_urn}")


class _ReportChecker:
    """Checks reports of one metadataflow against its MSD; codelists are loaded once."""

    def __init__(self, catalog: Catalog, msd: v21.MetadataStructureDefinition, flow: str) -> None:
        self.catalog = catalog
        self.msd = msd
        self.flow = flow
        self.codes: dict[str, set[str] | None] = {}

    def code_ids(self, codelist: Any) -> tuple[str, set[str] | None]:
        urn = urn_of(codelist)
        if urn not in self.codes:
            stored = artefacts.existing(self.catalog.session, [urn])
            self.codes[urn] = set(self.catalog.load(urn).items) if stored else None  # type: ignore[attr-defined]
        return urn, self.codes[urn]

    def check(self, report: mdml.MetadataReport, problems: list[str]) -> str:
        """The report's target key; problems are appended, prefixed with where they are."""
        where = f"{self.flow}, report {report.target}"
        rs = self.msd.report_structure.get(report.report_structure)
        if rs is None:
            problems.append(
                f"{where}: {report.report_structure!r} is not a report structure of "
                f"{urn_of(self.msd)} (has: {', '.join(self.msd.report_structure)})"
            )
            return ""
        allowed = [t.id for t in rs.report_for]
        if report.target not in allowed:
            problems.append(
                f"{where}: {report.target!r} is not a metadata target of report structure "
                f"{rs.id} (allowed: {', '.join(allowed)})"
            )
            return ""
        key = self._check_target(self.msd.target[report.target], report, where, problems)
        where = f"{self.flow}, report {report.target}={key}"
        self._check_attributes(report.attributes, list(rs.components), where, problems)
        return key

    def _check_target(
        self, mdt: v21.MetadataTarget, report: mdml.MetadataReport, where: str, problems: list[str]
    ) -> str:
        values = {v.id: v for v in report.values}
        expected = [c.id for c in mdt.components]
        for extra in sorted(set(values) - set(expected)):
            problems.append(f"{where}: {extra!r} is not a target object of {mdt.id}")
        parts: list[str] = []
        for component in mdt.components:
            value = values.get(component.id)
            if value is None:
                problems.append(f"{where}: the target value {component.id!r} is missing")
                continue
            parts.append(self._target_part(component, value, where, problems))
        return ".".join(parts)

    def _target_part(
        self, component: Any, value: mdml.TargetValue, where: str, problems: list[str]
    ) -> str:
        if isinstance(component, v21.ReportPeriodTarget) or value.kind == "ReportPeriod":
            if not isinstance(component, v21.ReportPeriodTarget) or value.kind != "ReportPeriod":
                problems.append(f"{where}: {component.id!r} needs an ObjectReference URN")
            return value.value
        m = _ITEM_URN.fullmatch(value.value)
        if m is None:
            problems.append(f"{where}: {value.value!r} is not an SDMX URN")
            return value.value
        _package, cls, agency, id_, version, item = m.groups()
        wanted = _object_class(getattr(component, "object_type", None))
        if wanted and cls != wanted and not (wanted == "Dataflow" and cls == "DataflowDefinition"):
            problems.append(f"{where}: {component.id} must reference a {wanted}, not a {cls}")
            return item or id_
        rep = component.local_representation
        codelist = rep.enumerated if rep is not None else None
        if codelist is not None:
            cl_urn, codes = self.code_ids(codelist)
            if (agency, id_, version) != parse_urn(cl_urn)[1:] or not item:
                problems.append(f"{where}: {value.value} is not a code of {cl_urn}")
            elif codes is None:
                problems.append(f"{where}: the codelist {cl_urn} is not in the registry")
            elif item not in codes:
                problems.append(f"{where}: {item!r} is not a code of {cl_urn}")
            return item or id_
        if item is None:
            try:
                target_urn = parse_urn(value.value)[0].urn(agency, id_, version)
            except ValueError:
                target_urn = value.value
            if not artefacts.existing(self.catalog.session, [target_urn]):
                problems.append(f"{where}: {value.value} is not in the registry")
        return item or id_

    def _check_attributes(
        self,
        attrs: Sequence[mdml.ReportedAttribute],
        components: Sequence[common.MetadataAttribute],
        where: str,
        problems: list[str],
    ) -> None:
        by_id = {c.id: c for c in components}
        counts = Counter(a.id for a in attrs)
        for attr in attrs:
            mda = by_id.get(attr.id)
            if mda is None:
                problems.append(
                    f"{where}: attribute {attr.id!r} is not in the metadata structure "
                    f"{urn_of(self.msd)} (allowed here: {', '.join(by_id)})"
                )
                continue
            for problem in self._value_problems(attr, mda):
                problems.append(f"{where}, {attr.id}: {problem}")
            self._check_attributes(attr.children, mda.child, f"{where}, {attr.id}", problems)
        for mda in components:
            n = counts.get(mda.id, 0)
            if mda.min_occurs and n < mda.min_occurs:
                problems.append(f"{where}: the mandatory attribute {mda.id} is missing")
            # maxOccurs absent is read as "no limit": sdmx1 reads "unbounded" as absent.
            if mda.max_occurs is not None and n > mda.max_occurs:
                problems.append(
                    f"{where}: {mda.id} is reported {n} times, at most {mda.max_occurs}"
                )

    def _value_problems(self, attr: mdml.ReportedAttribute, mda: Any) -> Iterable[str]:
        has_value = attr.value is not None
        if mda.is_presentational:
            if has_value or attr.texts or attr.xhtml:
                yield "a presentational attribute holds no value, only child attributes"
            return
        for name, pairs in (("Text", attr.texts), ("StructuredText", attr.xhtml)):
            langs = [lang for lang, _ in pairs]
            if len(set(langs)) != len(langs):
                yield f"two {name} in the same language ({', '.join(sorted(langs))})"
            if any(not mdml.xhtml_text(c) if name == "StructuredText" else not c.strip()
                   for _, c in pairs):  # fmt: skip
                yield f"an empty {name}"
        rep = mda.local_representation
        if rep is None:
            return
        if rep.enumerated is not None:
            cl_urn, codes = self.code_ids(rep.enumerated)
            if not has_value or attr.texts or attr.xhtml:
                yield f'a coded attribute takes a code of {cl_urn} in value="…"'
            elif codes is None:
                yield f"the codelist {cl_urn} is not in the registry"
            elif attr.value not in codes:
                yield f"{attr.value!r} is not a code of {cl_urn}"
            return
        facet = rep.non_enumerated[0].value_type.name if rep.non_enumerated else "string"
        if facet == "Xhtml":
            if not attr.xhtml or has_value or attr.texts:
                yield "an XHTML attribute takes com:StructuredText, one per language"
        elif attr.xhtml:
            yield f"com:StructuredText is only for XHTML attributes; this one is {facet}"
        elif facet == "string":
            if not has_value and not attr.texts and not attr.children:
                yield 'no value: give value="…" or com:Text elements'
        elif not has_value or attr.texts:
            yield f'a {facet} attribute takes value="…"'
        elif facet == "gregorianDay" and not _is_date(attr.value or ""):
            yield f"{attr.value!r} is not a date (YYYY-MM-DD)"


def _object_class(object_type: Any) -> str | None:
    if object_type is None:
        return None
    names = {v21.DataflowDefinition: "Dataflow", v21.DataStructureDefinition: "DataStructure"}
    return names.get(object_type, getattr(object_type, "__name__", None))


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


# ── REST 1.5 metadata queries ───────────────────────────────────────────────────────────────────

_FLOW_REF = re.compile(
    r"(?:(?P<agency>[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*),)?(?P<id>[\w@$-]+)"
    r"(?:,(?P<version>latest|\d+(?:\.\d+)*))?"
)
_KEY_PART = re.compile(r"[\w@$-]*(?:\+[\w@$-]+)*")
_PROVIDER = re.compile(r"(?:([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*),)?([\w@$-]+)")


@dataclass(frozen=True)
class MetadataQuery:
    """A parsed ``/metadata/{flowRef}/{key}/{providerRef}`` query; ``None`` means all.

    ``key`` holds one tuple of allowed values per position of the target key (an empty tuple is
    a wildcard position); ``providers`` holds (agency or None, provider id) pairs.
    """

    agency: str | None
    flow_id: str
    version: str
    key: tuple[tuple[str, ...], ...] | None
    providers: tuple[tuple[str | None, str], ...] | None


def parse_metadata_query(
    flow_ref: str, key: str | None, provider_ref: str | None, params: Mapping[str, str]
) -> MetadataQuery:
    """Parse the path segments and parameters (400 on bad syntax, 501 on other parameters)."""
    for name in params:
        if name not in TRANSPORT_PARAMS:
            raise UnsupportedError(
                f"The query parameter {name!r} is not supported for metadata queries "
                f"(supported: {', '.join(sorted(TRANSPORT_PARAMS))}; names are case-sensitive)"
            )
    m = _FLOW_REF.fullmatch(flow_ref)
    if m is None:
        raise QuerySyntaxError(
            f"Invalid flowRef {flow_ref!r}: expected ID, AGENCY,ID or AGENCY,ID,VERSION "
            "(e.g. MA.HCP,MDF_LMIS_IND,1.0)"
        )
    agency = m["agency"] if m["agency"] not in (None, "all") else None
    return MetadataQuery(
        agency, m["id"], m["version"] or "latest", _parse_key(key), _parse_providers(provider_ref)
    )


def _parse_key(key: str | None) -> tuple[tuple[str, ...], ...] | None:
    if key in (None, "", "all"):
        return None
    parts = key.split(".")
    for part in parts:
        if not _KEY_PART.fullmatch(part):
            raise QuerySyntaxError(
                f"Invalid key {key!r}: target values (e.g. indicator codes) joined with +, "
                "positions separated by dots, or all"
            )
    return tuple(tuple(p.split("+")) if p else () for p in parts)


def _parse_providers(provider_ref: str | None) -> tuple[tuple[str | None, str], ...] | None:
    if provider_ref in (None, "", "all"):
        return None
    out: list[tuple[str | None, str]] = []
    for part in provider_ref.split("+"):
        m = _PROVIDER.fullmatch(part)
        if m is None:
            raise QuerySyntaxError(
                f"Invalid providerRef {provider_ref!r}: expected PROVIDER_ID or "
                "AGENCY,PROVIDER_ID, joined with +, or all"
            )
        out.append((m[1], m[2]))
    return tuple(out)


def resolve_metadata_query(session: Session, query: MetadataQuery) -> list[store.ReportRecord]:
    """The stored reports the query selects (``NoResultsError`` if none)."""
    agencies = [query.agency] if query.agency else None
    versions = None if query.version == "latest" else [query.version]
    flows = artefacts.find(session, ["Metadataflow"], agencies, [query.flow_id], versions)
    if query.version == "latest":
        flows = pick_latest(flows)
    if not flows:
        raise NoResultsError(f"No metadataflow matches {query.agency or 'all'},{query.flow_id},"
                             f"{query.version}")  # fmt: skip
    exact = query.key is not None and len(query.key) == 1 and query.key[0] != ()
    keys = list(query.key[0]) if exact and query.key else None
    candidates = store.find(session, [f.urn for f in flows], keys)
    if query.key is not None and keys is None and candidates:
        sizes = {len(r.target_key.split(".")) for r in candidates}
        if len(query.key) not in sizes:
            raise QuerySyntaxError(
                f"The key has {len(query.key)} position(s); the target keys of "
                f"{query.flow_id} have {' or '.join(map(str, sorted(sizes)))} "
                "(e.g. one indicator code)"
            )
    found = [
        r
        for r in candidates
        if _key_matches(query.key, r.target_key) and _provider_matches(query.providers, r.provider)
    ]
    if not found:
        raise NoResultsError("No metadata report matches the query")
    return found


def _key_matches(key: tuple[tuple[str, ...], ...] | None, target_key: str) -> bool:
    if key is None:
        return True
    parts = target_key.split(".")
    return len(parts) == len(key) and all(not k or p in k for k, p in zip(key, parts, strict=True))


def _provider_matches(
    providers: tuple[tuple[str | None, str], ...] | None, provider: str | None
) -> bool:
    if providers is None:
        return True
    if provider is None:
        return False
    agency, _, provider_id = provider.partition(":")
    return any(pid == provider_id and a in (None, agency) for a, pid in providers)


def last_change(session: Session) -> datetime | None:
    """When the answer to a metadata query may last have changed (reports or structures)."""
    times = [t for t in (store.last_change(session), artefacts.last_change(session)) if t]
    return max(times) if times else None


def write_reports(
    records: Sequence[store.ReportRecord], *, header_id: str, prepared: datetime
) -> bytes:
    """One GenericMetadata message: a MetadataSet per (metadataflow, provider), in stored order."""
    groups: dict[tuple[str, str | None], list[mdml.MetadataReport]] = {}
    for record in records:
        (stored,) = mdml.read_generic_metadata(record.sdmx_ml.encode("utf-8")).sets
        groups.setdefault((record.metadataflow_urn, record.provider), []).extend(stored.reports)
    sets = [
        mdml.MetadataSet(flow, tuple(reports), provider)
        for (flow, provider), reports in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        )
    ]
    return mdml.write_generic_metadata(sets, header_id=header_id, prepared=prepared)
