"""``/admin``: the administrators' view of every museum, and the buttons that ask for work.

Off unless ``[admin]`` configures a way to authenticate (a password hash, or a header a trusted reverse
proxy sets to the administrator's name); without one, every ``/admin`` URL is 404. Signed-in state is a
cookie signed with itsdangerous (HttpOnly, SameSite=Strict, eight hours); every form carries a CSRF token
signed for the signed-in user, and a POST without a valid one is refused with 400.

The web process never runs harvester code: a button writes a request to the catalogue's request queue
(``musenor.catalogue.harvest_requests``), which ``musenor schedule`` picks up; the page shows its outcome.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash

from musenor.catalogue import Catalogue, HubConfig, LedgerError
from musenor.catalogue.harvest_requests import ACTIONS, HarvestRequests
from musenor.oai_server.health import seconds_between

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
                      static_folder="static")

SESSION_COOKIE = "musenor_admin"
SESSION_SECONDS = 8 * 3600
LOGIN_FORM = "login"  # what the login form's CSRF token is signed for, before anyone is signed in
SAMPLE_RECORDS = 3
# Password guessing: after this many wrong passwords from one address, that address waits out the window.
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 15 * 60
ACTION_LABELS = {"harvest": "Harvest", "full": "Full harvest", "check": "Check source"}


def init_app(app: Flask) -> None:
    from musenor.oai_server.oai.tokens import load_secret

    config: HubConfig = app.config["MUSENOR"]
    if config.admin_enabled:
        secret = load_secret(config.secret_key_env, config.data_dir)
        app.extensions["musenor.admin"] = {
            "session": URLSafeTimedSerializer(secret, salt="musenor-admin-session"),
            "csrf": URLSafeTimedSerializer(secret, salt="musenor-admin-csrf"),
            "requests": HarvestRequests(config.data_dir),
            "failures": LoginFailures(LOGIN_ATTEMPTS, LOGIN_WINDOW_SECONDS),
        }


class LoginFailures:
    """Wrong passwords per client address in a sliding window, in this process's memory."""

    def __init__(self, attempts: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts = attempts
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def _recent(self, address: str) -> list[float]:
        horizon = self.clock() - self.window
        recent = [t for t in self._failures.get(address, []) if t > horizon]
        self._failures[address] = recent
        return recent

    def wait_seconds(self, address: str) -> int:
        """0 when the address may try again, else how long it must wait."""
        with self._lock:
            recent = self._recent(address)
            if len(recent) < self.attempts:
                return 0
            return max(1, int(recent[0] + self.window - self.clock()) + 1)

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address).append(self.clock())

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def _config() -> HubConfig:
    return current_app.config["MUSENOR"]


def _signers() -> dict[str, Any]:
    return current_app.extensions["musenor.admin"]


def _catalogue() -> Catalogue:
    return current_app.extensions["musenor.catalogue"]


def signed_in_user() -> str | None:
    admin = _config().admin
    if admin["trusted_header"]:
        user = request.headers.get(admin["trusted_header"], "").strip()
        if user:
            return user
    cookie = request.cookies.get(SESSION_COOKIE)
    if admin["password_hash"] and cookie:
        try:
            return str(_signers()["session"].loads(cookie, max_age=SESSION_SECONDS))
        except BadSignature:
            return None
    return None


def csrf_token() -> str:
    return str(_signers()["csrf"].dumps(g.get("admin_user") or LOGIN_FORM))


def _check_csrf(expected: str) -> None:
    try:
        ok = _signers()["csrf"].loads(request.form.get("csrf_token", ""), max_age=SESSION_SECONDS) == expected
    except BadSignature:
        ok = False
    if not ok:
        abort(400, "the form's CSRF token is missing, expired or not yours: reload the page")


@blueprint.before_request
def _guard() -> Response | None:
    if not _config().admin_enabled:
        abort(404)
    if request.endpoint == "admin.login":
        if request.method == "POST":
            _check_csrf(LOGIN_FORM)
        return None
    user = signed_in_user()
    if user is None:
        if _config().admin["password_hash"]:
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        abort(403)  # only the proxy's header would do, and it is absent: the request bypassed the proxy
    g.admin_user = user
    if request.method == "POST":
        _check_csrf(user)
    return None


@blueprint.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


