"""The finding catalogue and the report builder: messages in both languages, caps, counts."""

from __future__ import annotations

import string

import pytest

from registry.io.data_events import Location
from registry.validation.report import CODES, LANGUAGES, Finding, ReportBuilder


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_matching_english_and_french_templates(code: str) -> None:
    c = CODES[code]
    assert code == code.upper() and c.severity in {"error", "warning"}
    assert c.en and c.fr and c.en != c.fr
    assert _fields(c.en) == _fields(c.fr), "both languages must use the same parameters"
    assert bool(c.hint_en) == bool(c.hint_fr)
    assert _fields(c.hint_en) == _fields(c.hint_fr)


def test_finding_renders_in_both_languages_with_location() -> None:
    f = Finding(
        "CODE_NOT_IN_CODELIST",
        Location(row=7, column="SEX"),
        component="SEX",
        value="SEX_X",
        series_key="A.MAR.SEX_X",
        period="2023",
        params={"codelist": "MA.HCP:CL_SEX_MA(1.0)", "suggestions": "SEX_M, SEX_F, SEX_T"},
    )
    en, fr = f.as_dict("en"), f.as_dict("fr")
    assert en["message"] == "'SEX_X' is not a code of MA.HCP:CL_SEX_MA(1.0) (used by SEX)."
    assert fr["message"].startswith("'SEX_X' n'est pas un code de MA.HCP:CL_SEX_MA(1.0)")
    assert en["hint"] == "Closest valid codes: SEX_M, SEX_F, SEX_T."
    assert (en["row"], en["column"], en["severity"]) == (7, "SEX", "error")
    assert "line" not in en
    assert set(LANGUAGES) == {"en", "fr"}


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown finding code"):
        Finding("NO_SUCH_CODE")


def test_builder_counts_everything_but_lists_at_most_the_cap() -> None:
    b = ReportBuilder(max_listed=3)
    for i in range(10):
        b.add(
            Finding(
                "NON_NUMERIC_VALUE", Location(line=i), value="x", params={"text_type": "Double"}
            )
        )
    b.add(Finding("REPEATED_OBSERVATION", series_key="K", period="2020"))
    assert b.counts["NON_NUMERIC_VALUE"] == 10 and len(b.findings) == 4
    assert (b.errors, b.warnings, b.ok) == (10, 1, False)
    d = b.as_dict("fr")
    assert d["truncated"] == {"NON_NUMERIC_VALUE": 7}
    assert d["counts"] == {"NON_NUMERIC_VALUE": 10, "REPEATED_OBSERVATION": 1}


def test_warnings_alone_do_not_block() -> None:
    b = ReportBuilder()
    b.add(Finding("REPEATED_OBSERVATION", series_key="K", period="2020"))
    assert b.ok
