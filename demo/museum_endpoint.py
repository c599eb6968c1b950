"""A small OAI-PMH 2.0 data provider, as a member museum's collection system would run one.

It serves the records of a folder and is used twice: by ``musenor demo`` (the Lille and Arras museums
publish over real OAI-PMH HTTP) and by the harvester's tests and benchmark, which also use its
fault-injection knobs to make it misbehave the way real museum endpoints do.

Starting it (each returns an ``Endpoint`` with ``base_url``, ``museums`` and ``stop()``):

- ``serve_museum(directory_by_prefix, host="127.0.0.1", port=0, **options)``: one museum at
  ``{base_url}/oai``; ``directory_by_prefix`` maps a metadataPrefix (``lido``, ``oai_dc``) to a folder;
- ``serve_repository(repository, host, port)``: one ``Repository`` built in memory (tests);
- ``start_demo_endpoint(data_dir, host, port)``: every museum folder of ``demo/data`` holding an
  ``index.json``, each at ``{base_url}/{Museofile code}/oai`` (the code is the folder name up to its first
  ``-``).

How a folder is read (``Repository.from_directory``):

- with an ``index.json`` (the demo's layout): ``{"metadataPrefix": "lido", "repositoryIdentifier":
  "pba.lille.fr", "granularity": "YYYY-MM-DD" (optional), "records": [{"identifier", "local_id",
  "datestamp", "deleted", "sets", "file"}...]}``; ``file`` is relative to the folder, absent for a deleted
  record;
- without one: every ``*.xml`` file holds one record (a ``lido:lido`` or ``oai_dc:dc`` element) or a
  ``lido:lidoWrap`` of several. A record's identifier is ``oai:{repository identifier}:{local id}`` (the
  ``lido:lidoRecID``, or for oai_dc the first ``dc:identifier``, else the file name), its datestamp the
  file's modification time. Deleted records are listed in ``deleted.txt``: one line each,
  ``<local id> <datestamp>`` (datestamp optional: the file's modification time); ``#`` starts a comment.

Protocol: Identify (granularity of the datestamps given, ``deletedRecord`` persistent), ListMetadataFormats,
ListSets, ListIdentifiers, ListRecords, GetRecord; ``from``/``until``; resumption tokens carrying the
offset, with ``completeListSize`` and ``cursor``; ``page_size`` records a page. Tokens live for
``token_ttl`` seconds; ``Repository.expire_tokens()`` invalidates every token given so far.

Fault injection (``endpoint.faults.add(Fault(kind, page=..., times=...))``): ``page`` is the 0-based page
of a list request it applies to (None: any request), ``times`` how many responses it spoils (None:
forever). Kinds: ``truncate`` (the body cut before its resumptionToken), ``drop_token`` (a well-formed
page missing its resumptionToken), ``html`` (a maintenance page with status 200), ``repeat_token`` (the
token received is handed back), ``status`` (``status=503``, with ``retry_after`` in seconds or as an HTTP
date), ``oversize`` (``size`` bytes of padding), ``expire_token`` (badResumptionToken), ``slow``
(``delay`` seconds before answering), ``redirect`` (``location``), ``illegal_chars`` (characters illegal in
XML 1.0 written into each record), ``doctype`` (a DTD declaring an external entity).
``endpoint.requests`` records each request's arguments; ``endpoint.require_authorization(value)`` answers
401 unless the Authorization header is ``value``.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from lxml import etree
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
LIDO_NS = "http://www.lido-schema.org"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"

FORMATS = {
    "lido": ("http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd", LIDO_NS),
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
}

# Never a resolving parser for files a museum hands over (no DTD, no entities, no network).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)


@dataclass
class EndpointRecord:
    identifier: str
    datestamp: str
    metadata: dict[str, bytes] = field(default_factory=dict)  # metadataPrefix -> serialized element
    deleted: bool = False
    sets: list[str] = field(default_factory=list)


@dataclass
class Fault:
    kind: str
    page: int | None = None
    times: int | None = None
    status: int = 503
    retry_after: str | None = None
    size: int = 0
    delay: float = 0.0
    location: str | None = None


class Faults:
    """The faults still to inject; thread-safe, as the server answers in threads."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, page: int | None) -> list[Fault]:
        taken = []
        with self._lock:
            for fault in list(self._faults):
                if fault.page is not None and fault.page != page:
                    continue
                taken.append(fault)
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
        return taken


