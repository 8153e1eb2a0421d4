"""Example data submissions in ``examples/`` (invented figures, NOT official statistics).

    python -m scripts.content.examples            # (re)write examples/
    python -m scripts.content.examples --check    # exit 1 if the committed files differ

For each dataflow, one SDMX-CSV 1.0 file and one SDMX-ML 2.1 structure-specific file holding the
same observations, from a provider that has a provision agreement for the flow:
``examples/<DATAFLOW>.<PROVIDER>.csv|xml``. ``examples/invalid/<REPORT_CODE>.csv|xml`` each hold
one deliberate error that must raise that validation-report code.

Every observation carries the COMMENT attribute ``EXAMPLE_LABEL``; the XML files also say so in
an XML comment and in the header (Source, Test=true; no header Name, which sdmx1 cannot
read). SDMX-CSV has no comment syntax, so
the COMMENT column is the label there.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "scripts.content"

from lxml import etree

from scripts.content.dsds import ATTRIBUTES, DW_DIMENSIONS, MIG_DIMENSIONS
from scripts.content.indicators import BY_ID

ROOT = Path(__file__).resolve().parents[2]
AGENCY = "MA.HCP"
EXAMPLE_LABEL = "EXAMPLE ONLY: invented figure - not an official statistic"
HEADER_NAME = (
    ("en", "EXAMPLE ONLY - invented figures, not official statistics"),
    ("fr", "EXEMPLE SEULEMENT - chiffres fictifs, pas des statistiques officielles"),
)

NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    "ss": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DIMENSIONS = {"DSD_LMIS_DW": DW_DIMENSIONS, "DSD_LMIS_MIG": MIG_DIMENSIONS}
FLOW_DSD = {
    "DF_LFS_KEY": "DSD_LMIS_DW",
    "DF_DW_IND": "DSD_LMIS_DW",
    "DF_SDG8": "DSD_LMIS_DW",
    "DF_LM_ADMIN": "DSD_LMIS_DW",
    "DF_OSH": "DSD_LMIS_DW",
    "DF_MIG_STOCK": "DSD_LMIS_MIG",
    "DF_MIG_FLOW": "DSD_LMIS_MIG",
    "DF_REMIT": "DSD_LMIS_MIG",
}

#: Dimension values used when an example does not set them (totals, DOMAIN §4.1–4.2).
DEFAULTS = {
    "REF_AREA": "MAR",
    "SEX": "SEX_T",
    "AGE": "AGE_YTHADULT_YGE15",
    "GEO": "GEO_COV_NAT",
    "EDU": "EDU_ISCED11_TOTAL",
    "ECO": "ECO_ISIC4_TOTAL",
    "OCU": "OCU_ISCO08_TOTAL",
    "STE": "STE_ICSE93_TOTAL",
    "INS": "INS_SECTOR_TOTAL",
    "DSB": "DSB_STATUS_TOTAL",
    "MIG": "MIG_STATUS_TOTAL",
    "MIGR_BASIS": "_Z",
    "COUNTERPART_AREA": "_T",
    "MIGR_REASON": "_T",
}

ATTRIBUTE_IDS = tuple(a[0] for a in ATTRIBUTES)
#: Attributes written on the Series element (attached to dimensions without TIME_PERIOD).
SERIES_ATTRIBUTES = tuple(
    a for a, attachment, _ in ATTRIBUTES if attachment == "series" or (
        isinstance(attachment, tuple) and "TIME_PERIOD" not in attachment
    )
)  # fmt: skip
DATASET_ATTRIBUTES = tuple(a for a, attachment, _ in ATTRIBUTES if attachment == "dataset")


def obs(measure: str, freq: str, period: str, value: str, *, source: str, status: str = "A",
        decimals: str | None = None, **values: str) -> dict[str, str]:  # fmt: skip
    """One observation row: dimension defaults, the indicator's unit, the example label."""
    ind = BY_ID[measure]
    row = {**DEFAULTS, "MEASURE": measure, "FREQ": freq, "TIME_PERIOD": period}
    row.update({k: v for k, v in values.items() if k in DEFAULTS})
    row["OBS_VALUE"] = value
    row.update(
        OBS_STATUS=status,
        UNIT_MEASURE=ind.unit,
        UNIT_MULT=ind.mult,
        SOURCE=source,
        COMMENT=EXAMPLE_LABEL,
    )
    if decimals is not None:
        row["DECIMALS"] = decimals
    row.update({k: v for k, v in values.items() if k not in DEFAULTS})
    return row


