"""sdmx1's information model without its top level: the registry's processes stay without pandas.

``import sdmx`` runs sdmx1's package ``__init__``, which imports its pandas converter, HTTP client
and source registry, and with them pandas and numpy: about 46 MB of resident memory and a tenth
of a second per process, for functions the registry never calls (it uses ``sdmx.model``,
``sdmx.message``, ``sdmx.reader.xml`` and ``sdmx.writer.xml``, which need none of it). ``install``
(called once, first thing, by ``registry/__init__.py``) registers the ``sdmx`` package module
without running its ``__init__``; the first use of one of its top-level names (``sdmx.read_sdmx``,
``sdmx.Client``, ``sdmx.to_pandas``…) runs it then, in place (PEP 562 module ``__getattr__``), so
any other code importing sdmx1 gets the whole package as usual, only later. Submodules import as
always. Nothing happens when sdmx1 was imported before the registry.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["install"]


def install() -> None:
    """Register sdmx1's package without running its ``__init__`` (see the module docstring)."""
    if "sdmx" in sys.modules:
        return
    spec = importlib.util.find_spec("sdmx")
    if spec is None or spec.loader is None:  # not installed: the first import says so
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(name: str) -> Any:
        # ``from sdmx import message`` asks for the attribute before importing the submodule:
        # a submodule's name must not run the package's __init__.
        if name.startswith("__") or importlib.util.find_spec(f"sdmx.{name}") is not None:
            raise AttributeError(name)
        del module.__getattr__
        loader.exec_module(module)
        return getattr(module, name)

    module.__getattr__ = complete  # type: ignore[method-assign]
    sys.modules["sdmx"] = module
