"""Data dissemination (``/rest/data``) over real HTTP (uvicorn), on SQLite and PostgreSQL.

One store per backend, built once for the module, holds: every valid example of ``examples/``
(the shipped Moroccan LMIS structures, posted over HTTP as its provider ``MA.HCP:<PROVIDER>``,
SDMX-ML and SDMX-CSV twins), the ECB exchange-rate corpus files (generic and structure-specific;
flat, time-series and cross-sectional; with groups; a dataflow made for each DSD), synthetic
labour-force data from the generator, and small hand-made series (quarterly, annual, monthly) in
dataflows of their own for the REST grammar. Each dataflow is harvested back in every data
format (SDMX-ML 2.1 generic and structure-specific with their time-series forms, SDMX-JSON 1.0,
SDMX-CSV 1.0) with plain httpx and with the sdmx1 ``Client`` through a custom source: series
keys, periods, values and the attributes of every level equal what sdmx1 reads from the
submitted files. sdmx1's own URL builder makes URLs the server answers right. A table drives the
REST grammar (key wildcards and ``+`` lists, providers, startPeriod/endPeriod of every frequency
with whole-period containment, first/last N observations, detail, flat output), another the
errors (501 naming what is unsupported, 400, 404 with SDMX code 100, 406, 413 with code 510).
Also: ``?format=`` aliases, gzip, ETag/Last-Modified and 304, ``updatedAfter`` after a second
submission, and a 200,000-observation answer whose first bytes arrive long before its end.
Names: labelled SDMX-CSV and SDMX-JSON name the dataflow, components and codes as the shipped
content does (read with sdmx1) in the language asked (``lang``, Accept-Language), falling back
to English, then to any language. Cross-sectional output (``dimensionAtObservation`` = a
dimension): every dataflow in every format that allows it holds what its time-series answer
holds, with the grammar table, every detail and ``updatedAfter``, its attributes where the DSD
attaches them; time-series formats refuse it (406).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import sdmx
import sqlalchemy
from lxml import etree
from sdmx.model import common, v21

from registry import auth, content, maintenance
from registry.config import Settings
from registry.io import sdmxml
from registry.io.formats import formats_for
from registry.storage.db import make_engine, session_scope
from registry.submission import SubmissionOptions, Upload, report_json, submit
from tests.conftest import migrated_database, start_server

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
BENCH = DATA / "bench"
ECB = DATA / "corpus" / "ECB_EXR"
GENERATOR = ROOT / "tests" / "data" / "bench" / "gen_synthetic.py"
#: The valid examples, SDMX-ML and SDMX-CSV twins (``DATAFLOW.PROVIDER.xml|csv``).
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.*") if p.suffix in (".csv", ".xml"))
#: The ECB corpus files of tests/test_submission_corpus.py (``FILES``): {ng,sg}-*.xml with their
#: {ng,sg}-structure-full.xml; ``sg-xs.xml`` repeats observations with other values (refused).
ECB_FILES = sorted(
    p.name for p in ECB.glob("[ns]g-*.xml") if "structure" not in p.name and p.name != "sg-xs.xml"
)
CSV_TYPE = "application/vnd.sdmx.data+csv;version=1.0.0"
ERR_NS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
TIME = "TIME_PERIOD"

#: Every data format, by its ``?format=`` name.
FORMATS = {
    "genericdata": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "generictimeseriesdata": "application/vnd.sdmx.generictimeseriesdata+xml;version=2.1",
    "structurespecificdata": "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
    "structurespecifictimeseriesdata": (
        "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1"
    ),
    "jsondata": "application/vnd.sdmx.data+json;version=1.0.0",
    "csvdata": CSV_TYPE,
}

#: (series key, period, value, attributes of every level as sorted pairs)
Row = tuple[str, str, str | None, tuple[tuple[str, str], ...]]


# ── what sdmx1 reads, and what the responses say ─────────────────────────────────────────────────


def dimension_ids(dsd: Any) -> list[str]:
    """The series dimensions of a DSD in order (the time dimension excepted)."""
    return [d.id for d in dsd.dimensions.components if not isinstance(d, common.TimeDimension)]


def message_rows(msg: Any, dsd: Any) -> list[Row]:
    """The observations of an sdmx1 data message with the attributes of every level."""
    dims = dimension_ids(dsd)
    rows = []
    for ds in msg.data:
        for obs in ds.obs:
            key = {k: str(v.value) for k, v in obs.key.values.items()}
            attrs = {k: str(getattr(v, "value", v)) for k, v in ds.attrib.items()}
            for group_key in ds.group:  # flat messages have groups but no series
                if all(key.get(k) == str(v.value) for k, v in group_key.values.items()):
                    attrs.update({k: str(v.value) for k, v in group_key.attrib.items()})
            if obs.series_key is not None:
                for group_key in getattr(obs.series_key, "group_keys", ()):
                    attrs.update({k: str(v.value) for k, v in group_key.attrib.items()})
                attrs.update({k: str(v.value) for k, v in obs.series_key.attrib.items()})
            attrs.update({k: str(v.value) for k, v in obs.attached_attribute.items()})
            value = None if obs.value is None else str(obs.value)
            series_key = ".".join(key[d] for d in dims)
            rows.append((series_key, key[TIME], value, tuple(sorted(attrs.items()))))
    return ordered(rows)


def read_xml(body: bytes | Path, dsd: Any) -> Any:
    """sdmx1 reading an SDMX-ML data message given its DSD (header DataProvider taken out:
    sdmx1 2.28 cannot read it)."""
    root = etree.parse(str(body)).getroot() if isinstance(body, Path) else etree.fromstring(body)
    for provider in root.findall("{*}Header/{*}DataProvider"):
        provider.getparent().remove(provider)
    return sdmx.read_sdmx(io.BytesIO(etree.tostring(root)), structure=dsd)


def xml_rows(body: bytes | Path, dsd: Any) -> list[Row]:
    return message_rows(read_xml(body, dsd), dsd)


def csv_rows(body: bytes, dsd: Any) -> list[Row]:
    """An SDMX-CSV 1.0 answer read with the csv module (sdmx1 reads SDMX-CSV 2.x only)."""
    dims = dimension_ids(dsd)
    reader = csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))
    fields = list(reader.fieldnames or [])
    assert fields[: len(dims) + 3] == ["DATAFLOW", *dims, TIME, "OBS_VALUE"][: len(fields)], fields
    attributes = fields[len(dims) + 3 :]
    rows = []
    for record in reader:
        attrs = tuple(sorted((a, record[a]) for a in attributes if record[a] != ""))
        key = ".".join(record[d] for d in dims)
        rows.append((key, record[TIME], record["OBS_VALUE"] or None, attrs))
    return ordered(rows)


def json_rows(body: bytes, dsd: Any) -> list[Row]:
    """An SDMX-JSON 1.0 answer decoded by hand (sdmx1 2.28 reads only the 2015 draft layout)."""
    doc = json.loads(body)
    assert set(doc) >= {"meta", "data"}, list(doc)
    structure = doc["data"]["structure"]
    dims, attrs = structure["dimensions"], structure["attributes"]

    def key(level: str, text: str) -> dict[str, str]:
        indices = text.split(":") if text else []
        assert len(indices) == len(dims[level])
        return {
            d["id"]: d["values"][int(i)]["id"] for d, i in zip(dims[level], indices, strict=True)
        }

    def values(level: str, indices: Sequence[int | None]) -> dict[str, str]:
        out = {}
        for attribute, index in zip(attrs[level], indices, strict=False):
            if index is not None:
                value = attribute["values"][index]
                out[attribute["id"]] = value.get("id", value.get("name"))
        return out

    fixed = {d["id"]: d["values"][0]["id"] for d in dims.get("dataSet", [])}
    series_ids = dimension_ids(dsd)
    rows: list[Row] = []
    for dataset in doc["data"]["dataSets"]:
        dataset_attrs = values("dataSet", dataset.get("attributes", []))
        flat = [("", {}, dataset.get("observations", {}))]
        series = [
            (k, values("series", s.get("attributes", [])), s.get("observations", {}))
            for k, s in dataset.get("series", {}).items()
        ]
        for series_key, series_attrs, observations in series + flat:
            series_dims = key("series", series_key) if series_key else {}
            for obs_key, (raw, *indices) in observations.items():
                all_dims = {**fixed, **series_dims, **key("observation", obs_key)}
                all_attrs = {**dataset_attrs, **series_attrs, **values("observation", indices)}
                value = None if raw is None else str(raw)
                rows.append(
                    (
                        ".".join(all_dims[d] for d in series_ids),
                        all_dims[TIME],
                        value,
                        tuple(sorted(all_attrs.items())),
                    )
                )
    return ordered(rows)


def ordered(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r[0], r[1]))


def numeric(rows: list[Row]) -> list[Row]:
    """Rows with values as canonical decimals: JSON numbers lose their lexical form."""

    def canonical(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return format(Decimal(value).normalize(), "f")
        except InvalidOperation:
            return value

    return [(k, p, canonical(v), a) for k, p, v, a in rows]


def answer_rows(fmt: str, response: httpx.Response, dsd: Any) -> list[Row]:
    """The rows of a 200 answer in ``fmt`` (a key of ``FORMATS``), values canonical for JSON."""
    assert response.status_code == 200, response.text[:1500]
    assert response.headers["content-type"] == FORMATS[fmt]
    if fmt == "csvdata":
        return csv_rows(response.content, dsd)
    if fmt == "jsondata":
        return numeric(json_rows(response.content, dsd))
    return xml_rows(response.content, dsd)


def sdmx_error(response: httpx.Response) -> tuple[int, str, str]:
    """(HTTP status, SDMX error code, message) of an SDMX-ML Error answer."""
    root = etree.fromstring(response.content)
    assert root.tag == f"{ERR_NS}Error", response.text[:300]
    msg = root.find(f"{ERR_NS}ErrorMessage")
    assert msg is not None
    return response.status_code, msg.get("code", ""), " ".join(msg.itertext()).strip()


# ── the dataflows and what they hold ─────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Flow:
    """A dataflow the round trip harvests: its reference and its DSD (sdmx1)."""

    agency: str
    id: str
    dsd: Any

    @property
    def ref(self) -> str:
        return f"{self.agency},{self.id},1.0"


def _example_dsd(flow_id: str) -> Any:
    msg = sdmx.read_sdmx(ROOT / "dataflows" / f"MA.HCP.{flow_id}-1.0.xml")
    dsd_id = msg.dataflow[flow_id].structure.id
    return sdmx.read_sdmx(ROOT / "dsd" / f"MA.HCP.{dsd_id}-1.0.xml").structure[dsd_id]


@cache
def lfs_dsd() -> Any:
    return sdmx.read_sdmx(BENCH / "synthetic_dsd.xml").structure["DSD_LFS"]


@cache
def flows() -> dict[str, Flow]:
    """Every dataflow the round trip harvests, by id."""
    out: dict[str, Flow] = {}
    for path in EXAMPLES:
        flow_id = path.name.split(".")[0]
        if path.suffix == ".xml":  # sdmx1 reads SDMX-CSV 2.x only; the CSV twin holds the same
            out[flow_id] = Flow("MA.HCP", flow_id, _example_dsd(flow_id))
    for prefix in ("ng", "sg"):
        dsd_id = f"ECB_EXR_{prefix.upper()}"
        dsd = sdmx.read_sdmx(ECB / f"{prefix}-structure-full.xml").structure[dsd_id]
        out[f"DF_{dsd_id}"] = Flow("ECB", f"DF_{dsd_id}", dsd)
    out["DF_LFS"] = Flow("TEST", "DF_LFS", lfs_dsd())
    return out


@cache
def expected_rows(path: Path, flow_id: str) -> list[Row]:
    """What sdmx1 reads from a submitted SDMX-ML file of a dataflow."""
    return xml_rows(path, flows()[flow_id].dsd)


def generate(folder: Path, name: str, fmt: str, obs: int, periods: int) -> Path:
    path = folder / name
    args = ["--obs", str(obs), "--periods", str(periods), "--format", fmt, "-o", str(path)]
    subprocess.run([sys.executable, str(GENERATOR), *args], check=True)
    return path


# Hand-made series of TEST:DSD_LFS for the grammar: alias → (series key, periods).
def _quarters(first: int, last: int) -> list[str]:
    return [f"{y}-Q{q}" for y in range(first, last + 1) for q in range(1, 5)]


GRAMMAR: dict[str, tuple[str, list[str]]] = {
    "QT": ("Q.MAR.SEX_T.AGE_YGE15.ECO_ISIC4_TOTAL.EMP", _quarters(2019, 2021)),
    "QF": ("Q.MAR.SEX_F.AGE_YGE15.ECO_ISIC4_TOTAL.EMP", _quarters(2020, 2020)),
    "QX": ("Q.FRA.SEX_T.AGE_YGE15.ECO_ISIC4_TOTAL.UNE", _quarters(2020, 2020)),
    "AT": ("A.MAR.SEX_T.AGE_YGE15.ECO_ISIC4_TOTAL.UNE", [str(y) for y in range(2017, 2023)]),
    "MT": (
        "M.MAR.SEX_T.AGE_YGE15.ECO_ISIC4_TOTAL.UNE_RT",
        [f"{y}-{m:02d}" for y in (2020, 2021) for m in range(1, 13)][:18],
    ),
}
CSV_HEADER = (
    "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
    "UNIT_MEASURE,UNIT_MULT"
)


def grammar_row(alias: str, index: int) -> Row:
    """The observation ``index`` of a grammar series: values keep a trailing zero (``101.10``)
    so that any reformatting shows; the last one is provisional."""
    key, periods = GRAMMAR[alias]
    number = list(GRAMMAR).index(alias) + 1
    value = f"{number}{index:02d}.{index % 10}0"
    status = "P" if index == len(periods) - 1 else "A"
    unit, mult = ("PT", "0") if key.endswith("_RT") else ("PS", "3")
    attrs = (("OBS_STATUS", status), ("UNIT_MEASURE", unit), ("UNIT_MULT", mult))
    return (key, periods[index], value, attrs)


def csv_body(flow_id: str, rows: Sequence[Row]) -> bytes:
    lines = [CSV_HEADER]
    for key, period, value, attrs in rows:
        a = dict(attrs)
        cells = [f"TEST:{flow_id}(1.0)", *key.split("."), period, value or ""]
        lines.append(",".join([*cells, a["OBS_STATUS"], a["UNIT_MEASURE"], a["UNIT_MULT"]]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def all_grammar_rows() -> list[Row]:
    return [grammar_row(a, i) for a, (_, periods) in GRAMMAR.items() for i in range(len(periods))]


#: Dataflows of TEST:DSD_LFS made for these tests, each with an agreement for TEST:BENCH:
#: DF_GRAMMAR (the grammar table, never changed), DF_UPD (updatedAfter), DF_ETAG (caching),
#: DF_NAMES (named in French only: the language fallback), DF_XS_UPD (cross-sectional
#: updatedAfter).
TEST_FLOWS = ("DF_GRAMMAR", "DF_UPD", "DF_ETAG", "DF_NAMES", "DF_XS_UPD")
#: The names of the dataflows above: (language, name); the default is English.
FLOW_NAMES = {"DF_NAMES": ("fr", "Noms des tests en français")}


def extra_flow_structures() -> bytes:
    ns = (
        'xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
        'xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" '
        'xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"'
    )
    names = {f: FLOW_NAMES.get(f, ("en", f"Data query tests {f}")) for f in TEST_FLOWS}
    dataflows = "".join(
        f'<str:Dataflow id="{f}" agencyID="TEST" version="1.0" isFinal="true">'
        f'<com:Name xml:lang="{names[f][0]}">{names[f][1]}</com:Name>'
        '<str:Structure><Ref agencyID="TEST" id="DSD_LFS" version="1.0" class="DataStructure" '
        'package="datastructure"/></str:Structure></str:Dataflow>'
        for f in TEST_FLOWS
    )
    agreements = "".join(
        f'<str:ProvisionAgreement id="PA_BENCH_{f}" agencyID="TEST" version="1.0" isFinal="false">'
        f'<com:Name xml:lang="en">BENCH reports {f}</com:Name>'
        f'<str:StructureUsage><Ref id="{f}" agencyID="TEST" version="1.0" class="Dataflow" '
        'package="datastructure"/></str:StructureUsage>'
        '<str:DataProvider><Ref id="BENCH" agencyID="TEST" maintainableParentID="DATA_PROVIDERS" '
        'maintainableParentVersion="1.0" class="DataProvider" package="base"/></str:DataProvider>'
        "</str:ProvisionAgreement>"
        for f in TEST_FLOWS
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><mes:Structure {ns}><mes:Header>'
        "<mes:ID>DATA_QUERY_TESTS</mes:ID><mes:Test>true</mes:Test>"
        '<mes:Prepared>2026-01-01T00:00:00</mes:Prepared><mes:Sender id="TEST"/></mes:Header>'
        f"<mes:Structures><str:Dataflows>{dataflows}</str:Dataflows>"
        f"<str:ProvisionAgreements>{agreements}</str:ProvisionAgreements>"
        "</mes:Structures></mes:Structure>"
    ).encode()


# ── databases and servers ────────────────────────────────────────────────────────────────────────


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port; its base URL."""
    server, thread, url = start_server(settings)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass(frozen=True)
