"""lmis-registry core: SDMX structures, data submission and queries, without any web layer.

The package is organised by job: ``io`` reads and writes bytes (SDMX-ML, SDMX-JSON, SDMX-CSV),
``storage`` holds all SQL, ``query`` turns SDMX-REST requests into results, ``validation`` checks
submissions. sdmx1 (``sdmx.model``) is the domain model for every structure.
"""

__version__ = "0.1.0"
