#!/usr/bin/env python
"""How fast are the partner list page and the partners API on 100 000 partners? See benchmarks/README.md.

    .venv/bin/python benchmarks/partner_list.py [--requests 50] [--partners 100000] [--server gunicorn]

Works on its own database (a SQLite file under /tmp by default, or $DATABASE_URL) and its own var/
directory, so the development database is never touched. The database is kept between runs: the second
run skips populating it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = Path("/tmp/sdelka-bench")
BENCH_PASSWORD = "bench-password-42"
TOKEN_URL = "/api/v1/auth/token/"
API_URL = "/api/v1/partners/"
PAGE_FALLBACK_URL = "/partners/"
SEARCH = "Гидро"  # a word in about one in twenty generated names


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case and user (50)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first, per case and user (3)")
    parser.add_argument("--partners", type=int, default=100_000, help="partners in the database (100000)")
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=DEFAULT_VAR_DIR,
        help=f"SDELKA_VAR_DIR of the benchmark: secret key, static files, SQLite file ({DEFAULT_VAR_DIR})",
    )
    parser.add_argument(
        "--server",
        choices=("gunicorn", "client"),
        default="gunicorn",
        help="time through a real gunicorn on loopback (default) or Django's in-process test client",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="gunicorn workers (1: requests are sequential)"
    )
    parser.add_argument("--search", default=SEARCH, help=f"the search term (default {SEARCH!r})")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    return parser.parse_args()


def configure_environment(args: argparse.Namespace) -> dict[str, str]:
    """Point Django at the benchmark's own var/ dir and database, before anything imports settings."""
    args.var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SDELKA_VAR_DIR": str(args.var_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{args.var_dir / 'bench.sqlite3'}",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    return env


# --- database -------------------------------------------------------------------------------------------