@dataclass
class Example:
    """One submission: a dataflow, the provider that sends it, its observation rows."""

    dataflow: str
    provider: str
    rows: list[dict[str, str]]
    #: Dimension columns left out of the CSV (for the MISSING_DIMENSION case).
    drop_columns: tuple[str, ...] = ()
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def dsd(self) -> str:
        return FLOW_DSD[self.dataflow]


def valid_examples() -> list[Example]:
    ene = {"source": "ENE"}
    return [
        Example("DF_LFS_KEY", "HCP", [
            obs("UNE_DEAP_RT", "Q", "2024-Q1", "12.0", SEX="SEX_T", decimals="1", **ene),
            obs("UNE_DEAP_RT", "Q", "2024-Q1", "10.5", SEX="SEX_M", decimals="1", **ene),
            obs("UNE_DEAP_RT", "Q", "2024-Q1", "17.0", SEX="SEX_F", decimals="1", **ene),
            obs("UNE_DEAP_RT", "Q", "2024-Q2", "12.4", SEX="SEX_T", decimals="1", **ene),
            obs("UNE_DEAP_RT", "Q", "2024-Q2", "10.9", SEX="SEX_M", decimals="1", **ene),
            obs("UNE_DEAP_RT", "Q", "2024-Q2", "17.6", SEX="SEX_F", decimals="1", **ene),
            obs("EAP_TEAP_NB", "A", "2023", "12100", decimals="0", **ene),
        ]),
        Example("DF_DW_IND", "HCP", [
            obs("EMP_NIFL_RT", "A", "2023", "70.0", ECO="ECO_SECTOR_TOTAL", decimals="1", **ene),
            obs("EMP_NIFL_RT", "A", "2023", "90.0", ECO="ECO_SECTOR_AGR", decimals="1", **ene),
            obs("EMP_NIFL_RT", "A", "2023", "60.0", ECO="ECO_SECTOR_NAG", decimals="1", **ene),
            obs("HOW_TEMP_NB", "A", "2023", "44.0", decimals="1", **ene),
            obs("MA_VULN_RT", "A", "2023", "40.0", GEO="GEO_COV_RUR", decimals="1", **ene),
        ]),
        Example("DF_SDG8", "HCP", [
            obs("EIP_NEET_RT", "A", "2023", "25.0", AGE="AGE_YTHADULT_Y15-24", decimals="1",
                **ene),
            obs("EIP_NEET_RT", "A", "2023", "15.0", AGE="AGE_YTHADULT_Y15-24", SEX="SEX_M",
                decimals="1", **ene),
            obs("EIP_NEET_RT", "A", "2023", "35.0", AGE="AGE_YTHADULT_Y15-24", SEX="SEX_F",
                decimals="1", **ene),
            obs("CLD_XCHL_RT", "A", "2023", "1.5", AGE="AGE_MA_Y07-17", decimals="1",
                NOTE_CLASSIF="HCP child-labour band 7-17 years, not the SDG band 5-17", **ene),
        ]),
        Example("DF_LM_ADMIN", "ANAPEC", [
            obs("MA_JSK_REG_NB", "M", "2024-M01", "100000", source="ANAPEC_REG", decimals="0"),
            obs("MA_JSK_REG_NB", "M", "2024-M02", "101000", source="ANAPEC_REG", decimals="0"),
            obs("MA_JSK_REG_NB", "M", "2024-M03", "102000", source="ANAPEC_REG", status="P",
                decimals="0"),
            obs("MA_VAC_REG_NB", "M", "2024-M01", "5000", REF_AREA="MA-06",
                source="ANAPEC_REG", decimals="0"),
        ]),
        Example("DF_OSH", "MEMP", [
            obs("INJ_FATL_RT", "A", "2023", "10.0", source="MEMP_INSP", decimals="1"),
            obs("INJ_FATL_RT", "A", "2023", "9.5", MIG="CCT_CIT_CITIZEN", source="MEMP_INSP",
                decimals="1"),
            obs("INJ_FATL_RT", "A", "2023", "20.0", MIG="CCT_CIT_NONCIT", source="MEMP_INSP",
                status="U", decimals="1"),
            obs("LAI_INDE_RT", "A", "2023", "0.5", AGE="_Z", source="MEMP_INSP", decimals="1"),
        ]),
        Example("DF_MIG_STOCK", "MAE", [
            obs("MNA_TPOP_NB", "A", "2023", value, AGE="AGE_AGGREGATE_TOTAL", MIGR_BASIS="CRS",
                COUNTERPART_AREA=country, source="MAE_CONS", decimals="0")
            for country, value in (("_T", "5000000"), ("FRA", "1500000"), ("ESP", "900000"),
                                   ("ITA", "500000"), ("BEL", "300000"))
        ]),
        Example("DF_MIG_FLOW", "MEMP", [
            obs("MA_WKP_APR_NB", "A", "2023", value, MIG="CCT_CIT_NONCIT", MIGR_BASIS="CCT",
                COUNTERPART_AREA=country, MIGR_REASON="WORK", source="MEMP_CTR", decimals="0")
            for country, value in (("_T", "10000"), ("FRA", "2000"), ("ESP", "1200"),
                                   ("SEN", "900"), ("CHN", "700"))
        ]),
        Example("DF_REMIT", "OC", [
            obs("MA_RMT_INF_VAL", freq, period, value, SEX="_Z", AGE="_Z", EDU="_Z", OCU="_Z",
                MIGR_BASIS="CRS", COUNTERPART_AREA=country, MIGR_REASON="_Z", source="OC_BOP",
                status=status, decimals="1")
            for freq, period, country, value, status in (
                ("M", "2024-M01", "_T", "9000.0", "P"),
                ("M", "2024-M02", "_T", "8500.0", "P"),
                ("M", "2024-M03", "_T", "9500.0", "P"),
                ("A", "2023", "FRA", "35000.0", "A"),
                ("A", "2023", "ESP", "20000.0", "A"),
            )
        ]),
    ]  # fmt: skip


