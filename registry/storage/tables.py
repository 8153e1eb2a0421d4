"""SQLModel table classes (``*Row``): the whole relational schema of the registry.

Structures are not exploded into tables: each maintainable artefact version is one ``ArtefactRow``
holding its canonical SDMX-ML 2.1 text plus the index columns queries filter on, and
``ArtefactRefRow`` records which artefact references which (the reference graph behind
``references=parents|children|…`` and the delete guard); ``StructureClockRow`` changes with every
structure write, for caches of structures. Users, their hashed tokens and an audit
trail of every write complete the schema. JSON columns hold payload only and are never filtered on.
Alembic migrations (``alembic/versions``) must match these classes; a test checks it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), **kw))


class ArtefactRow(SQLModel, table=True):
    """One version of one maintainable artefact, stored as canonical SDMX-ML 2.1."""

    __tablename__ = "artefact"
    __table_args__ = (
        UniqueConstraint("urn_class", "agency_id", "artefact_id", "version", name="uq_artefact_id"),
        Index("ix_artefact_lookup", "urn_class", "agency_id", "artefact_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    urn: str = Field(max_length=500, unique=True, index=True)
    urn_class: str = Field(max_length=60)
    agency_id: str = Field(max_length=200)
    artefact_id: str = Field(max_length=200)
    version: str = Field(max_length=60)
    is_final: bool = False
    #: ``Allowed`` / ``Actual`` for content constraints, else NULL.
    constraint_role: str | None = Field(default=None, max_length=20)
    #: Names by language, e.g. {"en": "Sex", "fr": "Sexe"} (payload, never filtered on).
    names: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sdmx_ml: str = Field(sa_column=Column(Text, nullable=False))
    #: SHA-256 of ``sdmx_ml``: equal hashes mean an identical artefact.
    content_hash: str = Field(max_length=64)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)


class ArtefactRefRow(SQLModel, table=True):
    """An edge of the reference graph: maintainable ``from_urn`` references ``to_urn``."""

    __tablename__ = "artefact_ref"

    from_urn: str = Field(max_length=500, primary_key=True)
    to_urn: str = Field(max_length=500, primary_key=True, index=True)


class UserRow(SQLModel, table=True):
    """A person or system that holds tokens; ``role`` is admin, curator or producer."""

    __tablename__ = "registry_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    role: str = Field(max_length=20)
    #: For producers: the data provider they report as, ``AGENCY:PROVIDER_ID``.
    provider: str | None = Field(default=None, max_length=300)
    created_at: datetime = _ts(nullable=False)


class TokenRow(SQLModel, table=True):
    """A bearer token; only the SHA-256 of the secret is stored."""

    __tablename__ = "token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="registry_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _ts(nullable=False)
    revoked: bool = False


class AuditRow(SQLModel, table=True):
    """One write: who did what to which artefact (or data), when, with a small detail payload."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(nullable=False, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=40)
    target: str = Field(max_length=500, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class StructureClockRow(SQLModel, table=True):
    """One row whose ``marker`` every structure write (save or delete) replaces with a new random
    value in the writer's transaction, so that a cache of structures built by any process can
    tell from one cheap read whether the stored structures changed since (see
    ``registry.storage.artefacts.structure_marker``)."""

    __tablename__ = "structure_clock"

    id: int | None = Field(default=None, primary_key=True)
    marker: str = Field(max_length=32)
    changed_at: datetime = _ts(nullable=False)


class MetadataReportRow(SQLModel, table=True):
    """One reference-metadata report, stored as the canonical GenericMetadata message of itself.

    A report is identified within its metadataflow by ``report_id`` (its metadata target and
    target key); ``target_key`` (e.g. the indicator code) and ``provider`` are what metadata
    queries select on; ``target_values`` maps each target object to its URN (payload only).
    """

    __tablename__ = "metadata_report"
    __table_args__ = (
        UniqueConstraint("metadataflow_urn", "report_id", name="uq_metadata_report"),
        Index("ix_metadata_report_key", "metadataflow_urn", "target_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    metadataflow_urn: str = Field(max_length=500)
    report_id: str = Field(max_length=300)
    target_key: str = Field(max_length=300)
    #: Target object id → value (URN or period), e.g. {"INDICATOR": "urn:…Code=…UNE_DEAP_RT"}.
    target_values: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    #: The reporting data provider, ``AGENCY:PROVIDER_ID``, or NULL.
    provider: str | None = Field(default=None, max_length=300)
    sdmx_ml: str = Field(sa_column=Column(Text, nullable=False))
    #: SHA-256 of ``sdmx_ml``: equal hashes mean an identical report.
    content_hash: str = Field(max_length=64)
    updated_at: datetime = _ts(nullable=False)


class SubmissionRow(SQLModel, table=True):
    """One data submission: who sent which file for which dataflow, the outcome and the report.

    Kept whether the file was accepted (its data stored) or rejected (nothing stored). ``report``
    is the language-neutral report (``ReportBuilder.dump``); ``structures`` and ``counts`` are
    payload (see ``registry.storage.records.SubmissionRecord``).
    """

    __tablename__ = "submission"
    __table_args__ = (Index("ix_submission_flow", "dataflow_urn", "provider", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=20)
    submitted_at: datetime = _ts(nullable=False, index=True)
    owner: str = Field(max_length=200)
    provider: str | None = Field(default=None, max_length=300, index=True)
    file_name: str | None = Field(default=None, max_length=500)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    media_type: str | None = Field(default=None, max_length=200)
    data_format: str | None = Field(default=None, max_length=100)
    action: str | None = Field(default=None, max_length=20)
    dataflow_urn: str | None = Field(default=None, max_length=500)
    structures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    duration_ms: int = 0
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    duplicate_of: int | None = None
    requested_action: str | None = Field(default=None, max_length=20)


class SeriesRow(SQLModel, table=True):
    """One series of a dataflow: its key, dimension values, series-level attributes and provider.

    ``series_key`` is the dimension values in DSD order joined by dots (the SDMX-REST key form);
    ``attributes`` holds the values of attributes attached to the series (or to a group, as they
    apply to this series). The data provider that reported it owns it.
    """

    __tablename__ = "series"
    __table_args__ = (UniqueConstraint("dataflow_urn", "series_key", name="uq_series_key"),)

    id: int | None = Field(default=None, primary_key=True)
    dataflow_urn: str = Field(max_length=500)
    series_key: str = Field(max_length=1000)
    dimensions: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attributes: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    provider: str | None = Field(default=None, max_length=300)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    #: Summary of the stored observations, kept by ``DataWriter.merge`` (availability reads it):
    #: how many, the earliest period start and latest period end (epoch seconds, NULL when
    #: none) and the newest submission that wrote one of them.
    observation_count: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )
    first_period_start: int | None = Field(default=None, sa_column=Column(BigInteger))
    last_period_end: int | None = Field(default=None, sa_column=Column(BigInteger))
    last_observation_submission_id: int | None = Field(default=None)


class ObservationValueRow(SQLModel, table=True):
    """One observation of a series at one period: the value exactly as sent, and its attributes.

    ``period_start`` / ``period_end`` are the period's UTC bounds in seconds since 1970
    ([start, end)), for period-range queries; ``attributes`` is the JSON text of the
    observation-level attribute values (NULL when none), written as text for bulk speed.
    ``submission_id`` is the submission that last wrote it (its time is the update time).
    No foreign keys: a per-row referential check (a trigger on PostgreSQL) would cost more than
    the insert itself; ``registry.storage.data.DataWriter`` only writes ids of series and
    submissions created in the same transaction, and deletes observations before their series.
    """

    __tablename__ = "observation"
    #: SQLite: one B-tree keyed by (series, period) instead of a rowid table plus an index.
    __table_args__ = {"sqlite_with_rowid": False}

    series_id: int = Field(primary_key=True)
    time_period: str = Field(max_length=100, primary_key=True)
    period_start: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    period_end: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    obs_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attributes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    #: Not indexed: it would slow bulk writes; ``updatedAfter`` queries select series first.
    submission_id: int


class ObservationRevisionRow(SQLModel, table=True):
    """An earlier value of an observation: what a later submission overwrote or deleted.

    ``submission_id`` wrote the value, ``superseded_by`` overwrote it with a new value
    (``deleted`` false) or deleted it (``deleted`` true): the value was valid from the time of
    the first submission to the time of the second (``includeHistory=true`` data queries).
    Written by ``registry.storage.data.DataWriter`` before it overwrites or deletes stored
    observations. The series is named by key, provider and dataflow as well as by id, since a
    whole-series Delete removes the series row; no foreign keys, as for observations.
    """

    __tablename__ = "observation_revision"
    __table_args__ = (
        Index("ix_observation_revision_flow", "dataflow_urn", "series_key"),
        Index("ix_observation_revision_superseded", "superseded_by"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dataflow_urn: str = Field(max_length=500)
    series_id: int
    series_key: str = Field(max_length=1000)
    provider: str | None = Field(default=None, max_length=300)
    time_period: str = Field(max_length=100)
    period_start: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    period_end: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    obs_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attributes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    submission_id: int
    superseded_by: int
    deleted: bool = False


class DataSetAttributeRow(SQLModel, table=True):
    """The value of an attribute attached to the whole data of a dataflow (dataset level)."""

    __tablename__ = "dataset_attribute"

    dataflow_urn: str = Field(max_length=500, primary_key=True)
    component: str = Field(max_length=200, primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))
    submission_id: int = Field(foreign_key="submission.id", index=True)


class GroupAttributeRow(SQLModel, table=True):
    """Attribute values attached to a group of series (a partial key) of a dataflow."""

    __tablename__ = "group_attribute"

    dataflow_urn: str = Field(max_length=500, primary_key=True)
    group_id: str = Field(max_length=200, primary_key=True)
    group_key: str = Field(max_length=1000, primary_key=True)
    dimensions: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attributes: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submission_id: int = Field(foreign_key="submission.id", index=True)