def prepare_database(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sdelka.catalog.models import Product
    from sdelka.partners.models import Partner

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    # Pages use {% static %} with the manifest storage, which needs every file collected when DEBUG is off;
    # collectstatic copies only what changed.
    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_users()
    have = Partner.objects.count()
    if have >= args.partners:
        print(f"Partners: {have} already there, populate skipped")
        return
    started = time.monotonic()
    call_command(
        "populate",
        partners=str(args.partners - have),
        products=str(2000) if not Product.objects.exists() else None,
        seed="42",
        verbosity=0,
    )
    print(f"Partners: populated {args.partners - have} in {time.monotonic() - started:.1f} s")


BENCH_USERS = [
    # username, role, team; the measured ones are bench.manager, bench.head and bench.admin.
    ("bench.admin", "admin", None),
    ("bench.head", "head", "Bench A"),
    ("bench.head2", "head", "Bench B"),
    *[(f"bench.manager{n or ''}", "manager", "Bench A") for n in range(5)],
    *[(f"bench.manager{n}", "manager", "Bench B") for n in range(5, 10)],
]
MEASURED = {"manager": "bench.manager", "head": "bench.head", "admin": "bench.admin"}


def ensure_users() -> None:
    """Two teams of a head and five managers, and an administrator: scopes of about 17%, 55% and 100%."""
    from sdelka.accounts.models import User
    from sdelka.accounts.services import team_get_or_create, user_create

    existing = set(User.objects.filter(username__startswith="bench.").values_list("username", flat=True))
    for username, role, team in BENCH_USERS:
        if username not in existing:
            user_create(
                username=username,
                password=BENCH_PASSWORD,
                role=role,
                team=team_get_or_create(name=team) if team else None,
                validate_password=False,
            )


# --- cases -----------------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    path: str
    api: bool


def build_cases(search: str) -> list[Case]:
    from django.urls import NoReverseMatch, reverse

    from sdelka.partners.models import PartnerGroup

    try:
        page = reverse("partners:partner_list")
    except NoReverseMatch:
        page = PAGE_FALLBACK_URL
    group = PartnerGroup.objects.filter(parent=None).order_by("path").first()
    cases = [
        Case("page: list", page, api=False),
        Case(f"page: ?q={search}", f"{page}?{urlencode({'q': search})}", api=False),
    ]
    if group is not None:
        cases.append(
            Case(f"page: group “{group.name}”", f"{page}?{urlencode({'group': group.pk})}", api=False)
        )
    cases += [
        Case("api: list", API_URL, api=True),
        Case(f"api: ?search={search}", f"{API_URL}?{urlencode({'search': search})}", api=True),
        Case("api: ?ordering=-name", f"{API_URL}?ordering=-name", api=True),
        Case("api: ?page=100", f"{API_URL}?page=100", api=True),
    ]
    return cases


@dataclass
class Credentials:
    role: str
    username: str
    cookie: str
    token: str
    note: str = ""


def credentials(base_url_request) -> list[Credentials]:
    """A session cookie (made as force_login does) and an API token (from the token endpoint) per role."""
    from django.conf import settings
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from sdelka.accounts.models import User

    result = []
    for role, username in MEASURED.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        status, body = base_url_request(
            "POST",
            TOKEN_URL,
            body=json.dumps({"username": username, "password": BENCH_PASSWORD}),
            headers={"Content-Type": "application/json"},
        )
        note = ""
        try:
            token = json.loads(body)["token"] if status == 200 else ""
        except (ValueError, KeyError):
            token = ""
        if not token:
            token = Token.objects.get_or_create(user=user)[0].key
            note = f"POST {TOKEN_URL} answered {status}: token made directly"
        result.append(Credentials(role, username, cookie, token, note))
    return result


# --- transports ------------------------------------------------------------------------------------------


class GunicornServer:
    """gunicorn serving config.wsgi on a free loopback port, stopped on exit."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.log_path = log_path
        self.log = log_path.open("w")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {self.process.returncode}; see {log_path}")
            try:
                status, _body = self.request("GET", "/healthz/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer /healthz/ within 30 s; see {log_path}")

    def request(self, method: str, path: str, *, body: str | None = None, headers=None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, quote(path, safe="/?=&%+-_.~"), body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class InProcessClient:
    """Django's test client: no sockets, no server; same views, middleware and database."""

    def __init__(self):
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")

    def request(self, method: str, path: str, *, body: str | None = None, headers=None) -> tuple[int, bytes]:
        headers = headers or {}
        extra = {
            ("HTTP_" + k.upper().replace("-", "_")): v for k, v in headers.items() if k != "Content-Type"
        }
        if "Cookie" in headers:
            self.client.cookies.load(headers["Cookie"])
            extra.pop("HTTP_COOKIE")
        if method == "POST":
            response = self.client.post(path, data=body, content_type=headers.get("Content-Type"), **extra)
        else:
            response = self.client.get(path, **extra)
        self.client.cookies.clear()
        return response.status_code, response.content

    def stop(self) -> None:
        pass


# --- measuring -------------------------------------------------------------------------------------------


@dataclass
class Result:
    case: str
    role: str
    status: int
    timings_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    size: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[max(math.ceil(share * len(ordered)) - 1, 0)] if ordered else float("nan")


def auth_headers(case: Case, who: Credentials) -> dict[str, str]:
    if case.api:
        return {"Authorization": f"Token {who.token}", "Accept": "application/json"}
    return {"Cookie": who.cookie}


def count_queries(case: Case, who: Credentials) -> int:
    """SQL queries of one request, counted in-process (the server's queries are not visible from here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = InProcessClient()
    with CaptureQueriesContext(connection) as captured:
        client.request("GET", case.path, headers=auth_headers(case, who))
    return len(captured.captured_queries)


def measure(
    transport, cases: list[Case], people: list[Credentials], args: argparse.Namespace
) -> list[Result]:
    results = []
    for case in cases:
        for who in people:
            headers = auth_headers(case, who)
            status, body = 0, b""
            for _ in range(args.warmup):
                status, body = transport.request("GET", case.path, headers=headers)
            result = Result(case.name, who.role, status, size=len(body))
            if status == 200 or args.warmup == 0:
                for _ in range(args.requests):
                    started = time.perf_counter()
                    status, body = transport.request("GET", case.path, headers=headers)
                    result.timings_ms.append((time.perf_counter() - started) * 1000)
                result.status, result.size = status, len(body)
                result.queries = count_queries(case, who)
            results.append(result)
            print_row(result)
    return results


HEADER = f"{'case':<30} {'role':<8} {'status':>6} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4} {'bytes':>8}"


def print_row(result: Result) -> None:
    if not result.timings_ms:
        print(
            f"{result.case:<30} {result.role:<8} {result.status:>6}   — not measured (status {result.status})"
        )
        return
    print(
        f"{result.case:<30} {result.role:<8} {result.status:>6} {len(result.timings_ms):>4} "
        f"{result.percentile(0.5):>8.1f} {result.percentile(0.95):>8.1f} {max(result.timings_ms):>8.1f} "
        f"{result.queries if result.queries is not None else '?':>4} {result.size:>8}"
    )


def scope_sizes() -> str:
    from sdelka.accounts.models import User
    from sdelka.partners.models import Partner
    from sdelka.partners.selectors import partner_scope

    sizes = []
    for role, username in MEASURED.items():
        user = User.objects.get(username=username)
        sizes.append(f"{role} {Partner.objects.filter(partner_scope(user)).count()}")
    return ", ".join(sizes)


def main() -> None:
    args = parse_args()
    env = configure_environment(args)
    import django

    django.setup()
    prepare_database(args)
    print(f"Partners visible: {scope_sizes()}")
    if args.server == "gunicorn":
        transport: GunicornServer | InProcessClient = GunicornServer(
            env, args.workers, args.var_dir / "gunicorn.log"
        )
    else:
        transport = InProcessClient()
    try:
        people = credentials(transport.request)
        for who in people:
            if who.note:
                print(f"Note ({who.role}): {who.note}")
        cases = build_cases(args.search)
        where = (
            f"gunicorn, {args.workers} worker(s), port {transport.port}"
            if isinstance(transport, GunicornServer)
            else "Django test client, in-process"
        )
        print(
            f"\n{args.requests} requests per row after {args.warmup} warm-up ones; {where}; SQL = queries per request\n"
        )
        print(HEADER)
        results = measure(transport, cases, people, args)
    finally:
        transport.stop()
    failed = sorted({f"{r.case} ({r.status})" for r in results if r.status != 200})
    if failed:
        print(
            f"\nNot measured: {', '.join(failed)}. A 404 means the endpoint is not there yet "
            "(or, for ?page=N, that there are fewer pages); a 302 means the login was refused."
        )
    if args.server == "gunicorn":
        print(f"gunicorn's log: {args.var_dir / 'gunicorn.log'}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "case": r.case,
                        "role": r.role,
                        "status": r.status,
                        "n": len(r.timings_ms),
                        "p50_ms": round(r.percentile(0.5), 2) if r.timings_ms else None,
                        "p95_ms": round(r.percentile(0.95), 2) if r.timings_ms else None,
                        "max_ms": round(max(r.timings_ms), 2) if r.timings_ms else None,
                        "queries": r.queries,
                        "bytes": r.size,
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
