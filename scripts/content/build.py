"""Build the shipped SDMX content: one SDMX-ML 2.1 file per maintainable artefact.

    python -m scripts.content.build            # (re)write codelists/, dsd/, dataflows/
    python -m scripts.content.build --out DIR  # write into DIR/codelists, DIR/dsd, …
    python -m scripts.content.build --check    # exit 1 if the committed files differ

Folder rule: ``codelists/`` holds codelists, concept schemes and organisation schemes; ``dsd/``
holds data structure definitions and metadata structure definitions; ``dataflows/`` holds
dataflows, metadataflows, content constraints and provision agreements. The metadata reports
(``metadata/``) are built by ``scripts.content.metadata``. A file is named
``<AGENCY>.<ID>-<VERSION>.xml`` (e.g. ``MA.HCP.CL_SEX_MA-1.0.xml``, ``MA.AGENCIES-1.0.xml``).

Files are written with the project writer ``registry.io.sdmxml.canonical_xml`` (deterministic,
one artefact per Structure message, the form the registry stores), so reading a file and writing
it again gives the same bytes. The build is reproducible: the same inputs (and the pinned
pycountry release, see countries.py) give byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python scripts/content/build.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "scripts.content"

from sdmx.model import common

from registry.io.sdmxml import canonical_xml
from registry.structure_types import urn_of
from scripts.content import (
    codelists,
    concepts,
    countries,
    dataflows,
    dsds,
    indicators,
    metadata,
    orgs,
)

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("codelists", "dsd", "dataflows")

#: Folder of each maintainable class (see the module docstring).
FOLDER_OF: tuple[tuple[type, str], ...] = (
    (common.Codelist, "codelists"),
    (common.ConceptScheme, "codelists"),
    (common.OrganisationScheme, "codelists"),
    (common.BaseDataStructureDefinition, "dsd"),
    (common.BaseMetadataStructureDefinition, "dsd"),
    (common.BaseDataflow, "dataflows"),
    (common.BaseMetadataflow, "dataflows"),
    (common.BaseConstraint, "dataflows"),
    (common.ProvisionAgreement, "dataflows"),
)


def folder_for(obj: common.MaintainableArtefact) -> str:
    for cls, folder in FOLDER_OF:
        if isinstance(obj, cls):
            return folder
    raise TypeError(f"no content folder for {type(obj).__name__}")


def file_name(obj: common.MaintainableArtefact) -> str:
    assert obj.maintainer is not None
    return f"{obj.maintainer.id}.{obj.id}-{obj.version}.xml"


def relative_path(obj: common.MaintainableArtefact) -> str:
    return f"{folder_for(obj)}/{file_name(obj)}"


def all_artefacts() -> list[common.MaintainableArtefact]:
    """Every shipped artefact, built with cross-references to the objects they use."""
    org = orgs.artefacts()
    providers = org[1]
    cls = codelists.artefacts() + indicators.artefacts() + countries.artefacts()
    by_id = {c.id: c for c in cls}
    cs_lmis = concepts.cs_lmis(by_id)
    cs_meta = concepts.cs_lmis_meta()
    data_structures = {d.id: d for d in (dsds.dsd_lmis_dw(cs_lmis), dsds.dsd_lmis_mig(cs_lmis))}
    msd = dsds.msd_lmis_ind(by_id, cs_meta, cs_lmis)
    flows = dataflows.artefacts(data_structures, providers)
    mdf = metadata.metadataflow(msd)
    out = [*org, *cls, cs_lmis, cs_meta, *data_structures.values(), msd, *flows, mdf]
    for obj in out:
        obj.urn = urn_of(obj)  # standard class names (DataStructure, Dataflow)
    return out


# --- Serialisation -------------------------------------------------------------------------------


def render(objs: list[common.MaintainableArtefact] | None = None) -> dict[str, bytes]:
    """Relative path → file content for every artefact."""
    out: dict[str, bytes] = {}
    for obj in objs if objs is not None else all_artefacts():
        path = relative_path(obj)
        if path in out:
            raise ValueError(f"two artefacts map to {path}")
        out[path] = canonical_xml(obj)
    return out


def existing(root: Path) -> dict[str, bytes]:
    return {
        f"{folder}/{p.name}": p.read_bytes()
        for folder in FOLDERS
        for p in sorted((root / folder).glob("*.xml"))
    }


def write(root: Path, files: dict[str, bytes]) -> list[str]:
    """Write ``files`` under ``root``; return the stale ``*.xml`` files left in the folders."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
    return sorted(set(existing(root)) - set(files))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="root folder (default: the repo)")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files under --out, write nothing"
    )
    args = parser.parse_args(argv)
    files = render()
    if args.check:
        found = existing(args.out)
        changed = sorted(k for k in files if found.get(k) != files[k])
        extra = sorted(set(found) - set(files))
        for rel in changed:
            print(f"differs or missing: {rel}")
        for rel in extra:
            print(f"not generated: {rel}")
        return 1 if changed or extra else 0
    stale = write(args.out, files)
    for rel in stale:
        print(f"warning: {rel} is not generated by this build (delete it?)", file=sys.stderr)
    print(f"{len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
