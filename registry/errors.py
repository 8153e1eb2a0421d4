"""One tree of errors, each carrying its SDMX error code and its HTTP status (SDMX-REST 1.5 table).

Every failure a user can cause is one of these, raised in the core and rendered by the API layer
(SDMX-ML ``Error`` message, SDMX-JSON ``errors`` array, or HTML) or by the CLI (one line, non-zero
exit). The tree::

    RegistryError                     1000 / 500  (service-specific, never a user mistake)
    ├── NoResultsError                 100 / 404
    ├── UnauthorizedError              110 / 401  (no or unknown token)
    │   └── ForbiddenError             110 / 403  (known token, role not allowed)
    ├── QuerySyntaxError               140 / 400
    │   └── PeriodError (registry.periods)  a malformed SDMX time period
    ├── SemanticError                  150 / 403
    ├── NotAcceptableError             406 / 406  (no format the client accepts)
    ├── ResponseTooLargeError          510 / 413
    ├── PayloadTooLargeError           413 / 413  (upload over the size cap)
    ├── UnsupportedMediaTypeError      415 / 415
    ├── UnsupportedError               501 / 501  (names the unsupported parameter or resource)
    ├── InvalidMessageError            140 / 400  (malformed XML, not an SDMX message, unsafe XML)
    ├── ConflictError                  150 / 409  (versioning rule, dangling or blocking reference)
    │   └── StructureSubmissionError   150 / 409  (carries the per-artefact results)
    └── ConfigurationError            1000 / 500  (bad REGISTRY_* setting)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar


class RegistryError(Exception):
    """Base class: a failure with a stable SDMX code, an HTTP status and a user message."""

    code: ClassVar[int] = 1000
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, message: str, *, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)


class NoResultsError(RegistryError):
    """The query is valid but matches nothing (SDMX 100)."""

    code, status, title = 100, 404, "No results found"


class UnauthorizedError(RegistryError):
    """No credentials, or credentials the registry does not know (SDMX 110)."""

    code, status, title = 110, 401, "Unauthorized"


class ForbiddenError(UnauthorizedError):
    """Known credentials whose role does not allow the operation."""

    status, title = 403, "Forbidden"


class QuerySyntaxError(RegistryError):
    """The request does not follow the SDMX-REST grammar (SDMX 140)."""

    code, status, title = 140, 400, "Syntax error"


class SemanticError(RegistryError):
    """The request is well formed but makes no sense for this registry (SDMX 150)."""

    code, status, title = 150, 403, "Semantic error"


class NotAcceptableError(RegistryError):
    """None of the media types the client accepts can be produced for this resource."""

    code, status, title = 406, 406, "Not acceptable"


class ResponseTooLargeError(RegistryError):
    """The answer would exceed the service limit (SDMX 510, HTTP 413)."""

    code, status, title = 510, 413, "Response too large"


class PayloadTooLargeError(RegistryError):
    """The uploaded body exceeds the configured size cap."""

    code, status, title = 413, 413, "Request body too large"


class UnsupportedMediaTypeError(RegistryError):
    """The request body's media type is not one the endpoint reads."""

    code, status, title = 415, 415, "Unsupported media type"


class _Located(RegistryError):
    """An error that may be about a place in a submitted file.

    ``line`` (XML) or ``row`` and ``column`` (CSV: a column's name) say where, when the reader
    knows; the message says it in words too, but only these attributes are read by programs.
    """

    def __init__(
        self,
        message: str,
        *,
        details: Sequence[str] = (),
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.line = line
        self.row = row
        self.column = column


class UnsupportedError(_Located):
    """A standard feature (resource, parameter, value) this registry does not implement (501)."""

    code, status, title = 501, 501, "Not implemented"


class InvalidMessageError(_Located):
    """A submitted document is not a usable SDMX message (malformed, unsafe, wrong type)."""

    code, status, title = 140, 400, "Invalid message"


class ConflictError(RegistryError):
    """The operation would break a versioning rule or a reference between artefacts."""

    code, status, title = 150, 409, "Conflict"


class StructureSubmissionError(ConflictError):
    """A structure message was refused as a whole; ``results`` holds one entry per artefact."""

    title = "Structure submission refused"

    def __init__(
        self, message: str, *, results: Sequence[Any] = (), details: Sequence[str] = ()
    ) -> None:
        super().__init__(message, details=details)
        self.results = list(results)


class ConfigurationError(RegistryError):
    """A ``REGISTRY_*`` setting has a value the registry cannot use."""

    title = "Configuration error"
