"""The import rules of ARCHITECTURE §1, checked by parsing every module's imports with ``ast``.

``registry`` never imports the web layer; SQL (sqlalchemy/sqlmodel beyond the ``Session``/``Engine``
types and exception classes) lives only in ``registry/storage``; lxml (bytes) only in ``registry/io``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = ("fastapi", "starlette", "api")
SQL = ("sqlalchemy", "sqlmodel")
#: Names from SQL packages that code outside registry/storage may import: types and errors only.
SQL_TYPES = {"Session", "Engine", "OperationalError", "SQLAlchemyError", "IntegrityError"}


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, set[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((alias.name, set()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, {alias.name for alias in node.names}))
    return out


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("path", _modules("registry"), ids=lambda p: str(p.relative_to(ROOT)))
def test_registry_never_imports_the_web_layer(path: Path) -> None:
    bad = [m for m, _ in _imports(path) if _top(m) in WEB]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize(
    "path", _modules("registry") + _modules("api"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_sql_only_in_storage(path: Path) -> None:
    if "registry/storage" in path.as_posix():
        return
    for module, names in _imports(path):
        if _top(module) in SQL:
            assert names and names <= SQL_TYPES, (
                f"{path.relative_to(ROOT)} imports {sorted(names) or module} from {module}; "
                "SQL belongs in registry/storage"
            )


@pytest.mark.parametrize(
    "path", _modules("registry") + _modules("api"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_xml_bytes_only_in_io(path: Path) -> None:
    if "registry/io" in path.as_posix():
        return
    bad = [m for m, _ in _imports(path) if _top(m) == "lxml"]
    assert not bad, f"{path.relative_to(ROOT)} parses XML itself; use registry.io"