class OAIError(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def _record_elements(path: Path) -> list[etree._Element]:
    root = etree.parse(str(path), _PARSER).getroot()
    if root.tag == f"{{{LIDO_NS}}}lidoWrap":
        return list(root.iterchildren(f"{{{LIDO_NS}}}lido"))
    return [root]


def _local_id_of(element: etree._Element, fallback: str) -> str:
    for xpath in (f"{{{LIDO_NS}}}lidoRecID", f"{{{DC_NS}}}identifier"):
        found = element.find(xpath)
        if found is not None and (found.text or "").strip():
            return found.text.strip()
    return fallback


def _prefix_of(element: etree._Element) -> str:
    return "lido" if element.tag == f"{{{LIDO_NS}}}lido" else "oai_dc"


def _mtime_datestamp(path: Path) -> str:
    moment = datetime.fromtimestamp(int(path.stat().st_mtime), timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Repository:
    """The records one museum serves, in identifier order, and how it answers the six verbs."""

    def __init__(self, records: Iterable[EndpointRecord], *, repository_identifier: str = "museum.example",
                 repository_name: str = "Museum collection", granularity: str | None = None,
                 page_size: int = 50, token_ttl: float = 24 * 3600,
                 set_names: dict[str, str] | None = None) -> None:
        self.repository_identifier = repository_identifier
        self.repository_name = repository_name
        self.page_size = page_size
        self.token_ttl = token_ttl
        self.set_names = dict(set_names or {})
        self._lock = threading.Lock()
        self._generation = 0
        self.records: dict[str, EndpointRecord] = {}
        for record in records:
            self.records[record.identifier] = record
        stamps = [r.datestamp for r in self.records.values()]
        self.granularity = granularity or (DAY if stamps and all(len(s) == 10 for s in stamps) else SECONDS)

    # -- building ---------------------------------------------------------------------------------

    @classmethod
    def from_directory(cls, directory_by_prefix: dict[str, Path | str] | Path | str, **options: Any) -> Repository:
        if not isinstance(directory_by_prefix, dict):
            directory_by_prefix = {"": directory_by_prefix}
        records: dict[str, EndpointRecord] = {}
        for prefix, directory in directory_by_prefix.items():
            directory = Path(directory)
            index = directory / "index.json"
            if index.is_file():
                data = json.loads(index.read_text(encoding="utf-8"))
                options.setdefault("repository_identifier", data.get("repositoryIdentifier", "museum.example"))
                if data.get("granularity"):
                    options.setdefault("granularity", data["granularity"])
                file_prefix = prefix or data.get("metadataPrefix", "lido")
                for entry in data["records"]:
                    record = records.setdefault(entry["identifier"], EndpointRecord(
                        entry["identifier"], entry["datestamp"], deleted=bool(entry.get("deleted")),
                        sets=list(entry.get("sets", []))))
                    if entry.get("file") and not record.deleted:
                        element = etree.parse(str(directory / entry["file"]), _PARSER).getroot()
                        record.metadata[file_prefix] = etree.tostring(element, encoding="UTF-8")
                continue
            repo_id = options.setdefault("repository_identifier", "museum.example")
            for path in sorted(directory.glob("*.xml")):
                for n, element in enumerate(_record_elements(path)):
                    local_id = _local_id_of(element, f"{path.stem}-{n}" if n else path.stem)
                    identifier = f"oai:{repo_id}:{local_id}"
                    record = records.setdefault(identifier, EndpointRecord(identifier, _mtime_datestamp(path)))
                    record.metadata[prefix or _prefix_of(element)] = etree.tostring(element, encoding="UTF-8")
            deleted = directory / "deleted.txt"
            if deleted.is_file():
                for line in deleted.read_text(encoding="utf-8").splitlines():
                    line = line.split("#", 1)[0].strip()
                    if not line:
                        continue
                    local_id, _, stamp = line.partition(" ")
                    identifier = f"oai:{repo_id}:{local_id}"
                    records[identifier] = EndpointRecord(identifier, stamp.strip() or _mtime_datestamp(deleted),
                                                         deleted=True)
        return cls(records.values(), **options)

    # -- changing (tests) ---------------------------------------------------------------------------

    def put(self, record: EndpointRecord) -> None:
        with self._lock:
            self.records[record.identifier] = record

    def delete(self, identifier: str, datestamp: str) -> None:
        with self._lock:
            record = self.records[identifier]
            self.records[identifier] = EndpointRecord(identifier, datestamp, deleted=True, sets=record.sets)

    def expire_tokens(self) -> None:
        with self._lock:
            self._generation += 1

    # -- answering ------------------------------------------------------------------------------------

    @property
    def prefixes(self) -> list[str]:
        found = {p for r in self.records.values() for p in r.metadata}
        return sorted(found or {"lido"})

    def earliest_datestamp(self) -> str:
        stamps = sorted(r.datestamp for r in self.records.values())
        return stamps[0] if stamps else ("1970-01-01" if self.granularity == DAY else "1970-01-01T00:00:00Z")

    def _check_date(self, value: str | None, name: str) -> str | None:
        if value is None:
            return None
        formats = ["%Y-%m-%d"] + (["%Y-%m-%dT%H:%M:%SZ"] if self.granularity == SECONDS else [])
        for fmt in formats:
            try:
                datetime.strptime(value, fmt)
                return value
            except ValueError:
                continue
        raise OAIError("badArgument", f"{name}={value!r} is not a datestamp at the granularity {self.granularity}")

    @staticmethod
    def _in_window(stamp: str, start: str | None, end: str | None) -> bool:
        # A day-granularity bound covers the whole day (OAI-PMH 2.0 section 3.3.1).
        if start and stamp[:len(start)] < start:
            return False
        if end and stamp[:len(end)] > end:
            return False
        return True

    def list_items(self, prefix: str, start: str | None, end: str | None, set_spec: str | None
                   ) -> list[EndpointRecord]:
        if prefix not in self.prefixes:
            raise OAIError("cannotDisseminateFormat", f"no metadataPrefix {prefix!r}")
        if set_spec is not None and not self.set_specs():
            raise OAIError("noSetHierarchy", "this repository has no sets")
        with self._lock:
            items = [r for _, r in sorted(self.records.items())
                     if (r.deleted or prefix in r.metadata) and self._in_window(r.datestamp, start, end)
                     and (set_spec is None or any(s == set_spec or s.startswith(set_spec + ":") for s in r.sets))]
        if not items:
            raise OAIError("noRecordsMatch", "no record matches these arguments")
        return items

    def set_specs(self) -> list[str]:
        return sorted({s for r in self.records.values() for s in r.sets} | set(self.set_names))

    def make_token(self, args: dict[str, str], offset: int) -> str:
        state = {k: args[k] for k in ("metadataPrefix", "from", "until", "set") if k in args}
        state.update(offset=offset, issued=time.time(), generation=self._generation)
        return base64.urlsafe_b64encode(json.dumps(state, sort_keys=True).encode()).decode().rstrip("=")

    def read_token(self, token: str) -> tuple[dict[str, str], int]:
        try:
            state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            offset = int(state.pop("offset"))
            issued = float(state.pop("issued"))
            generation = int(state.pop("generation"))
        except (ValueError, KeyError, TypeError):
            raise OAIError("badResumptionToken", "this resumptionToken was not issued here") from None
        if generation != self._generation or time.time() - issued > self.token_ttl:
            raise OAIError("badResumptionToken", "this resumptionToken has expired")
        return state, offset


@dataclass
class Endpoint:
    """A running endpoint: ``base_url`` (``{base_url}/oai`` for one museum), ``stop()`` to end it."""

    server: Any
    thread: threading.Thread
    base_url: str
    museums: dict[str, Repository]
    faults: Faults
    requests: list[dict[str, str]]
    app: Any = None

    def require_authorization(self, header_value: str | None) -> None:
        """Answer 401 to any request whose Authorization header is not ``header_value`` (None: open)."""
        self.app.authorization = header_value

    @property
    def oai_url(self) -> str:
        return f"{self.base_url}/oai"

    @property
    def repository(self) -> Repository:
        return next(iter(self.museums.values()))

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class OAIApplication:
    """The WSGI application: ``/oai`` (single museum) or ``/<code>/oai`` (several)."""

    def __init__(self, museums: dict[str, Repository], faults: Faults, requests: list[dict[str, str]],
                 admin_email: str = "collections@museum.example") -> None:
        self.museums = museums
        self.faults = faults
        self.requests = requests
        self.admin_email = admin_email
        self.authorization: str | None = None  # the Authorization header asked of every request, if any

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        return self.respond(request)(environ, start_response)

    def respond(self, request: Request) -> Response:
        parts = [p for p in request.path.split("/") if p]
        if parts == ["oai"] and "" in self.museums:
            repository = self.museums[""]
        elif len(parts) == 2 and parts[1] == "oai" and parts[0] in self.museums:
            repository = self.museums[parts[0]]
        else:
            return Response("not found", status=404, mimetype="text/plain")
        args = {k: v for k, v in request.values.items(multi=False)}
        self.requests.append(dict(args))
        if self.authorization and request.headers.get("Authorization") != self.authorization:
            return Response("authentication required", status=401, mimetype="text/plain",
                            headers={"WWW-Authenticate": 'Basic realm="collections"'})
        page = self._page_of(repository, args)
        faults = self.faults.take(page)
        for fault in faults:
            if fault.kind == "slow":
                time.sleep(fault.delay)
        for fault in faults:
            if fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return Response(f"HTTP {fault.status}", status=fault.status, headers=headers, mimetype="text/plain")
            if fault.kind == "html":
                return Response("<!DOCTYPE html><html><head><title>Maintenance</title></head><body><p>Le "
                                "catalogue est en maintenance, revenez plus tard.</p></body></html>",
                                mimetype="text/html")
            if fault.kind == "redirect":
                return Response("", status=302, headers={"Location": fault.location or "/"})
            if fault.kind == "expire_token" and "resumptionToken" in args:
                return self._xml(self._error_document(request, args, OAIError(
                    "badResumptionToken", "this resumptionToken has expired")))
        try:
            document = self._answer(request, repository, args, faults)
        except OAIError as exc:
            document = self._error_document(request, args, exc)
        body = etree.tostring(document, encoding="UTF-8", xml_declaration=True)
        for fault in faults:
            if fault.kind == "truncate":
                cut = body.rfind(b"<resumptionToken")
                body = body[:cut if cut > 0 else len(body) * 2 // 3]
            elif fault.kind == "doctype":
                body = body.replace(b"?>", b'?><!DOCTYPE OAI-PMH [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
            elif fault.kind == "illegal_chars":
                # lxml refuses to write them: spliced into each title, as a real export bug leaves them.
                body = body.replace(b"</lido:appellationValue>", b"\x0b\x1f</lido:appellationValue>")
                body = body.replace(b"</dc:title>", b"\x0b\x1f</dc:title>")
            elif fault.kind == "oversize":
                body = body.replace(b"<responseDate>", b"<!--" + b"x" * fault.size + b"--><responseDate>", 1)
        if any(f.kind == "oversize" for f in faults):
            # Streamed without Content-Length, as a runaway export script would: only counting catches it.
            return Response(iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                            headers={"Content-Type": "text/xml; charset=utf-8"})
        return Response(body, mimetype="text/xml", headers={"Content-Type": "text/xml; charset=utf-8"})

    @staticmethod
    def _xml(document: etree._Element) -> Response:
        return Response(etree.tostring(document, encoding="UTF-8", xml_declaration=True),
                        headers={"Content-Type": "text/xml; charset=utf-8"})

    @staticmethod
    def _page_of(repository: Repository, args: dict[str, str]) -> int | None:
        if args.get("verb") not in ("ListRecords", "ListIdentifiers"):
            return None
        token = args.get("resumptionToken")
        if not token:
            return 0
        try:
            _, offset = repository.read_token(token)
        except OAIError:
            return None
        return offset // repository.page_size

    def _envelope(self, request: Request, args: dict[str, str]) -> tuple[etree._Element, etree._Element]:
        root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
        etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = \
            datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        req = etree.SubElement(root, f"{{{OAI_NS}}}request")
        req.text = request.base_url
        return root, req

    def _error_document(self, request: Request, args: dict[str, str], error: OAIError) -> etree._Element:
        root, req = self._envelope(request, args)
        if error.code not in ("badVerb", "badArgument"):
            for key, value in args.items():
                req.set(key, value)
        node = etree.SubElement(root, f"{{{OAI_NS}}}error", code=error.code)
        node.text = error.message
        return root

    def _answer(self, request: Request, repository: Repository, args: dict[str, str],
                faults: list[Fault]) -> etree._Element:
        verb = args.get("verb")
        allowed = {
            "Identify": (set(), set()),
            "ListMetadataFormats": (set(), {"identifier"}),
            "ListSets": (set(), {"resumptionToken"}),
            "GetRecord": ({"identifier", "metadataPrefix"}, set()),
            "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
            "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
        }
        if verb not in allowed:
            raise OAIError("badVerb", f"illegal verb {verb!r}")
        required, optional = allowed[verb]
        given = set(args) - {"verb"}
        if "resumptionToken" in given:
            if given != {"resumptionToken"}:
                raise OAIError("badArgument", "resumptionToken is an exclusive argument")
        else:
            if required - given:
                raise OAIError("badArgument", f"missing {', '.join(sorted(required - given))}")
        if given - required - optional:
            raise OAIError("badArgument", f"illegal arguments {', '.join(sorted(given - required - optional))}")
        root, req = self._envelope(request, args)
        for key, value in args.items():
            req.set(key, value)
        body = etree.SubElement(root, f"{{{OAI_NS}}}{verb}")
        if verb == "Identify":
            for name, value in (("repositoryName", repository.repository_name), ("baseURL", request.base_url),
                                ("protocolVersion", "2.0"), ("adminEmail", self.admin_email),
                                ("earliestDatestamp", repository.earliest_datestamp()),
                                ("deletedRecord", "persistent"), ("granularity", repository.granularity)):
                etree.SubElement(body, f"{{{OAI_NS}}}{name}").text = value
        elif verb == "ListMetadataFormats":
            if "identifier" in args and args["identifier"] not in repository.records:
                raise OAIError("idDoesNotExist", f"no record {args['identifier']!r}")
            prefixes = (sorted(repository.records[args["identifier"]].metadata) if "identifier" in args
                        else repository.prefixes)
            if not prefixes:
                raise OAIError("noMetadataFormats", "no format for this record")
            for prefix in prefixes:
                fmt = etree.SubElement(body, f"{{{OAI_NS}}}metadataFormat")
                schema, namespace = FORMATS.get(prefix, ("", ""))
                etree.SubElement(fmt, f"{{{OAI_NS}}}metadataPrefix").text = prefix
                etree.SubElement(fmt, f"{{{OAI_NS}}}schema").text = schema
                etree.SubElement(fmt, f"{{{OAI_NS}}}metadataNamespace").text = namespace
        elif verb == "ListSets":
            if "resumptionToken" in args:
                raise OAIError("badResumptionToken", "ListSets is never split")
            specs = repository.set_specs()
            if not specs:
                raise OAIError("noSetHierarchy", "this repository has no sets")
            for spec in specs:
                node = etree.SubElement(body, f"{{{OAI_NS}}}set")
                etree.SubElement(node, f"{{{OAI_NS}}}setSpec").text = spec
                etree.SubElement(node, f"{{{OAI_NS}}}setName").text = repository.set_names.get(spec, spec)
        elif verb == "GetRecord":
            record = repository.records.get(args["identifier"])
            if record is None:
                raise OAIError("idDoesNotExist", f"no record {args['identifier']!r}")
            if not record.deleted and args["metadataPrefix"] not in record.metadata:
                raise OAIError("cannotDisseminateFormat", f"no {args['metadataPrefix']} for this record")
            self._record(body, record, args["metadataPrefix"], with_metadata=True, faults=faults)
        else:
            if "resumptionToken" in args:
                state, offset = repository.read_token(args["resumptionToken"])
            else:
                state, offset = dict(args), 0
                repository._check_date(args.get("from"), "from")
                repository._check_date(args.get("until"), "until")
            prefix = state["metadataPrefix"]
            items = repository.list_items(prefix, state.get("from"), state.get("until"), state.get("set"))
            page = items[offset:offset + repository.page_size]
            for record in page:
                self._record(body, record, prefix, with_metadata=verb == "ListRecords", faults=faults)
            following = offset + len(page)
            if following < len(items) or offset > 0:
                token = etree.SubElement(body, f"{{{OAI_NS}}}resumptionToken",
                                         completeListSize=str(len(items)), cursor=str(offset))
                if following < len(items):
                    token.text = repository.make_token(state, following)
                if any(f.kind == "repeat_token" for f in faults) and "resumptionToken" in args:
                    token.text = args["resumptionToken"]
                if any(f.kind == "drop_token" for f in faults):
                    body.remove(token)
        return root

    @staticmethod
    def _record(parent: etree._Element, record: EndpointRecord, prefix: str, *, with_metadata: bool,
                faults: list[Fault]) -> None:
        header_parent = parent
        if with_metadata:
            header_parent = etree.SubElement(parent, f"{{{OAI_NS}}}record")
        header = etree.SubElement(header_parent, f"{{{OAI_NS}}}header")
        if record.deleted:
            header.set("status", "deleted")
        etree.SubElement(header, f"{{{OAI_NS}}}identifier").text = record.identifier
        etree.SubElement(header, f"{{{OAI_NS}}}datestamp").text = record.datestamp
        for spec in record.sets:
            etree.SubElement(header, f"{{{OAI_NS}}}setSpec").text = spec
        if with_metadata and not record.deleted:
            metadata = etree.SubElement(header_parent, f"{{{OAI_NS}}}metadata")
            element = etree.fromstring(record.metadata[prefix], _PARSER)
            metadata.append(element)


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass  # the harvester's report is what matters; one line per page would drown it


def _start(museums: dict[str, Repository], host: str, port: int) -> Endpoint:
    faults = Faults()
    requests: list[dict[str, str]] = []
    app = OAIApplication(museums, faults, requests)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="museum-endpoint", daemon=True)
    thread.start()
    base_url = f"http://{host}:{server.server_port}"
    return Endpoint(server=server, thread=thread, base_url=base_url, museums=museums, faults=faults,
                    requests=requests, app=app)


def serve_repository(repository: Repository, host: str = "127.0.0.1", port: int = 0) -> Endpoint:
    """Serve one in-memory repository at ``{base_url}/oai`` in a thread."""
    return _start({"": repository}, host, port)


def serve_museum(directory_by_prefix: dict[str, Path | str] | Path | str, host: str = "127.0.0.1", port: int = 0,
                 **options: Any) -> Endpoint:
    """Serve one museum's folder(s) at ``{base_url}/oai`` in a thread; ``options`` go to ``Repository``."""
    return serve_repository(Repository.from_directory(directory_by_prefix, **options), host, port)


def start_demo_endpoint(data_dir: Path | str, host: str = "127.0.0.1", port: int = 0,
                        page_size: int = 20) -> Endpoint:
    """Serve each museum folder of ``data_dir`` holding an ``index.json`` at ``{base_url}/{code}/oai``."""
    museums = {}
    for folder in sorted(Path(data_dir).iterdir()):
        if (folder / "index.json").is_file():
            code = folder.name.split("-", 1)[0]
            museums[code] = Repository.from_directory(folder, page_size=page_size,
                                                      repository_name=f"Collections {code}")
    return _start(museums, host, port)


def http_date(moment: datetime) -> str:
    """A Retry-After value as an HTTP date (RFC 9110 section 10.2.3)."""
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)
