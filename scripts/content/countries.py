"""``MA.HCP:CL_COUNTRY_MA(1.0)``: ISO 3166-1 alpha-3 countries for COUNTERPART_AREA (DOMAIN §5.8).

Generated from the PyPI package ``pycountry`` (ISO 3166-1 with the iso-codes French and Arabic
translations), a build-time dependency only: the generated file
``codelists/MA.HCP.CL_COUNTRY_MA-1.0.xml`` is committed, so neither the registry nor its tests
need pycountry. Rebuild with the pinned version (``PYCOUNTRY_VERSION``) to reproduce it byte for
byte.

Policy: ``ESH`` (Western Sahara) is left out, following Moroccan official practice (DOMAIN §5.8);
non-ISO codes (``KOS``, ``ANT``, ``CHA``) are not included. Country names are the ISO 3166-1 short
names in English and their iso-codes translations (French in ISO's inverted style, e.g.
"Corée, République de"); an Arabic name is written only where iso-codes has a translation.
"""

from __future__ import annotations

import gettext
import importlib.metadata

from sdmx.model import v21

from .common import annotation, code, codelist, text

#: The pycountry release the committed file was generated with.
PYCOUNTRY_VERSION = "26.2.16"

#: ISO 3166-1 codes left out of national lists (DOMAIN §5.8).
EXCLUDED = frozenset({"ESH"})

#: Aggregates placed before the countries: (id, EN, FR, description EN, description FR).
GROUPS = (
    ("_T", "All countries", "Tous pays", None, None),
    ("X06", "Africa", "Afrique", "ILOSTAT aggregate X06.", "Agrégat ILOSTAT X06."),
    ("X89", "Middle East and North Africa", "Moyen-Orient et Afrique du Nord",
     "ILOSTAT aggregate X89.", "Agrégat ILOSTAT X89."),
    ("X92", "European Union (27)", "Union européenne (27)", "ILOSTAT aggregate X92.",
     "Agrégat ILOSTAT X92."),
    ("MA_GRP_GCC", "Gulf Cooperation Council countries", "Pays du Conseil de coopération du Golfe",
     "National group: Bahrain, Kuwait, Oman, Qatar, Saudi Arabia, United Arab Emirates.",
     "Groupe national : Arabie saoudite, Bahreïn, Émirats arabes unis, Koweït, Oman, Qatar."),
    ("MA_GRP_SSA", "Sub-Saharan Africa", "Afrique subsaharienne",
     "National group: the UN M49 region Sub-Saharan Africa (Africa less Northern Africa).",
     "Groupe national : la région M49 des Nations Unies Afrique subsaharienne (Afrique hors "
     "Afrique du Nord)."),
)  # fmt: skip

#: Residual codes placed after the countries.
RESIDUALS = (
    ("_O", "Other countries", "Autres pays"),
    ("_U", "Unknown", "Inconnu"),
)


def _translator(lang: str):
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])


def check_version() -> None:
    found = importlib.metadata.version("pycountry")
    if found != PYCOUNTRY_VERSION:
        raise RuntimeError(
            f"pycountry {found} is installed; CL_COUNTRY_MA is generated with "
            f"pycountry=={PYCOUNTRY_VERSION} (pip install pycountry=={PYCOUNTRY_VERSION})"
        )


def cl_country() -> v21.Codelist:
    import pycountry

    check_version()
    fr, ar = _translator("fr"), _translator("ar")
    codes = []
    for id_, en, fr_, d_en, d_fr in GROUPS:
        desc = text(d_en, d_fr) if d_en else None
        anns = [annotation("NATIONAL", en=d_en, fr=d_fr)] if id_.startswith("MA_") else []
        codes.append(code(id_, en, fr_, description=desc, annotations=anns))
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        if country.alpha_3 in EXCLUDED:
            continue
        name_fr = fr.gettext(country.name)
        name_ar = ar.gettext(country.name)
        codes.append(
            code(
                country.alpha_3,
                country.name,
                name_fr,
                name_ar if name_ar != country.name else None,
                annotations=[
                    annotation("ISO2Code", country.alpha_2),
                    annotation("M49Code", country.numeric),
                ],
            )
        )
    codes += [code(*row) for row in RESIDUALS]
    return codelist(
        "CL_COUNTRY_MA",
        text("Counterpart country", "Pays partenaire"),
        codes,
        description=text(
            f"ISO 3166-1 alpha-3 countries (generated from pycountry {PYCOUNTRY_VERSION}; ESH "
            "left out), with ILOSTAT aggregates, national groups and _T/_O/_U. ISO2Code and "
            "M49Code annotations give the alpha-2 and numeric codes. What the country is "
            "(citizenship, birth, residence, destination, previous residence) is given by "
            "MIGR_BASIS.",
            f"Pays ISO 3166-1 alpha-3 (générés depuis pycountry {PYCOUNTRY_VERSION} ; ESH "
            "exclu), avec des agrégats ILOSTAT, des groupes nationaux et _T/_O/_U. Les "
            "annotations ISO2Code et M49Code donnent les codes alpha-2 et numérique. La nature "
            "du pays (nationalité, naissance, résidence, destination, résidence antérieure) est "
            "donnée par MIGR_BASIS.",
        ),
    )


def artefacts() -> list[v21.Codelist]:
    return [cl_country()]
