"""``python -m cx serve --workers 2 --port 8080``: several app processes behind nginx.

Starts ``--workers`` Streamlit processes of ``app.py`` on free loopback ports and
Debian's nginx in front of them on ``--host:--port``, as the current user, with its
configuration, logs and temporary files in a fresh temporary folder (``nginx -p``).

* **Sticky sessions**: a Streamlit session lives in one process (its websocket and its
  session state), so every browser stays with one process: the first response sets a
  cookie ``cx_worker`` and nginx hashes it (``hash ... consistent``) to pick the
  process. ``ip_hash`` would send every visitor behind one office router to the same
  process.
* **WebSocket**: ``/_stcore/stream`` is proxied with the ``Upgrade`` headers, and long
  timeouts (a page open all day).
* **One writer**: uploads (the Upload page of any process, or ``python -m cx ingest``)
  write the one DuckDB file; each process reads it with short connections and gives the
  file back after every page run (:mod:`cx.ui`), so a writer waits at most a page run.
  Readers never wait for a long write: they read the copy it published before
  (:mod:`cx.db`), which ``start`` publishes first when the file has none.

Stops everything on Ctrl-C (or SIGTERM). ``--print-config`` shows the nginx
configuration without starting anything.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from cx import config

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRETS = ROOT / ".streamlit" / "secrets.toml"  # what the app processes (cwd ROOT) read
LOOPBACK = config.LOOPBACK


def _auth(secrets: Path) -> dict | None:
    """The ``[auth]`` section of ``secrets`` (None: no file, no section, not TOML)."""
    try:
        auth = tomllib.loads(secrets.read_text(encoding="utf-8")).get("auth")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return auth if isinstance(auth, dict) else None


def secrets_unreadable(secrets: Path) -> str | None:
    """A sentence refusing to start when ``secrets`` exists but cannot be read as TOML (one
    typo in it had started the app in open mode, where everyone is an admin, with the
    parser's complaint in an app log only)."""
    problem = config.toml_problem(secrets)
    if problem is None:
        return None
    return (
        f"refused: {secrets} cannot be read ({problem}); fix it first: the sign-in settings"
        " are in it."
    )


def port_taken(host: str, port: int) -> str | None:
    """A sentence when ``host``:``port`` cannot be listened on (nginx had failed in its own
    log while this waited two minutes for it, then ended with a traceback)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            return f"refused: {host}:{port} cannot be listened on ({exc.strerror}); choose another --port."
    return None


def open_to_network(secrets: Path, host: str) -> str | None:
    """A sentence refusing to listen on ``host`` when it is not loopback and sign-in is
    not configured: the app then runs in open mode, where everyone who reaches it is an
    admin (it had started on 0.0.0.0 without a word)."""
    if host in LOOPBACK or _auth(secrets) is not None:
        return None
    return (
        f"refused: sign-in is not configured ([auth] in {secrets}), so on {host} everyone"
        " who reaches the app would be an admin. Configure sign-in first (README, Sign-in),"
        " or serve on 127.0.0.1."
    )


def redirect_mismatch(secrets: Path, port: int, host: str = "127.0.0.1") -> str | None:
    """A sentence when sign-in's ``redirect_uri`` names a loopback address on another port
    than nginx's, or another loopback name than the one nginx is opened at (to a browser
    ``localhost`` and ``127.0.0.1`` are different sites: its sign-in cookie is not sent
    back, and signing in ends at 'Please sign in' again): the provider then sends people
    back past nginx, to a port nothing listens on (an installer followed the README and
    signed in to 'connection refused'). A public name is left alone: a proxy in front may
    well listen on another port."""
    auth = _auth(secrets) or {}
    uri = auth.get("redirect_uri")
    if not isinstance(uri, str):
        return None
    parts = urlsplit(uri)
    try:
        given = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # not a port at all: Streamlit's sign-in says so itself
        return None
    if parts.path.rstrip("/") != "/oauth2callback":  # ended at /?code=… and 'Please sign in'
        return (
            f"sign-in: redirect_uri in {secrets} is {uri}; its path must be /oauth2callback"
            " (Streamlit's sign-in answers there), registered so with the provider."
        )
    if parts.hostname in LOOPBACK and host not in LOOPBACK:
        return (
            f"sign-in: redirect_uri in {secrets} names {parts.hostname}, this machine as each"
            f" browser sees itself, but nginx listens on {host} for other machines: set it to"
            " the address people type (a name of this server), and register that."
        )
    if parts.hostname not in LOOPBACK:
        return None
    if parts.scheme == "https":  # nginx here speaks plain HTTP on loopback
        return (
            f"sign-in: redirect_uri in {secrets} is {uri}, but nginx serves plain http on"
            f" {host}:{port}; use http:// there, or put a TLS proxy in front and name its"
            " address."
        )
    if given != port:
        name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # IPv6
        want = f"{parts.scheme}://{name}:{port}{parts.path}"
        return (
            f"sign-in: redirect_uri in {secrets} is {uri}, but nginx listens on port {port};"
            f" set it to {want}, register that with the provider, and open the app at that"
            " same host and port."
        )
    if host in LOOPBACK and parts.hostname != host:
        name = f"[{host}]" if ":" in host else host
        return (
            f"sign-in: redirect_uri in {secrets} names {parts.hostname}, but this prints"
            f" the app's address as {name}; to a browser they are different sites, and"
            f" signing in at http://{name}:{port} ends back at 'Please sign in'. Open the"
            f" app at http://{parts.hostname}:{port}, or set redirect_uri to"
            f" {parts.scheme}://{name}:{port}{parts.path} and register that with the provider."
        )
    return None


def app_env() -> dict[str, str]:
    """The app processes' environment: this one, with one DuckDB thread per process
    unless ``CX_THREADS`` is set (README: the processes share the cores, and a page's
    queries are too small for a second thread)."""
    return {"CX_THREADS": "1", **os.environ}


def app_command(port: int, extra: tuple[str, ...] = ()) -> list[str]:
    """``streamlit run app.py`` on loopback at ``port`` (``extra``: more options)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *extra,
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(folder: Path, host: str, port: int, backends: list[int]) -> str:
    """The nginx configuration: sticky by cookie, WebSocket upgrade, files under ``folder``."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backends)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    # paths without their query: an address carries a planner's plan (names, a store's
    # figures) and the sidebar's choices, which a log kept for months should not
    log_format cx_paths '$remote_addr [$time_local] "$request_method $uri $server_protocol" '
                        '$status $body_bytes_sent';
    access_log {folder / "access.log"} cx_paths;
{temp}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # the visitor's process: the cookie, or a new key for a first visit
    map $cookie_cx_worker $cx_worker {{ "" $request_id; default $cookie_cx_worker; }}
    upstream cx_app {{
        hash $cx_worker consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        client_max_body_size 1024m;
        location / {{
            proxy_pass http://cx_app;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 86400s;
            proxy_send_timeout 86400s;
            proxy_buffering off;
            add_header Set-Cookie "cx_worker=$cx_worker; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def _wait_http(url: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


class Cluster:
    """The app processes and nginx; :meth:`stop` ends exactly these processes."""

    def __init__(
        self, workers: int, host: str, port: int, folder: Path, kept: bool = False
    ) -> None:
        self.folder = folder
        self.kept = kept  # a folder of the person's: its logs are added to, not replaced
        self.host, self.port = host, port
        self.backends = [free_port() for _ in range(workers)]
        self.procs: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _app(self, i: int, mode: str = "wb") -> subprocess.Popen:
        log = (self.folder / f"app{i}.log").open("ab" if self.kept else mode)
        return subprocess.Popen(
            app_command(self.backends[i]), cwd=ROOT, env=app_env(), stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def start(self, timeout: float = 120) -> Cluster:
        from cx import db

        db.ensure_snapshot()  # the readers' copy exists before the first upload
        for i in range(len(self.backends)):
            self.procs.append(self._app(i))
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / name).mkdir(exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(nginx_config(self.folder, self.host, self.port, self.backends))
        self.procs.append(
            subprocess.Popen(
                [NGINX, "-p", str(self.folder), "-c", str(conf)],
                stdout=(self.folder / "nginx.out").open("ab" if self.kept else "wb"),
                stderr=subprocess.STDOUT,
            )
        )
        try:
            for port in self.backends:
                _wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout)
            _wait_http(f"{self.url}/_stcore/health", timeout)
        except TimeoutError:
            self.stop()
            raise
        return self

    def watch(self, pause: float = 1.0, again_within: float = 30.0) -> str:
        """Keep the app processes running until nginx stops or one app process stops
        again within ``again_within`` seconds of being started again; the sentence why.
        One app process that stopped (killed, out of memory) had ended the whole site;
        nginx sends its people to the others while it starts again."""
        started = [time.monotonic()] * len(self.backends)
        while True:
            time.sleep(pause)
            if self.procs[-1].poll() is not None:
                return f"nginx stopped; see {self.folder / 'nginx.out'}"
            for i, proc in enumerate(self.procs[:-1]):
                if proc.poll() is None:
                    continue
                log = self.folder / f"app{i}.log"
                if time.monotonic() - started[i] < again_within:
                    return f"app process {i} stopped again (exit {proc.returncode}); see {log}"
                print(
                    f"app process {i} stopped (exit {proc.returncode}); starting it again"
                    f" (see {log})",
                    file=sys.stderr,
                    flush=True,
                )
                self.procs[i] = self._app(i, "ab")
                started[i] = time.monotonic()

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()


def main(argv: list[str] | None = None) -> int:
    from cx.cli import OneLineParser, whole_number

    p = OneLineParser(prog="python -m cx serve")
    p.add_argument(
        "--workers",
        type=whole_number(1, "cli.arg.whole"),
        default=2,
        help="app processes",
    )
    p.add_argument("--port", type=whole_number(1, "cli.arg.port", 65535), default=8080)
    p.add_argument("--host", default="127.0.0.1", help="where nginx listens")
    p.add_argument("--db", help="the database file (default: $CX_DB or data/cx.duckdb)")
    p.add_argument(
        "--logs",
        help="the folder for nginx's configuration and every log, kept across starts"
        " (default: a new folder in the system's temporary folder at every start)",
    )
    p.add_argument("--print-config", action="store_true")
    args = p.parse_args(argv)
    database = config.db_path(args.db).resolve()  # the app processes run in the project
    # folder: a relative path had named one file to this process and another to them
    refused = secrets_unreadable(SECRETS) or open_to_network(SECRETS, args.host)
    if not refused and args.db and not database.exists():  # a typo had the app processes
        # build a demo there on their first page
        refused = f"refused: no database at {args.db}"
    if not refused and not args.print_config:
        refused = port_taken(args.host, args.port)
    if not refused and not Path(NGINX).exists():
        refused = "refused: nginx is not installed (Debian: apt-get install nginx)."
    if refused:
        print(refused, file=sys.stderr)
        return 2
    mismatch = redirect_mismatch(SECRETS, args.port, args.host)
    if mismatch:
        print(mismatch, file=sys.stderr)
    if args.logs:
        folder = Path(args.logs).resolve()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(
                f"refused: the folder {args.logs} cannot be made ({exc.strerror})", file=sys.stderr
            )
            return 2
    else:
        folder = Path(tempfile.mkdtemp(prefix="cx-serve-"))
    os.environ["CX_DB"] = str(database)  # this process's snapshot and the app processes'
    cluster = Cluster(args.workers, args.host, args.port, folder, kept=bool(args.logs))
    if args.print_config:
        print(nginx_config(folder, args.host, args.port, cluster.backends))
        if not args.logs:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(
            f"cx-dashboard on {cluster.url} ({args.workers} app processes, nginx; logs in {folder})",
            flush=True,  # a script waiting for this line reads it at once
        )
        print(cluster.watch(), "; stopping", file=sys.stderr, sep="")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()
