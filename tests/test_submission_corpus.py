"""Real data files from public services, submitted with their structures, stored as sdmx1 reads them.

The ECB exchange-rate messages of the corpus (tests/data/corpus/ECB_EXR: the same observations as
generic and structure-specific data, flat, time-series and cross-sectional, with and without
groups) are loaded with their structure message plus a dataflow for their DSD (the corpus ships
none), submitted, and read back from the store: series keys, periods, values and the attributes
of every level must equal what sdmx1 reads from the same file, on SQLite and PostgreSQL.
``sg-xs.xml`` repeats four observations with other values (its third section says EXR_VAR E
where its structure-specific twin says A): it must be refused with exactly those duplicates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sdmx
import sqlalchemy
from sdmx.model import v21

from registry import maintenance
from registry.io import sdmxml
from registry.io.sdmxml_data import sniff_structure
from registry.storage import data as stored_data
from registry.storage.db import session_scope
from registry.submission import SubmissionOptions, Upload, report_json, submit

DATA = Path(__file__).parent / "data"
FOLDER = DATA / "corpus" / "ECB_EXR"
#: {ng,sg}-*.xml with their {ng,sg}-structure-full.xml (the rg-* files name a DSD their
#: structure file does not hold).
FILES = sorted(
    p.name
    for p in FOLDER.glob("[ns]g-*.xml")
    if "structure" not in p.name and p.name != "sg-xs.xml"
)


def _load(engine: sqlalchemy.engine.Engine, name: str) -> tuple[Any, str]:
    """Load the structure message of ``name`` plus a dataflow for its DSD; return both."""
    structure = FOLDER / f"{name[:2]}-structure-full.xml"
    artefacts = sdmxml.read_structures(structure.read_bytes()).artefacts
    (ref,) = sniff_structure(FOLDER / name)
    dsd = next(
        a for a in artefacts if isinstance(a, v21.DataStructureDefinition) and a.id == ref.id
    )
    flow = v21.DataflowDefinition(
        id=f"DF_{dsd.id}", maintainer=dsd.maintainer, version="1.0", structure=dsd
    )
    flow.name = {"en": "Corpus data"}
    with session_scope(engine) as session:
        maintenance.submit_structures(session, [*artefacts, flow], actor="test")
    urn = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:DF_{dsd.id}(1.0)"
    return sdmx.read_sdmx(structure).structure[dsd.id], urn


def _sdmx1_rows(path: Path, dsd: Any) -> list[tuple[Any, ...]]:
    msg = sdmx.read_sdmx(path, structure=dsd)
    dims = [d.id for d in dsd.dimensions.components if d.id != "TIME_PERIOD"]
    rows = []
    for ds in msg.data:
        for obs in ds.obs:
            key = {k: str(v.value) for k, v in obs.key.values.items()}
            attrs = {k: str(v.value) for k, v in ds.attrib.items()}
            for group_key in ds.group:  # flat messages have groups but no series
                if all(key.get(k) == str(v.value) for k, v in group_key.values.items()):
                    attrs.update({k: str(v.value) for k, v in group_key.attrib.items()})
            if obs.series_key is not None:
                attrs.update({k: str(v.value) for k, v in obs.series_key.attrib.items()})
            attrs.update({k: str(v.value) for k, v in obs.attached_attribute.items()})
            value = None if obs.value is None else str(obs.value)
            series_key = ".".join(key[d] for d in dims)
            rows.append((series_key, key["TIME_PERIOD"], value, tuple(sorted(attrs.items()))))
    return sorted(rows)


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_is_stored_as_sdmx1_reads_it(
    engine: sqlalchemy.engine.Engine, name: str
) -> None:
    dsd, flow = _load(engine, name)
    path = FOLDER / name
    record = submit(engine, Upload(path, name), SubmissionOptions(owner="test"))
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.dataflow == flow
    with session_scope(engine) as session:
        stored = sorted(
            (v.series_key, v.time_period, v.value, tuple(sorted(v.attributes.items())))
            for v in stored_data.observation_views(session, flow)
        )
    expected = _sdmx1_rows(path, dsd)
    assert len(stored) == record.counts["observations"] == len(expected) > 0
    assert stored == expected


def test_conflicting_repeats_in_a_real_file_are_refused(engine: sqlalchemy.engine.Engine) -> None:
    _load(engine, "sg-xs.xml")
    record = submit(engine, Upload(FOLDER / "sg-xs.xml"), SubmissionOptions(owner="test"))
    report = report_json(record)
    assert record.status == "rejected"
    assert report["counts_by_code"] == {"DUPLICATE_OBSERVATION": 4}
    found = {(f["series_key"], f["period"], f["line"]) for f in report["findings"]}
    assert ("M.CHF.EUR.SP00.E", "2010-08", 182) in found  # the <Obs> line
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT COUNT(*) FROM observation")).scalar_one() == 0
