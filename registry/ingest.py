"""The streaming heart of a submission: data events → validation findings and staged rows.

An ``Ingest`` consumes the event stream of one file in batches. Each batch is validated by the
``DataValidator`` (findings go to the report) and turned into plain staging tuples for the
``DataWriter``: series keys are resolved to stored series in one query per batch (new series
are created, a series owned by another data provider is refused with
``SERIES_OF_ANOTHER_PROVIDER``), each period gets its UTC bounds (cached), observation-level
attribute values become a small JSON text (cached per distinct combination), series-, group- and
dataset-level values are gathered per series or per dataset. Duplicates found by the staging
area become ``DUPLICATE_OBSERVATION`` (different content, an error) or ``REPEATED_OBSERVATION``
(identical, a warning). Delete datasets never create series: they stage the observations or
whole series they name, a partial key (wildcard) naming every stored series it matches. Nothing
here decides to commit; ``store`` applies the staged data when the caller has decided to.
The first run of rows of a series created in the first dataset (Append or Information) is
written straight into the store, its repeated periods caught here and its summary (count, first
and last period) computed here; later rows of the series are staged (see
``registry.storage.data``). Writing runs in one background thread, one batch behind: the
database engine does its work without the GIL, so reading and validating the next batch overlap
it (with a short GIL switch interval meanwhile, ``registry.switching``); the thread and this code
never use the connection at the same time (``_wait`` comes before every other use).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from operator import itemgetter
from typing import Any

from registry.data_structures import FlowContext
from registry.io.data_events import DataEvent, DataSetStart, GroupValues, Location, ObservationRow
from registry.periods import PeriodError, parse_period
from registry.storage.data import (
    STRAIGHT_DATASET,
    DataWriter,
    Duplicate,
    MergeCounts,
    PreparedRows,
    StagedRow,
)
from registry.switching import responsive
from registry.validation.data import DATASET, OBSERVATION, DataValidator
from registry.validation.report import Finding, ReportBuilder

__all__ = ["BATCH_SIZE", "Ingest"]

#: Events per batch: validation and staging work on lists of this size (memory stays bounded).
BATCH_SIZE = 2_500
_CACHE_LIMIT = 50_000  # distinct periods and attribute combinations remembered
_SERIES_LIMIT = 10_000  # series keys remembered (more are looked up again, batch by batch)
_Key = tuple[str | None, ...]
_RunEntry = tuple[int, str | None, str | None, int, int]  # location, value, attributes, span


def _wildcards(row: ObservationRow) -> ObservationRow:
    """In a Delete, an empty dimension cell is a wildcard (as the readers treat Delete files)."""
    if "" not in row.dimensions.values():
        return row
    dims = {k: v for k, v in row.dimensions.items() if v != ""}
    return row._replace(dimensions=dims, value=row.value or None)


def _run_summary(sid: int, run: Mapping[str, _RunEntry]) -> tuple[int, int, int, int]:
    """(series, observation count, first period start, last period end) of a straight run."""
    entries = run.values()
    return sid, len(run), min(e[3] for e in entries), max(e[4] for e in entries)


class Ingest:
    """Validates and stages one file's events (see the module docstring)."""

    def __init__(
        self,
        context: FlowContext,
        writer: DataWriter,
        report: ReportBuilder,
        *,
        position: str,
        action: str | None = None,
    ) -> None:
        self.context = context
        self.rules = rules = context.rules
        self.writer = writer
        self.report = report
        self.validator = DataValidator(rules, report)
        self._check_batch: Callable[[list[DataEvent]], None] = getattr(
            self.validator, "check_batch", self._check_each
        )
        self.position = position  # "row" (SDMX-CSV) or "line" (SDMX-ML)
        self.action_override = action
        self.actions: list[str] = []
        self.observations = 0
        self._dims = rules.dimension_ids
        self._time = rules.time_dimension or "TIME_PERIOD"
        self._pick: Callable[[Mapping[str, str]], Any] = (
            itemgetter(*self._dims) if len(self._dims) > 1 else self._key_of
        )
        levels = {a.id: a.level for a in rules.attributes.values()}
        self._obs_attrs = tuple(a for a, level in levels.items() if level == OBSERVATION)
        self._obs_pick = itemgetter(*self._obs_attrs) if len(self._obs_attrs) > 1 else None
        self._series_attrs = tuple(
            a for a, level in levels.items() if level not in (OBSERVATION, DATASET)
        )
        self._dataset_attrs = tuple(a for a, level in levels.items() if level == DATASET)
        self._series: dict[_Key, int] = {}  # key → series id; 0: skip (refused or absent)
        self._spans: dict[str, tuple[int | None, int | None]] = {}
        self._attr_json: dict[Any, str | None] = {}
        # Series-level attribute values of the rows since the last batch was written (they go
        # to the writer with it, so memory does not grow with the number of series), and the
        # series whose stored values this submission has already replaced.
        self._last_series_values: dict[int, tuple[str | None, ...]] = {}
        self.series_values: dict[str, dict[int, dict[str, str]]] = {"merge": {}, "replace": {}}
        self._replaced: set[int] = set()
        self.dataset_values: dict[str, str] = {}
        self.groups: list[GroupValues] = []
        self._pool: ThreadPoolExecutor | None = None
        self._switching = ExitStack()
        self._pending: Future[list[Duplicate]] | None = None
        self._dataset = -1
        self._delete = False
        self._replace = False
        # Straight writes (see ``_rows``): whether this dataset may, the series created in it and
        # not yet met, the series of the current run of rows and its periods (None: staged).
        self._direct = False
        self._fresh: set[int] = set()
        self._run_sid = -1
        self._run: dict[str, _RunEntry] | None = None
        self._ended: list[tuple[int, int, int, int]] = []  # (series, count, first start, last end)

    # -- the stream ----------------------------------------------------------------------------

    def _check_each(self, batch: list[DataEvent]) -> None:
        for event in batch:
            self.validator.check(event)

    def _key_of(self, dims: Mapping[str, str]) -> _Key:
        return tuple(map(dims.get, self._dims))

    def feed(self, batch: list[DataEvent]) -> None:
        """Validate and stage one batch of events, in order."""
        if self.action_override is not None:
            batch = [
                replace(e, action=self.action_override) if type(e) is DataSetStart else e
                for e in batch
            ]
            if self.action_override == "Delete":
                batch = [_wildcards(e) if type(e) is ObservationRow else e for e in batch]
        self._check_batch(batch)
        segment: list[ObservationRow] = []
        for event in batch:
            if type(event) is ObservationRow:
                segment.append(event)
                continue
            if segment:
                self._rows(segment)
                segment = []
            if isinstance(event, DataSetStart):
                self._begin(event)
            elif isinstance(event, GroupValues):
                self.groups.append(event)
        if segment:
            self._rows(segment)

    def _begin(self, event: DataSetStart) -> None:
        action = event.action
        self.actions.append(action)
        self._dataset = event.index
        self._delete = action == "Delete"
        self._replace = action == "Replace"
        self._direct = event.index == STRAIGHT_DATASET and action in ("Append", "Information")
        self._end_run()
        self._fresh.clear()
        self.writer.begin_dataset(event.index, "Append" if action == "Information" else action)
        if event.structure is not None:
            self._check_structure(event)
        if not self._delete:
            for component, value in event.attributes.items():
                self.dataset_values.setdefault(component, value)

    def _check_structure(self, event: DataSetStart) -> None:
        ref = event.structure
        assert ref is not None
        used = self.context.structures
        if ref.urn in (used.get("dataflow"), used.get("datastructure")):
            return
        if ref.kind == "provisionagreement" and ref.urn == used.get("provisionagreement"):
            return
        expected = f"dataflow {self.context.dataflow}"
        structure = f"{ref.kind} {ref.agency_id}:{ref.id}({ref.version})"
        self.report.add(
            Finding(
                "STRUCTURE_MISMATCH",
                event.location,
                params={"structure": structure, "expected": expected},
            )
        )

    # -- rows -----------------------------------------------------------------------------------

    def _keys(self, rows: list[ObservationRow]) -> list[_Key]:
        pick = self._pick
        try:
            return [pick(row[0]) for row in rows]
        except KeyError:
            return [self._key_of(row[0]) for row in rows]

    def _rows(self, rows: list[ObservationRow]) -> None:
        if len(self._series) > _SERIES_LIMIT:  # before the batch's keys are looked at: each
            self._series.clear()  # key of the batch must be in the map once resolved
        keys = self._keys(rows)
        if self._delete:
            self._delete_rows(rows, keys)
            return
        known = self._series
        missing = {k for k in keys if k not in known}
        if missing:
            self._resolve(missing, rows, keys, create=True)
        dataset = self._dataset
        time = self._time
        spans = self._spans
        attr_json = self._attr_json
        obs_pick = self._obs_pick
        obs_attrs = self._obs_attrs
        series_attrs = self._series_attrs
        last_values = self._last_series_values
        staged: list[tuple[Any, ...]] = []  # StagedRow fields; plain tuples are cheaper
        append = staged.append
        direct: list[tuple[Any, ...]] = []  # observation rows written straight (see below)
        direct_append = direct.append
        ended = self._ended
        repeats: list[Duplicate] = []
        straight = self._direct
        fresh = self._fresh
        run_sid, run = self._run_sid, self._run
        submission = self.writer.submission_id
        observations = 0
        previous: tuple[int, int] = (-1, -1)  # (series id, number of attributes) of the last row
        for row, key in zip(rows, keys, strict=True):
            sid = known[key]  # every key of the batch is resolved (0: refused or absent)
            dims, value, attrs, location, series_only = row
            # series-level values are looked at when the series or the attribute set changes
            if series_attrs and sid and previous != (sid, len(attrs)):
                previous = (sid, len(attrs))
                values = tuple(map(attrs.get, series_attrs))
                if last_values.get(sid) != values:
                    self._series_attribute_values(sid, values)
            if series_only:
                continue
            observations += 1
            if not sid:
                continue
            period = dims.get(time)
            if not period:
                continue
            span = spans.get(period)
            if span is None:
                span = self._span(period)
            if span[0] is None:
                continue  # not a period: reported by the validator, and never a duplicate
            if obs_pick is not None:
                try:
                    combo = obs_pick(attrs)
                except KeyError:
                    combo = tuple(map(attrs.get, obs_attrs))
            else:
                combo = attrs.get(obs_attrs[0]) if obs_attrs else None
            text = attr_json.get(combo, "")
            if text == "":
                text = self._attributes_json(combo)
            where = (location[1] if location[1] is not None else location[0]) or 0
            if straight:
                # The first run of rows of a series created in this (first, Append) dataset goes
                # straight into ``observation``: nothing stored can conflict with it, and its
                # repeated periods are caught here. Later runs of the series are staged; the
                # writer checks them against these rows at the end (``duplicates``).
                if sid != run_sid:
                    if run:
                        ended.append(_run_summary(run_sid, run))
                    run_sid = sid
                    if sid in fresh:
                        fresh.discard(sid)
                        run = {}
                    else:
                        run = None
                if run is not None:
                    first = run.get(period)
                    if first is None:
                        run[period] = (where, value, text, span[0], span[1])  # type: ignore[assignment]
                        direct_append((sid, period, span[0], span[1], value, text, submission))
                    else:
                        repeats.append(
                            Duplicate(
                                sid,
                                ".".join(key),  # type: ignore[arg-type]
                                period,
                                where,
                                value,
                                text,
                                first[0],
                                first[1],
                                first[2],
                            )
                        )
                    continue
            append((dataset, sid, period, span[0], span[1], value, text, where))
        self.observations += observations
        self._run_sid, self._run = run_sid, run
        if repeats:
            self._duplicates(repeats)
        if self._dataset_attrs:
            self._row_dataset_values(rows)
        if staged or direct:
            self._stage(staged, direct)

    def _span(self, period: str) -> tuple[int | None, int | None]:
        try:
            parsed = parse_period(period)
            span: tuple[int | None, int | None] = (
                int(parsed.start.timestamp()),
                int(parsed.end.timestamp()),
            )
        except PeriodError:
            span = (None, None)  # the validator reports it; the file will be rejected
        if len(self._spans) < _CACHE_LIMIT:
            self._spans[period] = span
        return span

    def _attributes_json(self, combo: Any) -> str | None:
        values = combo if isinstance(combo, tuple) else (combo,)
        present = {k: v for k, v in zip(self._obs_attrs, values, strict=False) if v is not None}
        text = json.dumps(present, ensure_ascii=False, sort_keys=True) if present else None
        if len(self._attr_json) < _CACHE_LIMIT:
            self._attr_json[combo] = text
        return text

    def _series_attribute_values(self, sid: int, values: tuple[str | None, ...]) -> None:
        self._last_series_values[sid] = values
        kind = "replace" if self._replace else "merge"
        stored = self.series_values[kind].setdefault(sid, {})
        for component, value in zip(self._series_attrs, values, strict=True):
            if value is not None:
                stored.setdefault(component, value)

    def _row_dataset_values(self, rows: Iterable[ObservationRow]) -> None:
        """Dataset-level values given on rows (SDMX-CSV): one value per dataset."""
        values = self.dataset_values
        for row in rows:
            for component in self._dataset_attrs:
                value = row[2].get(component)
                if value is None:
                    continue
                first = values.setdefault(component, value)
                if first != value:
                    self._inconsistent_dataset_value(row, component, value, first)

    def _inconsistent_dataset_value(
        self, row: ObservationRow, component: str, value: str, first: str
    ) -> None:
        self.report.add(
            Finding(
                "INCONSISTENT_ATTRIBUTE",
                row.location.in_column(component),
                component=component,
                value=value,
                series_key=".".join(v or "" for v in self._key_of(row.dimensions)),
                period=row.dimensions.get(self._time),
                params={"other": first, "level": DATASET},
            )
        )

    def _valid(self, key: _Key) -> bool:
        return all(key)

    def _resolve(
        self,
        missing: set[_Key],
        rows: list[ObservationRow],
        keys: list[_Key],
        *,
        create: bool,
    ) -> None:
        """Map new series keys to stored series (creating them unless ``create`` is false)."""
        texts = {k: ".".join(k) for k in missing if self._valid(k)}  # type: ignore[arg-type]
        for k in missing:
            if k not in texts:
                self._series[k] = 0  # an incomplete key: reported by the validator
        self._wait()
        found = self.writer.find_series(list(texts.values()))
        new: dict[str, dict[str, str]] = {}
        by_text: dict[str, _Key] = {}
        for key, text in texts.items():
            info = found.get(text)
            by_text[text] = key
            if info is None:
                if create:
                    new[text] = dict(zip(self._dims, key, strict=True))  # type: ignore[arg-type]
                else:
                    self._series[key] = 0
            elif self._foreign(info.provider):
                self._series[key] = 0
                self._refuse(key, text, info.provider, rows, keys)
            else:
                self._series[key] = info.id
        if new:
            for text, info in self.writer.create_series(new).items():
                self._series[by_text[text]] = info.id
                if self._direct:
                    self._fresh.add(info.id)

    def _foreign(self, owner: str | None) -> bool:
        provider = self.writer.provider
        return provider is not None and owner is not None and owner != provider

    def _refuse(
        self,
        key: _Key,
        text: str,
        owner: str | None,
        rows: list[ObservationRow],
        keys: list[_Key],
    ) -> None:
        location = next((r.location for r, k in zip(rows, keys, strict=True) if k == key), None)
        self.report.add(
            Finding(
                "SERIES_OF_ANOTHER_PROVIDER",
                location or Location(),
                series_key=text,
                params={"owner": owner, "provider": self.writer.provider},
            )
        )

    def _delete_rows(self, rows: list[ObservationRow], keys: list[_Key]) -> None:
        complete = {k for k in keys if k not in self._series and self._valid(k)}
        if complete:
            self._resolve(complete, rows, keys, create=False)
        staged: list[StagedRow] = []
        for row, key in zip(rows, keys, strict=True):
            self.observations += 1
            period = row.dimensions.get(self._time) or ""
            where = row.location.row if row.location.row is not None else row.location.line
            if self._valid(key):
                targets = [self._series[key]]
            else:
                partial = {d: v for d, v in zip(self._dims, key, strict=True) if v}
                self._wait()
                targets = [sid for sid, _ in self.writer.matching_series(partial)]
            for sid in targets:
                if sid:
                    staged.append(
                        StagedRow(self._dataset, sid, period, None, None, None, None, where or 0)
                    )
        if staged:
            self._stage(staged)

    def _duplicates(self, found: Iterable[Duplicate]) -> None:
        measure = self.rules.measure_id
        for dup in found:
            location = (
                Location(row=dup.location, column=measure)
                if self.position == "row"
                else Location(line=dup.location)
            )
            if dup.identical or not dup.time_period:
                code, params = "REPEATED_OBSERVATION", {}
            else:
                code, params = "DUPLICATE_OBSERVATION", {"other": dup.first_value or ""}
            self.report.add(
                Finding(
                    code,
                    location,
                    component=measure,
                    value=dup.obs_value,
                    series_key=dup.series_key,
                    period=dup.time_period,
                    params=params,
                )
            )

    # -- staging in the background ---------------------------------------------------------------

    def _stage(
        self,
        staged: Sequence[StagedRow] | Sequence[tuple[Any, ...]],
        direct: Sequence[tuple[Any, ...]] = (),
    ) -> None:
        """Hand a batch to the writing thread (after the previous one is done), with the
        summaries of the straight runs ended so far."""
        self._wait()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="stage")
            self._switching.enter_context(responsive())  # see registry.switching
        ended, self._ended = self._ended, []
        replace, merge = self._series_values_to_write()
        prepared = self.writer.prepare(direct)
        self._pending = self._pool.submit(self._write, prepared, ended, staged, replace, merge)

    def _series_values_to_write(
        self,
    ) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
        """The series-level values gathered since the last write: (replacing, merged).

        A Replace dataset replaces a series' stored values once; values of the same series in
        later batches are merged into what it wrote (the first value of a component wins, as
        the validator reports a contradicting one).
        """
        values = self.series_values
        replace, merge = values["replace"], values["merge"]
        self.series_values = {"merge": {}, "replace": {}}
        self._last_series_values.clear()
        for sid in [sid for sid in replace if sid in self._replaced]:
            merge.setdefault(sid, {}).update(replace.pop(sid))
        self._replaced.update(replace)
        return replace, merge

    def _write(
        self,
        direct: PreparedRows,
        ended: Sequence[tuple[int, int, int, int]],
        staged: Sequence[StagedRow] | Sequence[tuple[Any, ...]],
        replace: Mapping[int, Mapping[str, str]],
        merge: Mapping[int, Mapping[str, str]],
    ) -> list[Duplicate]:
        """In the writing thread: a batch of observations, then its series-level values."""
        duplicates = self.writer.write(direct, ended, staged)
        self._write_series_values(replace, merge)
        return duplicates

    def _write_series_values(
        self, replace: Mapping[int, Mapping[str, str]], merge: Mapping[int, Mapping[str, str]]
    ) -> None:
        if replace:
            self.writer.series_attributes(replace, replace=True)
        if merge:
            self.writer.series_attributes(merge, replace=False)

    def _end_run(self) -> None:
        """The current straight run (if any) is over: keep its summary for the writer."""
        if self._run:
            self._ended.append(_run_summary(self._run_sid, self._run))
        self._run_sid, self._run = -1, None

    def _wait(self) -> None:
        """Let the staging thread finish its batch (before the connection is used here)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._duplicates(pending.result())

    def close(self) -> None:
        """Stop the staging thread (waiting for its batch); safe to call more than once."""
        try:
            self._wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
            self._switching.close()

    # -- the end ---------------------------------------------------------------------------------

    def finish(self) -> None:
        """Report what only the end tells (duplicates on PostgreSQL, missing attributes…)."""
        self._end_run()
        if self._ended:
            self._stage(())
        self._wait()
        self._duplicates(self.writer.duplicates())
        self.validator.finish()

    def store(self) -> MergeCounts:
        """Apply the staged data (the caller commits or rolls back afterwards)."""
        self._wait()
        writer = self.writer
        self._write_series_values(*self._series_values_to_write())
        if self.dataset_values:
            writer.dataset_attributes(self.dataset_values)
        for group in self.groups:
            key = ".".join(group.key.get(d, "") for d in self._dims)
            writer.group_attributes(group.group_id, key, group.key, group.attributes)
        return writer.merge()