def invalid_examples() -> dict[str, Example]:
    """Report code → a submission with exactly that one error."""

    def lfs(*rows):
        return Example("DF_LFS_KEY", "HCP", list(rows))

    def une(period="2024-Q1", value="12.0", freq="Q", **kw):
        kw.setdefault("SEX", "SEX_T")
        return obs("UNE_DEAP_RT", freq, period, value, source="ENE", decimals="1", **kw)

    out = {
        # SDMX code F instead of the national (ILO) code SEX_F.
        "CODE_NOT_IN_CODELIST": lfs(une(), une(value="17.0", SEX="F")),
        # The GEO column is absent.
        "MISSING_DIMENSION": Example(
            "DF_LFS_KEY", "HCP", [une(), une(value="10.5", SEX="SEX_M")], drop_columns=("GEO",)
        ),
        # There is no fifth quarter.
        "BAD_TIME_PERIOD": lfs(une(), une(period="2024-Q5", value="12.4")),
        # Annual frequency with a quarterly period.
        "FREQ_PERIOD_MISMATCH": lfs(une(), une(freq="A", period="2024-Q2", value="12.4")),
        # Decimal comma.
        "NON_NUMERIC_VALUE": lfs(une(), une(period="2024-Q2", value="12,4")),
        # SOURCE (mandatory, no default) left empty on the second row.
        "MISSING_MANDATORY_ATTRIBUTE": lfs(
            une(), une(period="2024-Q2", value="12.4") | {"SOURCE": ""}
        ),
        # The same key and period twice.
        "DUPLICATE_OBSERVATION": lfs(une(), une(value="12.1")),
        # Office des Changes has no provision agreement for DF_LFS_KEY.
        "NOT_AUTHORISED": Example("DF_LFS_KEY", "OC", [une()]),
    }
    return out


# --- Writers -------------------------------------------------------------------------------------


def csv_columns(ex: Example) -> list[str]:
    dims = [d for d in DIMENSIONS[ex.dsd] if d not in ex.drop_columns]
    return ["DATAFLOW", *dims, "TIME_PERIOD", "OBS_VALUE", *ATTRIBUTE_IDS]


