"""The application factory: ``create_app(settings)`` wires settings, database, middleware, routes.

No import-time globals: every app owns its engine, artefact cache and settings (tests build one per
database). Middleware: gzip for clients that ask, CORS for browser reads (on errors too). Routes:
health, maintenance writes, reference-metadata queries, the not-yet-implemented standard resources
(501), then the generic structure queries, in that order so the catch-all structure paths come
last.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

import registry
from api import errors
from api.routers import (
    availability,
    data,
    health,
    maintenance,
    metadata,
    pending,
    structure,
    submissions,
)
from registry.catalog import ArtefactCache
from registry.config import Settings
from registry.storage.db import make_engine


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper())
    app = FastAPI(
        title="lmis-registry",
        version=registry.__version__,
        summary="SDMX registry and data hub for a national labour-market information system",
        docs_url="/docs",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.artefact_cache = ArtefactCache(settings.structure_cache_size)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Accept-Language", "If-None-Match", "If-Modified-Since"],
        expose_headers=["ETag", "Last-Modified", "Content-Language"],
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(maintenance.router)
    app.include_router(metadata.router)
    app.include_router(data.router)
    app.include_router(availability.router)
    app.include_router(pending.router)
    app.include_router(submissions.router)
    app.include_router(structure.router)
    return app
