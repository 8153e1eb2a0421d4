"""registry.sdmx_model: the registry runs without sdmx1's pandas-based top level, which still
loads, whole, the first time anything asks for it.

Each check runs in a fresh interpreter (``sys.modules`` of the test process already holds sdmx1).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("module", ["registry.submission", "registry.cli", "api.app"])
def test_the_registry_does_not_import_pandas(module: str) -> None:
    out = _run(
        f"""
        import sys
        import {module}
        import sdmx.model.v21, sdmx.reader.xml.v21, sdmx.writer.xml
        print(sorted(m for m in ("pandas", "numpy") if m in sys.modules))
        """
    )
    assert out == "[]"


def test_sdmx1_top_level_loads_on_first_use() -> None:
    out = _run(
        """
        import sys
        import registry
        import sdmx
        assert "pandas" not in sys.modules
        from sdmx import message  # a submodule: still no top level
        assert "pandas" not in sys.modules and "read_sdmx" not in vars(sdmx)
        from sdmx import Client, to_pandas
        print(type(Client).__name__, "pandas" in sys.modules, sdmx.__version__ != "", sdmx.log.name)
        """
    )
    assert out == "type True True sdmx"


def test_nothing_changes_when_sdmx1_came_first() -> None:
    out = _run(
        """
        import sdmx
        import registry
        print(hasattr(sdmx, "__getattr__"), callable(sdmx.read_sdmx))
        """
    )
    assert out == "False True"