def write_csv(ex: Example) -> bytes:
    """SDMX-CSV 1.0: DATAFLOW, every dimension, OBS_VALUE, every attribute (RFC 4180)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    cols = csv_columns(ex)
    w.writerow(cols)
    flow = f"{AGENCY}:{ex.dataflow}(1.0)"
    for row in ex.rows:
        w.writerow([flow if c == "DATAFLOW" else row.get(c, "") for c in cols])
    return buf.getvalue().encode("utf-8")


def write_xml(ex: Example) -> bytes:
    """SDMX-ML 2.1 StructureSpecificData, header pointing to the dataflow and the provider."""

    def m(tag):
        return f"{{{NS['message']}}}{tag}"

    struct_ns = (
        f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={AGENCY}:{ex.dataflow}(1.0)"
        ":ObsLevelDim:TIME_PERIOD"
    )
    nsmap = {**NS, "ns1": struct_ns}
    root = etree.Element(m("StructureSpecificData"), nsmap=nsmap)
    root.append(
        etree.Comment(
            f" {HEADER_NAME[0][1]}. Example submission of {ex.dataflow} by provider "
            f"{ex.provider}; see examples/README.md. "
        )
    )
    header = etree.SubElement(root, m("Header"))
    etree.SubElement(header, m("ID")).text = f"EXAMPLE_{ex.dataflow}_{ex.provider}"
    etree.SubElement(header, m("Test")).text = "true"
    etree.SubElement(header, m("Prepared")).text = "2025-01-01T00:00:00"
    etree.SubElement(header, m("Sender"), id=ex.provider)
    structure = etree.SubElement(
        header,
        m("Structure"),
        structureID=ex.dataflow,
        namespace=struct_ns,
        dimensionAtObservation="TIME_PERIOD",
    )
    usage = etree.SubElement(structure, f"{{{NS['common']}}}StructureUsage")
    etree.SubElement(
        usage, "Ref", agencyID=AGENCY, id=ex.dataflow, version="1.0", attrib={"class": "Dataflow"}
    )
    provider = etree.SubElement(header, m("DataProvider"))
    etree.SubElement(
        provider,
        "Ref",
        agencyID=AGENCY,
        maintainableParentID="DATA_PROVIDERS",
        maintainableParentVersion="1.0",
        id=ex.provider,
    )
    for lang, name in HEADER_NAME:
        etree.SubElement(header, m("Source"), {XML_LANG: lang}).text = name

    dataset = etree.SubElement(
        root,
        m("DataSet"),
        {
            f"{{{NS['ss']}}}structureRef": ex.dataflow,
            f"{{{NS['ss']}}}dataScope": "Dataflow",
            f"{{{NS['xsi']}}}type": "ns1:DataSetType",
        },
    )
    dims = DIMENSIONS[ex.dsd]
    series: dict[tuple, etree._Element] = {}
    for row in ex.rows:
        key = tuple(row[d] for d in dims)
        if key not in series:
            attrs = {d: row[d] for d in dims}
            attrs.update({a: row[a] for a in SERIES_ATTRIBUTES if row.get(a)})
            series[key] = etree.SubElement(dataset, "Series", attrs)
        obs_attrs = {"TIME_PERIOD": row["TIME_PERIOD"], "OBS_VALUE": row["OBS_VALUE"]}
        obs_attrs.update(
            {
                a: row[a]
                for a in ATTRIBUTE_IDS
                if row.get(a) and a not in SERIES_ATTRIBUTES and a not in DATASET_ATTRIBUTES
            }
        )
        etree.SubElement(series[key], "Obs", obs_attrs)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def render() -> dict[str, bytes]:
    """Path relative to the repository → content, for every generated example file."""
    out: dict[str, bytes] = {}
    for ex in valid_examples():
        stem = f"examples/{ex.dataflow}.{ex.provider}"
        out[f"{stem}.csv"] = write_csv(ex)
        out[f"{stem}.xml"] = write_xml(ex)
    for code, ex in invalid_examples().items():
        if code == "NOT_AUTHORISED":
            out[f"examples/invalid/{code}.xml"] = write_xml(ex)
        else:
            out[f"examples/invalid/{code}.csv"] = write_csv(ex)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the example submissions")
    parser.add_argument("--out", type=Path, default=ROOT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    files = render()
    status = 0
    for rel, content in files.items():
        path = args.out / rel
        if args.check:
            if not path.exists() or path.read_bytes() != content:
                print(f"differs or missing: {rel}")
                status = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if not args.check:
        print(f"{len(files)} files under {args.out / 'examples'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
