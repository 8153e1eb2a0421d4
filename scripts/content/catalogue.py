"""The README's indicator catalogue, generated from the shipped content files.

    python -m scripts.content.catalogue           # rewrite README.md between the markers
    python -m scripts.content.catalogue --check   # exit 1 if README.md differs from a fresh table

One row per code of ``codelists/MA.HCP.CL_MEASURE_MA-1.0.xml`` (code, English and French names),
with the dataflows whose Allowed constraint (``dataflows/MA.HCP.CC_*``) admits it, and the unit,
periodicity and source institutions of its metadata report (``metadata/``). Everything is read from
the committed files, never copied by hand, and ``tests/test_metadata.py`` checks the README.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python scripts/content/catalogue.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "scripts.content"

from lxml import etree

from registry.io.sdmxml_metadata import read_generic_metadata

ROOT = Path(__file__).resolve().parents[2]
START = "<!-- catalogue:start -->"
END = "<!-- catalogue:end -->"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MULT = {"0": "", "3": " ×10³", "6": " ×10⁶", "9": " ×10⁹"}


def _codes(path: Path) -> dict[str, dict[str, str]]:
    """Code id → {language: name} of a codelist file."""
    root = etree.parse(str(path)).getroot()
    return {
        code.get("id", ""): {n.get(_LANG, ""): n.text or "" for n in code.iterfind("{*}Name")}
        for code in root.iter("{*}Code")
    }


def _flows(root: Path) -> dict[str, list[str]]:
    """Indicator → the dataflows whose Allowed constraint admits it (MEASURE values)."""
    out: dict[str, list[str]] = {}
    for path in sorted((root / "dataflows").glob("MA.HCP.CC_*.xml")):
        doc = etree.parse(str(path)).getroot()
        flow = doc.find(".//{*}ConstraintAttachment/{*}Dataflow/Ref")
        for kv in doc.iterfind(".//{*}CubeRegion/{*}KeyValue[@id='MEASURE']"):
            for value in kv.iterfind("{*}Value"):
                out.setdefault(value.text or "", []).append(
                    flow.get("id", "") if flow is not None else ""
                )
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(root: Path = ROOT) -> str:
    """The Markdown table, one row per indicator in codelist order."""
    names = _codes(root / "codelists/MA.HCP.CL_MEASURE_MA-1.0.xml")
    freq = _codes(root / "codelists/MA.HCP.CL_FREQ_MA-1.0.xml")
    flows = _flows(root)
    header = ("Indicator", "Name (en)", "Nom (fr)", "Dataflows", "Unit", "Periodicity")
    rows = [
        "| " + " | ".join((*header, "Source institutions")) + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, name in names.items():
        path = root / "metadata" / f"MA.HCP.MDF_LMIS_IND.{code}.xml"
        (report,) = read_generic_metadata(path).sets[0].reports
        unit = "".join(report.values_of("UNIT"))
        mult = _MULT.get("".join(report.values_of("UNIT_MULT")), "")
        period = freq["".join(report.values_of("PERIODICITY"))].get("en", "")
        cells = (
            f"`{code}`",
            name.get("en", ""),
            name.get("fr", ""),
            ", ".join(sorted(flows.get(code, []))),
            unit + mult,
            period,
            ", ".join(report.values_of("SOURCE_INSTITUTION")),
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def rewrite(readme: str, body: str) -> str:
    """``readme`` with ``body`` between the catalogue markers (ValueError if they are missing)."""
    before, start, rest = readme.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md needs the markers {START} and {END}")
    return f"{before}{START}\n{body}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    readme_path = args.root / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    fresh = rewrite(readme, table(args.root))
    if args.check:
        if fresh != readme:
            print("README.md: the indicator catalogue differs from a fresh generation")
            return 1
        return 0
    if fresh != readme:
        readme_path.write_text(fresh, encoding="utf-8")
    print(f"indicator catalogue written to {readme_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
