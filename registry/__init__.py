"""lmis-registry core: SDMX structures, data submission and queries, without any web layer.

The package is organised by job: ``io`` reads and writes bytes (SDMX-ML, SDMX-JSON, SDMX-CSV),
``storage`` holds all SQL, ``query`` turns SDMX-REST requests into results, ``validation`` checks
submissions. sdmx1 (``sdmx.model``) is the domain model for every structure.
"""

from registry.sdmx_model import install as _install_sdmx_model

_install_sdmx_model()  # before anything imports sdmx1: see registry.sdmx_model

__version__ = "0.1.0"
