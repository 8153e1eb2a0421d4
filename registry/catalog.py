"""The stored structures as sdmx1 objects: the ``ArtefactIndex`` queries run against.

``Catalog`` wraps an open session: it selects records and reference edges through
``registry.storage.artefacts`` and re-hydrates canonical SDMX-ML into sdmx1 objects through
``registry.io.sdmxml``. Parsed artefacts are kept in a small per-process LRU cache keyed by content
hash, and every caller gets its own deep copy, so queries may trim items or components freely.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence

from sdmx.model.common import MaintainableArtefact
from sqlmodel import Session

from registry.errors import NoResultsError
from registry.io import sdmxml
from registry.storage import artefacts
from registry.storage.records import ArtefactRecord


class ArtefactCache:
    """A thread-safe LRU of parsed artefacts keyed by the SHA-256 of their canonical SDMX-ML."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[str, MaintainableArtefact] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, content_hash: str, text: str | None = None) -> MaintainableArtefact | None:
        with self._lock:
            obj = self._items.get(content_hash)
            if obj is not None:
                self._items.move_to_end(content_hash)
        if obj is None and text is not None:
            obj = sdmxml.read_artefact(text.encode("utf-8"))
            with self._lock:
                self._items[content_hash] = obj
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
        return None if obj is None else copy.deepcopy(obj)


_DEFAULT_CACHE = ArtefactCache()


class Catalog:
    """``registry.query.structure.ArtefactIndex`` over the store, for one session."""

    def __init__(self, session: Session, cache: ArtefactCache | None = None) -> None:
        self.session = session
        self.cache = cache or _DEFAULT_CACHE

    def find(
        self,
        urn_classes: Sequence[str],
        agencies: Sequence[str] | None,
        ids: Sequence[str] | None,
        versions: Sequence[str] | None,
    ) -> list[ArtefactRecord]:
        return artefacts.find(self.session, urn_classes, agencies, ids, versions)

    def refs_from(self, urns: Collection[str]) -> dict[str, set[str]]:
        return artefacts.refs_from(self.session, urns)

    def refs_to(self, urns: Collection[str]) -> dict[str, set[str]]:
        return artefacts.refs_to(self.session, urns)

    def records(self, urns: Collection[str]) -> list[ArtefactRecord]:
        return artefacts.records(self.session, urns)

    def structure_marker(self) -> str | None:
        """Changes with every committed structure write (``artefacts.structure_marker``)."""
        return artefacts.structure_marker(self.session)

    def load(self, urn: str) -> MaintainableArtefact:
        found = artefacts.get_sdmx_ml(self.session, urn)
        if found is None:
            raise NoResultsError(f"{urn} is not in the registry")
        record, text = found
        obj = self.cache.get(record.content_hash, text)
        assert obj is not None
        return obj