@blueprint.context_processor
def _template_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "local_time": _config().local_time, "hub": _config(),
            "action_labels": ACTION_LABELS, "admin_user": g.get("admin_user")}


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    admin = _config().admin
    if not admin["password_hash"]:
        abort(404)
    error = None
    failures: LoginFailures = _signers()["failures"]
    address = request.remote_addr or "-"
    if request.method == "POST":
        wait = failures.wait_seconds(address)
        if wait:
            return Response(f"Too many wrong passwords from {address}: try again in {wait} s.\n", status=429,
                            headers={"Retry-After": str(wait)}, mimetype="text/plain")
        user_ok = hmac.compare_digest(request.form.get("user", ""), admin["user"])
        password_ok = check_password_hash(admin["password_hash"], request.form.get("password", ""))
        if user_ok and password_ok:
            failures.succeeded(address)
            target = request.args.get("next", "")
            # Only a path of this area: an open redirect would hand the signed-in page to anyone's site.
            response = redirect(target if target.startswith("/admin") else url_for("admin.index"))
            response.set_cookie(SESSION_COOKIE, _signers()["session"].dumps(admin["user"]),
                                max_age=SESSION_SECONDS, httponly=True, samesite="Strict",
                                secure=request.is_secure, path="/admin")
            return response
        failures.failed(address)
        error = "Wrong user name or password."
    return render_template("admin/login.html", error=error), 401 if error else 200


@blueprint.post("/logout")
def logout() -> Response:
    response = redirect(url_for("admin.login") if _config().admin["password_hash"] else "/")
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response


def _museum_summary(code: str) -> dict[str, Any]:
    ledger = _catalogue().ledger
    counts = ledger.museum_counts().get(code, {"records": 0, "deleted": 0})
    runs = ledger.runs(code, limit=1)
    last = runs[0] if runs else None
    return {"code": code, "museum": _config().museums[code], **counts, "last": last,
            "failed": len(ledger.run_errors(last.id)) if last else 0,
            "unmapped": sum(ledger.unmapped(code).values()),
            "unmatched": sum(n for _, _, n in ledger.unmatched_terms(code))}


@blueprint.get("/")
def index() -> str:
    museums = [_museum_summary(code) for code in sorted(_config().museums)]
    return render_template("admin/index.html", museums=museums, requests=_signers()["requests"].recent(limit=10))


def _local_id(identifier: str) -> str:
    return identifier.split(":", 3)[-1]


def _duration(run: Any) -> float | None:
    return seconds_between(run.started, run.ended)


@blueprint.get("/museums/<code>")
def museum(code: str) -> str:
    if code not in _config().museums:
        abort(404)
    ledger = _catalogue().ledger
    runs = ledger.runs(code, limit=50)
    last = runs[0] if runs else None
    unmapped = [(element, n, ledger.records_mentioning(code, element.rsplit("/", 1)[-1], SAMPLE_RECORDS))
                for element, n in ledger.unmapped(code).items()]
    unmatched = [(vocabulary, term, n, ledger.records_mentioning(code, term, SAMPLE_RECORDS))
                 for vocabulary, term, n in ledger.unmatched_terms(code)]
    return render_template("admin/museum.html", summary=_museum_summary(code), runs=runs, last=last,
                           duration=_duration, errors=ledger.run_errors(last.id) if last else [],
                           unmapped=unmapped, unmatched=unmatched, local_id=_local_id,
                           requests=_signers()["requests"].recent(code, limit=10),
                           requested=request.args.get("requested", type=int))


@blueprint.get("/museums/<code>/runs/<int:run_id>/errors/<path:identifier>")
def failed_record_source(code: str, run_id: int, identifier: str) -> Response:
    ledger = _catalogue().ledger
    try:
        run = ledger.run(run_id)
    except LedgerError:
        abort(404)
    if run.museum != code:
        abort(404)
    raw = ledger.run_error_raw(run_id, identifier)
    if raw is None:
        abort(404)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in _local_id(identifier))
    extension = "xml" if raw.lstrip().startswith(b"<") else "txt"
    return Response(raw, mimetype="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{code}-run{run_id}-{name}.{extension}"'})


@blueprint.post("/museums/<code>/requests")
def ask(code: str) -> Response:
    action = request.form.get("action", "")
    if code not in _config().museums:
        abort(404)
    if action not in ACTIONS:
        abort(400, f"unknown action {action!r}")
    request_id = _signers()["requests"].add(code, action, g.admin_user)
    return redirect(url_for("admin.museum", code=code, requested=request_id))


from musenor.oai_server.admin import campaigns as _campaign_pages  # noqa: E402,F401  (registers /admin/campaigns)