class Store:
    """The module's store and its live server."""

    base: str
    settings: Settings
    client: httpx.Client
    admin: str  # admin token (submits examples as their provider)
    producer: str  # producer token of TEST:BENCH
    #: The SDMX-ML files each harvested dataflow was fed, each holding all of its content.
    fed: Mapping[str, tuple[Path, ...]]

    def data(self, path: str, params: Mapping[str, str] | None = None, **headers: str) -> Any:
        return self.client.get(f"/rest/data/{path}", params=params or {}, headers=headers)

    def post(self, body: bytes, content_type: str, **params: str) -> dict[str, Any]:
        token = self.admin if "provider" in params else self.producer
        r = self.client.post(
            "/submissions",
            content=body,
            params=params,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        assert r.status_code == 201, r.text[:2000]
        return dict(r.json())


def _load_structures(engine: sqlalchemy.engine.Engine) -> None:
    messages = [
        (BENCH / "synthetic_dsd.xml").read_bytes(),
        (BENCH / "synthetic_provision.xml").read_bytes(),
        extra_flow_structures(),
    ]
    with session_scope(engine) as session:
        results = maintenance.submit_structures(
            session, content.load_files(content.content_files()), actor="test"
        )
        for message in messages:
            artefacts = sdmxml.read_structures(message).artefacts
            results += maintenance.submit_structures(session, artefacts, actor="test")
        for prefix in ("ng", "sg"):  # the corpus ships no dataflow: one per DSD
            structure = ECB / f"{prefix}-structure-full.xml"
            artefacts = sdmxml.read_structures(structure.read_bytes()).artefacts
            dsd = next(
                a
                for a in artefacts
                if isinstance(a, v21.DataStructureDefinition) and a.id.startswith("ECB_EXR")
            )
            flow = v21.DataflowDefinition(
                id=f"DF_{dsd.id}",
                maintainer=dsd.maintainer,
                version="1.0",
                structure=dsd,
                is_final=True,
            )
            flow.name = {"en": "Corpus data"}
            results += maintenance.submit_structures(session, [*artefacts, flow], actor="test")
    assert {r.status for r in results} <= {"created", "unchanged", "replaced"}, results


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp(f"data-{request.param}")
    with migrated_database(request.param, folder) as url:
        engine = make_engine(url)
        _load_structures(engine)
        with session_scope(engine) as session:
            admin, _ = auth.create_token(session, name="ada", role="admin")
            producer, _ = auth.create_token(
                session, name="pat", role="producer", provider="TEST:BENCH"
            )
        # The synthetic data and the corpus, in-process as `registry submit` does.
        fed = {
            f"DF_ECB_EXR_{p.upper()}": tuple(ECB / n for n in ECB_FILES if n.startswith(p))
            for p in ("ng", "sg")
        }
        fed |= {p.name.split(".")[0]: (p,) for p in EXAMPLES if p.suffix == ".xml"}
        fed["DF_LFS"] = generated = (
            generate(folder, "synthetic.xml", "xml", 600, 6),
            generate(folder, "synthetic-generic.xml", "generic", 600, 6),
        )
        for path in generated:
            record = submit(
                engine, Upload(path, path.name), SubmissionOptions("test", "TEST:BENCH")
            )
            assert record.status == "accepted", report_json(record)["findings"][:3]
        for name in ECB_FILES:
            record = submit(engine, Upload(ECB / name, name), SubmissionOptions(owner="test"))
            assert record.status == "accepted", (name, report_json(record)["findings"][:3])
        settings = Settings(database_url=url, max_upload_bytes=5 * 1024 * 1024)
        with serving(settings) as base, httpx.Client(base_url=base, timeout=120) as client:
            store = Store(base, settings, client, admin, producer, fed)
            # The examples over HTTP, as an admin naming the provider of each file.
            for path in EXAMPLES:
                provider = path.name.split(".")[1]
                media = CSV_TYPE if path.suffix == ".csv" else "application/xml"
                store.post(path.read_bytes(), media, provider=f"MA.HCP:{provider}")
            # The grammar series, as BENCH's producer.
            store.post(csv_body("DF_GRAMMAR", all_grammar_rows()), CSV_TYPE)
            yield store
        engine.dispose()


# ── 1. round trip: every dataflow, every format, httpx and the sdmx1 Client ───────────────────


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("flow_id", list(flows()))
def test_every_dataflow_harvests_as_sdmx1_reads_its_files(
    store: Store, flow_id: str, fmt: str
) -> None:
    flow = flows()[flow_id]
    response = store.data(flow.ref, {"format": fmt})
    got = answer_rows(fmt, response, flow.dsd)
    for path in store.fed[flow_id]:
        want = expected_rows(path, flow_id)
        assert len(got) == len(want) > 0, path.name
        assert got == (numeric(want) if fmt == "jsondata" else want), path.name
    if fmt == "jsondata":  # SDMX-JSON links the dataset to its one data provider, if any
        (dataset,) = json.loads(response.content)["data"]["dataSets"]
        linked = [link["urn"] for link in dataset["links"] if link["rel"] == "dataprovider"]
        provider = {
            "MA.HCP": f"MA.HCP:DATA_PROVIDERS(1.0).{store.fed[flow_id][0].name.split('.')[1]}",
            "TEST": "TEST:DATA_PROVIDERS(1.0).BENCH",
            "ECB": None,  # submitted without a provider
        }[flow.agency]
        prefix = "urn:sdmx:org.sdmx.infomodel.base.DataProvider="
        assert linked == ([prefix + provider] if provider else [])


@pytest.fixture(scope="module")
def lmis(store: Store) -> str:
    """A custom sdmx1 source pointing at the live server."""
    sdmx.add_source(
        {"id": "LMIS", "name": "lmis-registry under test", "url": store.base + "/rest"},
        override=True,
    )
    return "LMIS"


@pytest.mark.parametrize("flow_id", list(flows()))
def test_sdmx1_client_harvests_every_dataflow(store: Store, lmis: str, flow_id: str) -> None:
    flow = flows()[flow_id]
    want = expected_rows(store.fed[flow_id][0], flow_id)
    client = sdmx.Client(lmis)
    generic = client.data(flow_id)  # Accept: */* → GenericData
    assert generic.response.headers["content-type"] == FORMATS["genericdata"]
    assert message_rows(generic, flow.dsd) == want
    # With the DSD and a key as a dict, sdmx1 asks for structure-specific data.
    specific = client.data(flow_id, key={}, dsd=flow.dsd)
    assert specific.response.headers["content-type"].startswith(
        "application/vnd.sdmx.structurespecificdata+xml"
    )
    assert message_rows(specific, flow.dsd) == want


# ── 2. sdmx1's own URL builder ───────────────────────────────────────────────────────────────────


def grammar_rows(spec: Mapping[str, str]) -> list[Row]:
    """The grammar observations a spec names: alias → ``*`` (all), ``FIRST..LAST`` (a range of
    its periods) or ``P1,P2`` (those periods)."""
    rows = []
    for alias, text in spec.items():
        periods = GRAMMAR[alias][1]
        if text == "*":
            wanted = set(periods)
        elif ".." in text:
            first, last = text.split("..")
            wanted = set(periods[periods.index(first) : periods.index(last) + 1])
        else:
            wanted = set(text.split(","))
        assert wanted <= set(periods), (alias, text)
        rows += [grammar_row(alias, i) for i, p in enumerate(periods) if p in wanted]
    return ordered(rows)


def test_sdmx1_url_builder_makes_urls_the_server_answers(store: Store, lmis: str) -> None:
    client = sdmx.Client(lmis)
    dsd = lfs_dsd()
    key = {"FREQ": "Q", "REF_AREA": ["MAR", "FRA"], "SEX": "SEX_T"}
    params = {"startPeriod": "2020-Q2", "endPeriod": "2020-Q3", "provider": "BENCH"}
    request = client.data("DF_GRAMMAR", key=key, params=params, dsd=dsd, dry_run=True)
    assert request.url == (
        f"{store.base}/rest/data/DF_GRAMMAR/Q.FRA+MAR.SEX_T.../BENCH"
        "?startPeriod=2020-Q2&endPeriod=2020-Q3"
    )
    want = grammar_rows({"QT": "2020-Q2..2020-Q3", "QX": "2020-Q2..2020-Q3"})
    # The same URL with the headers sdmx1 sends (structure-specific data, as a DSD is given) …
    r = store.client.get(request.url, headers=dict(request.headers))
    assert r.headers["content-type"] == FORMATS["structurespecificdata"]
    assert xml_rows(r.content, dsd) == want
    # … and through the client itself.
    assert message_rows(client.data("DF_GRAMMAR", key=key, params=params, dsd=dsd), dsd) == want

    # sdmx.rest.v21.URL directly, with every data parameter it knows.
    url = sdmx.rest.v21.URL(
        client.source,
        sdmx.Resource.data,
        resource_id="TEST,DF_GRAMMAR,1.0",
        key="A+M.MAR....",
        provider="TEST,BENCH",
        start_period="2020",
        end_period="2021-03",
        first_n_observations=2,
        last_n_observations=1,
        detail="full",
        dimension_at_observation="TIME_PERIOD",
        include_history=False,
        updated_after="2000-01-01T00:00:00Z",
    ).join()
    r = store.client.get(url + "&format=csvdata")
    want = grammar_rows({"AT": "2020", "MT": "2020-01,2020-02,2021-03"})
    assert answer_rows("csvdata", r, dsd) == want, url

    # A key as a dict without a DSD: sdmx1 fetches the dataflow and its DSD from the registry
    # (references=all) under the agency named like the source, then checks the key against it.
    sdmx.add_source(
        {"id": "TEST", "name": "lmis-registry as agency TEST", "url": store.base + "/rest"},
        override=True,
    )
    msg = sdmx.Client("TEST").data("DF_GRAMMAR", key={"FREQ": ["A", "M"]})
    assert msg.response.url.endswith("/rest/data/DF_GRAMMAR/A+M.....")
    assert message_rows(msg, dsd) == grammar_rows({"AT": "*", "MT": "*"})


# ── 3. the REST grammar, table-driven ────────────────────────────────────────────────────────────

ALL = {alias: "*" for alias in GRAMMAR}
QUARTERLY = "Q....."

#: (id, key, providerRef, parameters, observations expected: alias → spec of grammar_rows)
CASES: list[tuple[str, str, str, dict[str, str], dict[str, str]]] = [
    ("everything", "all", "all", {}, ALL),
    ("wildcards", "Q.MAR....EMP", "all", {}, {"QT": "*", "QF": "*"}),
    ("plus-list", "Q.MAR+FRA.SEX_T...", "all", {}, {"QT": "*", "QX": "*"}),
    ("plus-frequencies", "A+M.....", "all", {}, {"AT": "*", "MT": "*"}),
    ("one-position", ".MAR.SEX_F...", "all", {}, {"QF": "*"}),
    ("exact-key", GRAMMAR["QX"][0], "all", {}, {"QX": "*"}),
    ("provider", "all", "BENCH", {}, ALL),
    ("provider-list", "all", "TEST,BENCH+OTHER", {}, ALL),
    # startPeriod/endPeriod: an observation is in when its whole period is (R-DAT-05)
    (
        "start-quarter-keeps-that-quarter",
        QUARTERLY,
        "all",
        {"startPeriod": "2020-Q2"},
        {"QT": "2020-Q2..2021-Q4", "QF": "2020-Q2..2020-Q4", "QX": "2020-Q2..2020-Q4"},
    ),
    (
        "start-month-drops-the-quarter-it-cuts",
        QUARTERLY,
        "all",
        {"startPeriod": "2020-05"},
        {"QT": "2020-Q3..2021-Q4", "QF": "2020-Q3..2020-Q4", "QX": "2020-Q3..2020-Q4"},
    ),
    ("start-month-annual", "A.....", "all", {"startPeriod": "2020-05"}, {"AT": "2021..2022"}),
    (
        "start-month-monthly",
        "M.....",
        "all",
        {"startPeriod": "2020-05"},
        {"MT": "2020-05..2021-06"},
    ),
    (
        "start-quarter-monthly",
        "M.....",
        "all",
        {"startPeriod": "2021-Q2"},
        {"MT": "2021-04..2021-06"},
    ),
    (
        "start-year",
        "all",
        "all",
        {"startPeriod": "2021"},
        {"QT": "2021-Q1..2021-Q4", "AT": "2021..2022", "MT": "2021-01..2021-06"},
    ),
    (
        "start-semester",
        QUARTERLY,
        "all",
        {"startPeriod": "2020-S2"},
        {"QT": "2020-Q3..2021-Q4", "QF": "2020-Q3..2020-Q4", "QX": "2020-Q3..2020-Q4"},
    ),
    (
        "end-quarter",
        "all",
        "all",
        {"endPeriod": "2020-Q2"},
        {
            "QT": "2019-Q1..2020-Q2",
            "QF": "2020-Q1..2020-Q2",
            "QX": "2020-Q1..2020-Q2",
            "AT": "2017..2019",
            "MT": "2020-01..2020-06",
        },
    ),
    ("end-month-annual", "A.....", "all", {"endPeriod": "2020-06"}, {"AT": "2017..2019"}),
    (
        "end-day-inside-a-quarter",
        QUARTERLY,
        "all",
        {"endPeriod": "2020-06-29"},
        {"QT": "2019-Q1..2020-Q1", "QF": "2020-Q1", "QX": "2020-Q1"},
    ),
    (
        "end-year",
        "all",
        "all",
        {"endPeriod": "2020"},
        {
            "QT": "2019-Q1..2020-Q4",
            "QF": "*",
            "QX": "*",
            "AT": "2017..2020",
            "MT": "2020-01..2020-12",
        },
    ),
    (
        "one-year",
        "all",
        "all",
        {"startPeriod": "2020", "endPeriod": "2020"},
        {"QT": "2020-Q1..2020-Q4", "QF": "*", "QX": "*", "AT": "2020", "MT": "2020-01..2020-12"},
    ),
    (
        "two-quarters",
        "all",
        "all",
        {"startPeriod": "2020-Q2", "endPeriod": "2020-Q3"},
        {
            "QT": "2020-Q2..2020-Q3",
            "QF": "2020-Q2..2020-Q3",
            "QX": "2020-Q2..2020-Q3",
            "MT": "2020-04..2020-09",
        },
    ),
    (
        "day-bounds",
        "all",
        "all",
        {"startPeriod": "2020-04-01", "endPeriod": "2020-06-30"},
        {"QT": "2020-Q2", "QF": "2020-Q2", "QX": "2020-Q2", "MT": "2020-04..2020-06"},
    ),
    # first/last N observations, per series, after the period window
    (
        "first-2",
        "all",
        "all",
        {"firstNObservations": "2"},
        {
            "QT": "2019-Q1..2019-Q2",
            "QF": "2020-Q1..2020-Q2",
            "QX": "2020-Q1..2020-Q2",
            "AT": "2017..2018",
            "MT": "2020-01..2020-02",
        },
    ),
    (
        "last-1",
        "all",
        "all",
        {"lastNObservations": "1"},
        {"QT": "2021-Q4", "QF": "2020-Q4", "QX": "2020-Q4", "AT": "2022", "MT": "2021-06"},
    ),
    (
        "first-and-last",
        "A+M.....",
        "all",
        {"firstNObservations": "1", "lastNObservations": "1"},
        {"AT": "2017,2022", "MT": "2020-01,2021-06"},
    ),
    ("first-n-beyond-the-series", "A.....", "all", {"firstNObservations": "100"}, {"AT": "*"}),
    (
        "window-then-last-2",
        "all",
        "all",
        {"startPeriod": "2020", "endPeriod": "2020", "lastNObservations": "2"},
        {
            "QT": "2020-Q3..2020-Q4",
            "QF": "2020-Q3..2020-Q4",
            "QX": "2020-Q3..2020-Q4",
            "AT": "2020",
            "MT": "2020-11..2020-12",
        },
    ),
]


@pytest.mark.parametrize(
    ("key", "provider", "params", "spec"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rest_grammar(
    store: Store, key: str, provider: str, params: dict[str, str], spec: dict[str, str]
) -> None:
    want = grammar_rows(spec)
    path = f"TEST,DF_GRAMMAR,1.0/{key}/{provider}"
    for fmt in ("csvdata", "generictimeseriesdata"):
        got = answer_rows(fmt, store.data(path, {**params, "format": fmt}), lfs_dsd())
        assert got == want, fmt


def test_detail_levels(store: Store) -> None:
    dsd = lfs_dsd()
    path = "TEST,DF_GRAMMAR,1.0/A+M....."
    full = read_xml(store.data(path, {"detail": "full"}).content, dsd)
    assert message_rows(full, dsd) == grammar_rows({"AT": "*", "MT": "*"})

    bare = read_xml(store.data(path, {"detail": "dataonly"}).content, dsd)
    assert message_rows(bare, dsd) == [(k, p, v, ()) for k, p, v, _ in message_rows(full, dsd)]

    series = {GRAMMAR["AT"][0]: ("PS", "3"), GRAMMAR["MT"][0]: ("PT", "0")}
    for detail in ("serieskeysonly", "nodata"):
        for fmt in ("genericdata", "structurespecificdata"):
            msg = read_xml(store.data(path, {"detail": detail, "format": fmt}).content, dsd)
            (ds,) = msg.data
            assert len(ds.obs) == 0, (detail, fmt)
            got = {
                ".".join(str(v.value) for v in s.values.values()): {
                    k: str(v.value) for k, v in s.attrib.items()
                }
                for s in ds.series
            }
            assert set(got) == set(series), (detail, fmt)
            if detail == "nodata":
                assert got == {
                    k: {"UNIT_MEASURE": u, "UNIT_MULT": m} for k, (u, m) in series.items()
                }
            else:
                assert all(a == {} for a in got.values())
    # SDMX-CSV: one row per series with empty period and value; SDMX-JSON: series without
    # observations; attributes with nodata only.
    for detail, attributes in (("serieskeysonly", False), ("nodata", True)):
        rows = answer_rows(
            "csvdata", store.data(path, {"detail": detail, "format": "csvdata"}), dsd
        )
        assert rows == ordered(
            [
                (k, "", None, (("UNIT_MEASURE", u), ("UNIT_MULT", m)) if attributes else ())
                for k, (u, m) in series.items()
            ]
        )
        doc = store.data(path, {"detail": detail, "format": "jsondata"}).json()
        (dataset,) = doc["data"]["dataSets"]
        assert len(dataset["series"]) == len(series), detail
        assert all("observations" not in s for s in dataset["series"].values())
        assert [a["id"] for a in doc["data"]["structure"]["attributes"]["series"]] == (
            ["UNIT_MEASURE", "UNIT_MULT"] if attributes else []
        )
    # dataonly in every format: the observations without any attribute.
    for fmt in FORMATS:
        got = answer_rows(fmt, store.data(path, {"detail": "dataonly", "format": fmt}), dsd)
        want = [(k, p, v, ()) for k, p, v, _ in grammar_rows({"AT": "*", "MT": "*"})]
        assert got == (numeric(want) if fmt == "jsondata" else want), fmt
    # Series keys of the series with data in a window only.
    msg = read_xml(
        store.data(
            "TEST,DF_GRAMMAR,1.0", {"detail": "serieskeysonly", "startPeriod": "2021"}
        ).content,
        dsd,
    )
    keys = {".".join(str(v.value) for v in s.values.values()) for s in msg.data[0].series}
    assert keys == {GRAMMAR[a][0] for a in ("QT", "AT", "MT")}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_flat_output_holds_every_dimension_on_each_observation(store: Store, fmt: str) -> None:
    dsd = lfs_dsd()
    r = store.data(
        "TEST,DF_GRAMMAR,1.0", {"dimensionAtObservation": "AllDimensions", "format": fmt}
    )
    if fmt in ("generictimeseriesdata", "structurespecifictimeseriesdata"):
        # Time-series messages have the time dimension at observation by definition.
        status, code, text = sdmx_error(r)
        assert (status, code) == (406, "406") and "dimensionAtObservation=AllDimensions" in text
        return
    want = grammar_rows(ALL)
    assert answer_rows(fmt, r, dsd) == (numeric(want) if fmt == "jsondata" else want)
    if fmt in ("genericdata", "structurespecificdata"):
        msg = read_xml(r.content, dsd)
        assert msg.observation_dimension is common.AllDimensions
        assert len(msg.data[0].series) == 0 and len(msg.data[0].obs) == len(want)
        assert b'dimensionAtObservation="AllDimensions"' in r.content
    if fmt == "jsondata":
        doc = json.loads(r.content)
        assert doc["data"]["structure"]["dimensions"]["series"] == []
        assert "series" not in doc["data"]["dataSets"][0]


@pytest.mark.parametrize("flow_id", ["DF_LFS_KEY", "DF_LM_ADMIN", "DF_REMIT"])
def test_provider_selection(store: Store, flow_id: str) -> None:
    (path,) = store.fed[flow_id]
    provider = path.name.split(".")[1]
    want = expected_rows(path, flow_id)
    for ref in (provider, f"MA.HCP,{provider}+NOBODY"):
        r = store.data(f"MA.HCP,{flow_id},1.0/all/{ref}", {"format": "csvdata"})
        assert answer_rows("csvdata", r, flows()[flow_id].dsd) == want, ref
    status, code, _ = sdmx_error(store.data(f"{flow_id}/all/TEST,{provider}"))
    assert (status, code) == (404, "100")


#: (path under /rest/data/, parameters, headers, HTTP status, SDMX code, words the message says)
ERRORS: list[tuple[str, dict[str, str], dict[str, str], int, str, str]] = [
    ("TEST,DF_GRAMMAR,1.0", {"dimensionAtObservation": "NOPE"}, {}, 400, "140", "NOPE"),
    ("TEST,DF_GRAMMAR,1.0", {"dimensionAtObservation": "OBS_STATUS"}, {}, 400, "140", "no such"),
    ("TEST,DF_GRAMMAR,1.0", {"dimensionAtObservation": "ref_area"}, {}, 400, "140", "ref_area"),
    (
        "TEST,DF_GRAMMAR,1.0",
        {"dimensionAtObservation": "REF_AREA", "format": "generictimeseriesdata"},
        {},
        406,
        "406",
        "dimensionAtObservation=REF_AREA",
    ),
    (
        "TEST,DF_GRAMMAR,1.0",
        {"includeHistory": "true", "format": "csvdata"},
        {},
        406,
        "406",
        "includeHistory",
    ),
    ("TEST,DF_GRAMMAR,1.0", {"includeHistory": "maybe"}, {}, 400, "140", "includeHistory"),
    ("TEST,DF_GRAMMAR,1.0", {"colour": "blue"}, {}, 501, "501", "'colour'"),
    ("TEST,DF_GRAMMAR,1.0", {"startperiod": "2020"}, {}, 501, "501", "case-sensitive"),
    ("TEST,DF_GRAMMAR,1.0/Q.MAR", {}, {}, 400, "140", "2 positions"),
    ("TEST,DF_GRAMMAR,1.0/Q.MAR......", {}, {}, 400, "140", "8 positions"),
    ("TEST,DF_GRAMMAR,1.0/Q.*....", {}, {}, 400, "140", "wildcard"),
    ("TEST,DF_GRAMMAR,1.0", {"startPeriod": "2020-Q5"}, {}, 400, "140", "startPeriod"),
    ("TEST,DF_GRAMMAR,1.0", {"startPeriod": "2021", "endPeriod": "2020"}, {}, 400, "140", "after"),
    ("TEST,DF_GRAMMAR,1.0", {"firstNObservations": "0"}, {}, 400, "140", "positive"),
    ("TEST,DF_GRAMMAR,1.0", {"detail": "everything"}, {}, 400, "140", "serieskeysonly"),
    ("TEST,DF_GRAMMAR,1.0", {"updatedAfter": "yesterday"}, {}, 400, "140", "updatedAfter"),
    ("TEST,DF_GRAMMAR,1.0", {"labels": "both"}, {}, 400, "140", "SDMX-CSV"),
    ("TEST,DF_GRAMMAR,1.0", {"labels": "names", "format": "csv"}, {}, 400, "140", "labels=id|both"),
    ("TEST,DF_GRAMMAR,1.0", {"timeFormat": "iso", "format": "csv"}, {}, 400, "140", "normalized"),
    ("TEST,DF_NOPE,1.0", {}, {}, 404, "100", "DF_NOPE"),
    ("DF_NOPE", {}, {}, 404, "100", "DF_NOPE"),
    ("TEST,DF_GRAMMAR,9.9", {}, {}, 404, "100", "9.9"),
    ("all,DF_GRAMMAR+DF_LFS", {}, {}, 400, "140", "exactly one dataflow"),
    ("TEST,DF_GRAMMAR,1.0/Q.ZAF....", {}, {}, 404, "100", "No data"),
    ("TEST,DF_GRAMMAR,1.0/all/OTHER", {}, {}, 404, "100", "No data"),
    ("TEST,DF_GRAMMAR,1.0", {"startPeriod": "2030"}, {}, 404, "100", "No data"),
    ("TEST,DF_UPD,1.0", {}, {}, 404, "100", "No data"),  # a dataflow without data
    ("TEST,DF_GRAMMAR,1.0", {}, {"Accept": "application/pdf"}, 406, "406", "genericdata"),
    ("TEST,DF_GRAMMAR,1.0", {"format": "pdf"}, {}, 406, "406", "format"),
    ("", {}, {}, 400, "140", "flowRef"),
    ("TEST,DF_GRAMMAR,1.0/all/all/extra", {}, {}, 400, "140", "flowRef"),
]


@pytest.mark.parametrize(
    ("path", "params", "headers", "status", "code", "needle"),
    ERRORS,
    ids=[f"{e[3]}-{e[0]}-{'&'.join(e[1]) or ''.join(e[2].values())}" for e in ERRORS],
)
def test_errors(
    store: Store,
    path: str,
    params: dict[str, str],
    headers: dict[str, str],
    status: int,
    code: str,
    needle: str,
) -> None:
    got = sdmx_error(store.data(path, params, **headers))
    assert got[:2] == (status, code) and needle.lower() in got[2].lower(), got


def test_too_large_an_answer_is_refused_with_advice(store: Store) -> None:
    """A server whose REGISTRY_MAX_RESPONSE_OBSERVATIONS is 24, over the same store (the grammar
    dataflow holds 44 observations in series of 12, 4, 4, 6 and 18)."""
    limited = Settings(database_url=store.settings.database_url, max_response_observations=24)
    with serving(limited) as base, httpx.Client(base_url=base, timeout=60) as client:
        path = "/rest/data/TEST,DF_GRAMMAR,1.0"
        status, code, text = sdmx_error(client.get(path))
        assert (status, code) == (413, "510")
        assert "24" in text and "narrow" in text and "REGISTRY_MAX_RESPONSE_OBSERVATIONS" in text
        json_error = client.get(path, headers={"Accept": "application/vnd.sdmx.data+json"})
        assert json_error.status_code == 413
        assert json_error.json()["errors"][0]["code"] == 510
        # 6 + 4 + 4 + 6 + 6 observations: still too many.
        status, code, _ = sdmx_error(client.get(path, params={"firstNObservations": "6"}))
        assert (status, code) == (413, "510")
        # Narrowed: by key, by window, by first/last N (counted per series), or series keys only.
        for suffix, params, count in (
            ("/Q.MAR.SEX_F...", {}, 4),
            ("", {"startPeriod": "2021"}, 4 + 2 + 6),
            ("", {"lastNObservations": "1"}, 5),
            ("", {"firstNObservations": "5"}, 5 + 4 + 4 + 5 + 5),
            ("", {"firstNObservations": "2", "lastNObservations": "3"}, 5 + 4 + 4 + 5 + 5),
            ("", {"detail": "serieskeysonly"}, 0),
        ):
            r = client.get(path + suffix, params={**params, "format": "csvdata"})
            assert r.status_code == 200, (suffix, params, r.text[:500])
            rows = csv_rows(r.content, lfs_dsd())
            assert len([row for row in rows if row[1]]) == count, (suffix, params)


def test_format_aliases_and_media_types(store: Store) -> None:
    path = "TEST,DF_GRAMMAR,1.0/A....."
    for fmt in formats_for("data"):
        by_accept = store.data(path, Accept=fmt.content_type)
        assert by_accept.status_code == 200, fmt.content_type
        if fmt.name != "data-csv-labels":  # labels are asked by a media-type parameter
            assert by_accept.headers["content-type"] == fmt.content_type
        for alias in fmt.aliases:
            r = store.data(path, {"format": alias}, Accept="application/pdf")  # format= wins
            assert r.status_code == 200, alias
            assert r.headers["content-type"] == fmt.content_type, alias
            if fmt.name == "data-csv-labels":
                header = r.text.splitlines()[:2]
                assert header[0].startswith("DATAFLOW") and "Annual" in header[1], header
            else:
                assert r.content == by_accept.content or "csv" not in fmt.name, alias
    labelled = store.data(path, Accept=f"{CSV_TYPE};labels=both")
    assert "A: Annual" in labelled.text
    assert store.data(path, Accept="text/csv").headers["content-type"] == CSV_TYPE
    assert (
        store.data(path, Accept="application/json").headers["content-type"] == FORMATS["jsondata"]
    )
    assert store.data(path, Accept="*/*").headers["content-type"] == FORMATS["genericdata"]
    assert store.data(path).headers["content-type"] == FORMATS["genericdata"]


def test_labelled_csv_names_the_dataflow_and_its_components(store: Store) -> None:
    r = store.data("MA.HCP,DF_LFS_KEY,1.0", {"format": "csvfilewithlabels"})
    header, first = r.text.splitlines()[:2]
    assert not first.startswith("MA.HCP:DF_LFS_KEY(1.0): MA.HCP:DF_LFS_KEY(1.0),")
    assert "FREQ: FREQ" not in header


def test_json_names_the_codes(store: Store) -> None:
    doc = store.data("TEST,DF_GRAMMAR,1.0/A.....", {"format": "jsondata"}).json()
    freq = doc["data"]["structure"]["dimensions"]["series"][0]
    assert freq["id"] == "FREQ" and freq["values"] == [{"id": "A", "name": "Annual"}]


def test_gzip_when_asked(store: Store) -> None:
    path = "/rest/data/TEST,DF_GRAMMAR,1.0"
    plain = store.client.get(
        path, params={"format": "csvdata"}, headers={"Accept-Encoding": "identity"}
    )
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with store.client.stream(
        "GET", path, params={"format": "csvdata"}, headers={"Accept-Encoding": "gzip"}
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in r.headers["vary"]
        raw = b"".join(r.iter_raw())
    assert gzip.decompress(raw) == plain.content
    assert len(raw) < len(plain.content)


def test_etag_last_modified_and_304(store: Store) -> None:
    path = "/rest/data/TEST,DF_ETAG,1.0"
    first = [grammar_row("AT", i) for i in range(3)]
    store.post(csv_body("DF_ETAG", first), CSV_TYPE)
    r = store.client.get(path, params={"format": "csvdata"})
    assert r.status_code == 200
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('"') and parsedate_to_datetime(modified) <= datetime.now(UTC)
    again = store.client.get(path, params={"format": "csvdata"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    since = store.client.get(
        path, params={"format": "csvdata"}, headers={"If-Modified-Since": modified}
    )
    assert since.status_code == 304
    # Another representation of the same data has its own tag.
    other = store.client.get(path, params={"format": "jsondata"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    tags = {etag, other.headers["etag"]}
    for accept in (f"{CSV_TYPE};labels=both", f"{CSV_TYPE};timeFormat=normalized", CSV_TYPE):
        r = store.client.get(path, headers={"Accept": accept, "If-None-Match": ", ".join(tags)})
        assert r.status_code == 200 and r.headers["etag"] not in tags, accept
        tags.add(r.headers["etag"])
        again = {"Accept": accept, "If-None-Match": r.headers["etag"]}
        assert store.client.get(path, headers=again).status_code == 304, accept
    # New data: the old tag no longer matches.
    store.post(csv_body("DF_ETAG", [grammar_row("AT", 3)]), CSV_TYPE)
    changed = store.client.get(path, params={"format": "csvdata"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert csv_rows(changed.content, lfs_dsd()) == grammar_rows({"AT": "2017..2020"})


def test_updated_after_returns_the_second_submission_only(store: Store) -> None:
    dsd = lfs_dsd()
    path = "TEST,DF_UPD,1.0"
    step1 = [grammar_row(a, i) for a in ("QT", "AT") for i in range(4)]
    report = store.post(csv_body("DF_UPD", step1), CSV_TYPE)
    between = datetime.now(UTC)
    assert between > datetime.fromisoformat(report["submitted_at"])
    # Step 2: one observation sent again with a new value, two new ones.
    key, period, _, attrs = grammar_row("QT", 1)
    step2 = [(key, period, "999.90", attrs), grammar_row("QT", 4), grammar_row("MT", 0)]
    store.post(csv_body("DF_UPD", step2), CSV_TYPE, action="Append")
    stamp = between.isoformat()  # +00:00: httpx percent-encodes the +
    got = answer_rows(
        "csvdata", store.data(path, {"updatedAfter": stamp, "format": "csvdata"}), dsd
    )
    assert got == ordered(step2)
    for offset in (2, -5):  # the same instant in other zones
        zoned = between.astimezone(timezone(timedelta(hours=offset))).isoformat()
        r = store.data(path, {"updatedAfter": zoned, "format": "csvdata"})
        assert answer_rows("csvdata", r, dsd) == got, zoned
    assert answer_rows("csvdata", store.data(path, {"format": "csvdata"}), dsd) == ordered(
        [r for r in step1 if r[:2] != (key, period)] + step2
    )
    everything = store.data(path, {"updatedAfter": "2000-01-01T00:00:00Z", "format": "csvdata"})
    assert len(answer_rows("csvdata", everything, dsd)) == len(step1) + 2
    # Combined with a key and a window; nothing newer than now.
    narrowed = store.data(
        f"{path}/Q.....", {"updatedAfter": stamp, "startPeriod": "2019-Q3", "format": "csvdata"}
    )
    assert answer_rows("csvdata", narrowed, dsd) == ordered([step2[1]])
    later = sdmx_error(store.data(path, {"updatedAfter": datetime.now(UTC).isoformat()}))
    assert later[:2] == (404, "100")


# ── 4. streaming ─────────────────────────────────────────────────────────────────────────────────

BIG = 200_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store holding 200,000 synthetic observations (10,000 series of 20 quarters),
    served by uvicorn; its base URL."""
    folder = tmp_path_factory.mktemp("data-big")
    path = generate(folder, "big.csv", "csv", BIG, 20)
    with migrated_database("sqlite", folder) as url:
        engine = make_engine(url)
        with session_scope(engine) as session:
            for name in ("synthetic_dsd.xml", "synthetic_provision.xml"):
                artefacts = sdmxml.read_structures((BENCH / name).read_bytes()).artefacts
                maintenance.submit_structures(session, artefacts, actor="test")
        record = submit(engine, Upload(path, path.name), SubmissionOptions("test", "TEST:BENCH"))
        assert record.status == "accepted" and record.counts["observations"] == BIG
        engine.dispose()
        with serving(Settings(database_url=url)) as base:
            yield base


def test_a_large_answer_streams(big: str) -> None:
    fmt = "structurespecificdata"
    url = f"{big}/rest/data/TEST,DF_LFS,1.0"
    with httpx.Client(timeout=300) as client:
        started = time.perf_counter()
        first_chunk = None
        chunks = size = 0
        parts = []
        with client.stream(
            "GET", url, params={"format": fmt}, headers={"Accept-Encoding": "identity"}
        ) as r:
            assert r.status_code == 200
            assert "content-length" not in r.headers  # chunked: the size is not known up front
            for chunk in r.iter_raw():
                if first_chunk is None:
                    first_chunk = time.perf_counter() - started
                    head = chunk
                chunks += 1
                size += len(chunk)
                parts.append(chunk)
        total = time.perf_counter() - started
    assert first_chunk is not None and chunks > 1
    # The header leaves before the observations are read: the first bytes come long before the
    # end (about 0.3-0.5 s of 2.5-3 s here; a server that built the body first would send its
    # first byte at about the end).
    assert first_chunk < total / 2, (first_chunk, total, chunks)
    body = b"".join(parts)
    assert b"<message:Header>" in head
    assert body.count(b"<Obs ") == BIG
    assert size == len(body) > 10 * 1024 * 1024


# ── 5. names in the language asked (SDMX-CSV labels=both, SDMX-JSON) ───────────────────────────


@cache
def content_names(language: str) -> tuple[str, dict[str, str], dict[str, dict[str, str]]]:
    """What the shipped content, read with sdmx1, names DF_LFS_KEY, its components (their
    concepts) and the codes of its coded components, in ``language`` else English."""

    def pick(text: Any) -> str:
        names = text.localizations
        return str(names.get(language) or names["en"])

    flow = sdmx.read_sdmx(ROOT / "dataflows" / "MA.HCP.DF_LFS_KEY-1.0.xml").dataflow["DF_LFS_KEY"]
    dsd = _example_dsd("DF_LFS_KEY")
    concepts = sdmx.read_sdmx(ROOT / "codelists" / "MA.HCP.CS_LMIS-1.0.xml").concept_scheme
    components: dict[str, str] = {}
    codes: dict[str, dict[str, str]] = {}
    for component in (*dsd.dimensions.components, *dsd.attributes.components):
        concept = concepts[component.concept_identity.parent.id][component.concept_identity.id]
        components[component.id] = pick(concept.name)
        representation = component.local_representation
        enumerated = representation.enumerated if representation is not None else None
        if enumerated is not None:
            path = ROOT / "codelists" / f"MA.HCP.{enumerated.id}-1.0.xml"
            codelist = sdmx.read_sdmx(path).codelist[enumerated.id]
            codes[component.id] = {code.id: pick(code.name) for code in codelist}
    return pick(flow.name), components, codes


def labelled_rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:500]
    return list(csv.reader(io.StringIO(response.text)))


@pytest.mark.parametrize(
    ("language", "params", "headers"),
    [
        ("en", {}, {}),
        ("en", {}, {"Accept-Language": "en-GB"}),
        ("fr", {}, {"Accept-Language": "fr"}),
        ("fr", {}, {"Accept-Language": "de, fr-FR;q=0.9, en;q=0.5"}),
        ("fr", {}, {"Accept-Language": "en;q=0.2, fr"}),
        ("fr", {"lang": "fr"}, {"Accept-Language": "en"}),
        ("en", {}, {"Accept-Language": "de"}),  # no German: English
    ],
)
def test_labelled_csv_speaks_the_language_asked(
    store: Store, language: str, params: dict[str, str], headers: dict[str, str]
) -> None:
    flow_name, components, codes = content_names(language)
    r = store.data("MA.HCP,DF_LFS_KEY,1.0", {"format": "csvfilewithlabels", **params}, **headers)
    header, *rows = labelled_rows(r)
    assert r.headers["content-language"] == language
    ids = [h.split(": ")[0] for h in header]
    assert header == [i if i in ("DATAFLOW", "OBS_VALUE") else f"{i}: {components[i]}" for i in ids]
    assert len(rows) == 7
    for row in rows:
        assert row[0] == f"MA.HCP:DF_LFS_KEY(1.0): {flow_name}"
        for column, cell in zip(ids, row, strict=True):
            if column in codes and cell:
                code = cell.split(": ")[0]
                assert cell == f"{code}: {codes[column][code]}", column


def test_json_names_in_the_language_asked(store: Store) -> None:
    for language in ("en", "fr"):
        flow_name, components, codes = content_names(language)
        r = store.data(
            "MA.HCP,DF_LFS_KEY,1.0", {"format": "jsondata"}, **{"Accept-Language": language}
        )
        doc = r.json()
        assert r.headers["content-language"] == language
        assert doc["meta"]["contentLanguages"] == [language]
        structure = doc["data"]["structure"]
        assert (structure["name"], structure["names"]) == (flow_name, {language: flow_name})
        parts = [*structure["dimensions"].values(), *structure["attributes"].values()]
        described = [c for level in parts for c in level]
        assert len(described) > 14  # 14 dimensions and the attributes used
        for component in described:
            name = components[component["id"]]
            assert (component["name"], component["names"]) == (name, {language: name})
            for value in component["values"]:
                if component["id"] in codes:
                    assert value["name"] == codes[component["id"]][value["id"]]


def test_names_fall_back_to_english_then_to_any_language(store: Store) -> None:
    """TEST:DF_NAMES is named in French only; TEST:DSD_LFS and its codelists in English only."""
    store.post(csv_body("DF_NAMES", [grammar_row("AT", 0)]), CSV_TYPE)
    for headers in ({}, {"Accept-Language": "de"}, {"Accept-Language": "fr"}):
        r = store.data("TEST,DF_NAMES,1.0", {"format": "csvfilewithlabels"}, **headers)
        header, row = labelled_rows(r)
        assert r.headers["content-language"] == "fr", headers
        assert row[0] == "TEST:DF_NAMES(1.0): Noms des tests en français", headers
        assert header[1:3] == ["FREQ: Frequency", "REF_AREA: Reference area"], headers
        assert row[1:3] == ["A: Annual", "MAR: Area MAR"], headers
    doc = store.data("TEST,DF_NAMES,1.0", {"format": "jsondata"}).json()
    assert doc["data"]["structure"]["name"] == "Noms des tests en français"
    assert doc["data"]["structure"]["dimensions"]["series"][0]["name"] == "Frequency"


# ── 6. cross-sectional output (dimensionAtObservation = a dimension other than time) ──────────

XML_FORMATS = ("genericdata", "structurespecificdata")
TIME_SERIES_FORMATS = ("generictimeseriesdata", "structurespecifictimeseriesdata")
CROSS_FORMATS = (*XML_FORMATS, "jsondata", "csvdata")


def busiest_dimension(rows: Sequence[Row], dsd: Any) -> str:
    """The series dimension with the most distinct values in ``rows``."""
    dims = dimension_ids(dsd)
    values: dict[str, set[str]] = {d: set() for d in dims}
    for key, *_ in rows:
        for dimension, code in zip(dims, key.split("."), strict=True):
            values[dimension].add(code)
    return max(dims, key=lambda d: len(values[d]))


def check_cross_sectional_shape(fmt: str, response: httpx.Response, dsd: Any, x: str) -> None:
    """The answer is cross-sectional: series keyed by every dimension but ``x``, time included,
    observations by ``x``."""
    if fmt in XML_FORMATS:
        assert f'dimensionAtObservation="{x}"'.encode() in response.content
        msg = read_xml(response.content, dsd)
        (dataset,) = msg.data
        assert len(dataset.series) > 0
        for series_key, observations in dataset.series.items():
            assert TIME in series_key.values and x not in series_key.values
            assert len({o.dimension.values[x].value for o in observations}) == len(observations)
    if fmt == "jsondata":
        dimensions = json.loads(response.content)["data"]["structure"]["dimensions"]
        assert [d["id"] for d in dimensions["observation"]] == [x]
        assert TIME in [d["id"] for d in dimensions["series"]]


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("flow_id", list(flows()))
def test_cross_sections_hold_what_time_series_hold(store: Store, flow_id: str, fmt: str) -> None:
    flow = flows()[flow_id]
    want = expected_rows(store.fed[flow_id][0], flow_id)
    x = busiest_dimension(want, flow.dsd)
    r = store.data(flow.ref, {"format": fmt, "dimensionAtObservation": x})
    if fmt in TIME_SERIES_FORMATS:
        status, code, text = sdmx_error(r)
        assert (status, code) == (406, "406") and f"dimensionAtObservation={x}" in text
        return
    time_series = answer_rows(fmt, store.data(flow.ref, {"format": fmt}), flow.dsd)
    got = answer_rows(fmt, r, flow.dsd)
    assert got == time_series == (numeric(want) if fmt == "jsondata" else want), x
    check_cross_sectional_shape(fmt, r, flow.dsd, x)


def test_cross_sectional_attributes_sit_where_the_dsd_attaches_them(store: Store) -> None:
    """On the cross-sections when the DSD attaches them to other dimensions only, else on the
    observations: ECB's COLL_METHOD depends on EXR_TYPE and EXR_VAR, TITLE on CURRENCY too."""
    flow = flows()["DF_ECB_EXR_NG"]
    r = store.data(
        flow.ref, {"format": "structurespecificdata", "dimensionAtObservation": "CURRENCY"}
    )
    (dataset,) = read_xml(r.content, flow.dsd).data
    currencies = set()
    for series_key, observations in dataset.series.items():
        assert "COLL_METHOD" in series_key.attrib and "TITLE" not in series_key.attrib
        for obs in observations:
            assert "TITLE" in obs.attached_attribute
            currencies.add(obs.dimension.values["CURRENCY"].value)
    assert len(currencies) > 1


@pytest.mark.parametrize(
    ("key", "provider", "params", "spec"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_cross_sections_follow_the_rest_grammar(
    store: Store, key: str, provider: str, params: dict[str, str], spec: dict[str, str]
) -> None:
    """Key, provider, startPeriod/endPeriod and first/last N observations (per time series,
    before the regrouping) select the same observations whatever the dimension at observation."""
    want = grammar_rows(spec)
    path = f"TEST,DF_GRAMMAR,1.0/{key}/{provider}"
    for fmt in CROSS_FORMATS:
        r = store.data(path, {**params, "format": fmt, "dimensionAtObservation": "REF_AREA"})
        assert answer_rows(fmt, r, lfs_dsd()) == (numeric(want) if fmt == "jsondata" else want)
        check_cross_sectional_shape(fmt, r, lfs_dsd(), "REF_AREA")


def test_cross_sections_detail_levels(store: Store) -> None:
    dsd = lfs_dsd()
    path = "TEST,DF_GRAMMAR,1.0/Q....."
    x = {"dimensionAtObservation": "REF_AREA"}
    rows = grammar_rows({"QT": "*", "QF": "*", "QX": "*"})

    def sections(rows: Sequence[Row]) -> set[tuple[tuple[str, str], ...]]:
        """The cross-section keys of rows: every dimension but REF_AREA, with the period."""
        out = set()
        for key, period, *_ in rows:
            values = dict(zip(dimension_ids(dsd), key.split("."), strict=True))
            del values["REF_AREA"]
            out.add(tuple(sorted({**values, TIME: period}.items())))
        return out

    for detail in ("serieskeysonly", "nodata"):
        for params, kept in (
            ({}, rows),
            ({"startPeriod": "2021"}, [r for r in rows if "2021" in r[1]]),
        ):
            for fmt in XML_FORMATS:
                r = store.data(path, {**x, **params, "detail": detail, "format": fmt})
                (dataset,) = read_xml(r.content, dsd).data
                assert len(dataset.obs) == 0, (detail, fmt)
                got = {
                    tuple(sorted((k, str(v.value)) for k, v in s.values.items()))
                    for s in dataset.series
                }
                assert got == sections(kept), (detail, fmt, params)
                # UNIT_MEASURE and UNIT_MULT depend on REF_AREA: never on a cross-section.
                assert all(not s.attrib for s in dataset.series)
            doc = store.data(path, {**x, **params, "detail": detail, "format": "jsondata"}).json()
            (dataset_json,) = doc["data"]["dataSets"]
            assert len(dataset_json["series"]) == len(sections(kept))
            assert all("observations" not in s for s in dataset_json["series"].values())
    for fmt in CROSS_FORMATS:
        got = answer_rows(fmt, store.data(path, {**x, "detail": "dataonly", "format": fmt}), dsd)
        want = [(k, p, v, ()) for k, p, v, _ in rows]
        assert got == (numeric(want) if fmt == "jsondata" else want), fmt
    # nodata keeps the attributes that do not depend on the dimension at observation.
    flow = flows()["DF_LFS_KEY"]
    r = store.data(flow.ref, {"dimensionAtObservation": "SEX", "detail": "nodata"})
    (dataset,) = read_xml(r.content, flow.dsd).data
    assert len(dataset.series) > 0
    for series_key in dataset.series:
        assert {"UNIT_MEASURE", "UNIT_MULT"} <= set(series_key.attrib)
        assert "NOTE_SOURCE" not in series_key.attrib  # depends on every dimension


def test_cross_sections_after_an_update(store: Store) -> None:
    dsd = lfs_dsd()
    path = "TEST,DF_XS_UPD,1.0"
    store.post(
        csv_body("DF_XS_UPD", [grammar_row(a, i) for a in ("QF", "QX") for i in range(3)]), CSV_TYPE
    )
    between = datetime.now(UTC)
    key, period, _, attrs = grammar_row("QX", 1)
    step2 = [(key, period, "999.90", attrs), grammar_row("QF", 3), grammar_row("QX", 3)]
    store.post(csv_body("DF_XS_UPD", step2), CSV_TYPE, action="Append")
    after = {"updatedAfter": between.isoformat(), "dimensionAtObservation": "REF_AREA"}
    for fmt in CROSS_FORMATS:
        r = store.data(path, {**after, "format": fmt})
        assert answer_rows(fmt, r, dsd) == (
            numeric(ordered(step2)) if fmt == "jsondata" else ordered(step2)
        ), fmt
        narrowed = store.data(
            f"{path}/.FRA....", {**after, "startPeriod": "2020-Q3", "format": fmt}
        )
        want = [row for row in step2 if row[0].startswith("Q.FRA") and row[1] > "2020-Q2"]
        assert answer_rows(fmt, narrowed, dsd) == (numeric(want) if fmt == "jsondata" else want), (
            fmt
        )
    later = {"updatedAfter": datetime.now(UTC).isoformat(), "dimensionAtObservation": "REF_AREA"}
    assert sdmx_error(store.data(path, later))[:2] == (404, "100")


def test_cross_sections_read_a_few_families_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With reads of 3 series at most, the families of the synthetic data are read in many
    batches (a family is never split): the same observations come out."""
    from registry import data_query

    flow = flows()["DF_LFS"]
    want = answer_rows("genericdata", store.data(flow.ref, {"format": "genericdata"}), flow.dsd)
    monkeypatch.setattr(data_query, "_FAMILY_BATCH", 3)
    for x in ("REF_AREA", "SEX"):
        r = store.data(flow.ref, {"format": "genericdata", "dimensionAtObservation": x})
        assert answer_rows("genericdata", r, flow.dsd) == want, x
        check_cross_sectional_shape("genericdata", r, flow.dsd, x)
