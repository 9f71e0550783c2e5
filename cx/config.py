"""Paths and settings, read from the environment so the CLI, the app and tests agree."""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "cx.duckdb"


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The DuckDB file: ``--db`` beats ``CX_DB`` beats ``data/cx.duckdb``."""
    if override:
        return Path(override)
    env = os.environ.get("CX_DB")
    return Path(env) if env else DEFAULT_DB


LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
"""The names of this machine to its own browser (two different sites to it)."""


def toml_problem(path: Path) -> Exception | None:
    """Why the TOML file ``path`` cannot be read (None: it reads, or there is none). The
    app and ``cx serve`` ask it of the secrets file: one typo there had Streamlit read no
    secrets at all, and the app ran in open mode."""
    import tomllib

    try:
        tomllib.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return exc
    return None


def lock_timeout() -> float:
    """Seconds a writer or reader waits for a busy database file before giving up."""
    try:
        return float(os.environ.get("CX_LOCK_TIMEOUT", "60"))
    except ValueError:
        return 60.0


def current_user() -> str:
    """Who is acting, for audit columns (``CX_USER``, else the OS user: from ``USER``,
    else the account the process runs as, which cron, systemd and containers give where
    they set no ``USER``; 'analyst' only when neither can be read)."""
    import getpass

    try:
        return os.environ.get("CX_USER") or getpass.getuser() or "analyst"
    except (OSError, KeyError):  # no USER/LOGNAME and no account entry for the uid
        return "analyst"


def show_personal_data() -> bool:
    """Whether phones and names are shown unmasked (``CX_SHOW_PII=1``); off by default."""
    return os.environ.get("CX_SHOW_PII", "") in {"1", "true", "yes"}


def memory_limit() -> str:
    """DuckDB's memory limit for this process (``CX_MEMORY_LIMIT``, default 1GB).

    Bounded so a large upload spills its temporary tables to disk instead of growing
    the app's memory on a shared server.
    """
    return os.environ.get("CX_MEMORY_LIMIT", "1GB")


_UNITS = {
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "TB": 1000**4,
    "KIB": 1024,
    "MIB": 1024**2,
    "GIB": 1024**3,
    "TIB": 1024**4,
}


def memory_limit_bytes() -> int | None:
    """:func:`memory_limit` in bytes (None: not a size, e.g. a percentage)."""
    text = memory_limit().strip().upper().replace(" ", "")
    number = text.rstrip("KMGTIB")
    unit = text[len(number) :] or "B"
    try:
        return int(float(number) * _UNITS[unit])
    except (KeyError, ValueError):
        return None


def duckdb_threads() -> int | None:
    """Threads of each DuckDB connection (``CX_THREADS``; unset or not a whole number
    above 0: DuckDB's default, one per core). Where several processes share few cores
    (app processes behind nginx, a test run's workers) one each spares the cores the
    threads' hand-offs: a small database's queries took a tenth less CPU on one thread."""
    try:
        threads = int(os.environ.get("CX_THREADS", ""))
    except ValueError:
        return None
    return threads if threads > 0 else None


def duckdb_settings() -> dict[str, object]:
    """The settings every DuckDB connection of the app opens with: the memory limit and
    threads above, and no extension fetched or loaded on demand (no network, ever)."""
    settings: dict[str, object] = {
        "memory_limit": memory_limit(),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    threads = duckdb_threads()
    if threads is not None:
        settings["threads"] = threads
    return settings


def _int_setting(name: str, default: int, least: int = 1) -> int:
    """The whole number ``name`` sets, else ``default``: also for one below ``least``
    (``CX_MAX_UPLOAD_MB=0`` had refused every file, however small, as over "the limit of
    0 MB"), with a warning in the log, as a time zone DuckDB does not know gets."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        logging.getLogger(__name__).warning(
            "%s %r is not a whole number of at least %d; %d is used", name, text, least, default
        )
        return default
    return value


def max_columns() -> int:
    """Most columns an export may have (``CX_MAX_COLUMNS``, default 500); wider is refused."""
    return _int_setting("CX_MAX_COLUMNS", 500)


def max_upload_mb() -> int:
    """Largest file ``cx.ingest`` reads, in MB (``CX_MAX_UPLOAD_MB``, default 2048)."""
    return _int_setting("CX_MAX_UPLOAD_MB", 2048)


def xlsx_max_unzipped_mb() -> int:
    """Largest unpacked size of an .xlsx, in MB (``CX_XLSX_MAX_MB``, default 500)."""
    return _int_setting("CX_XLSX_MAX_MB", 500)


def date_window_start() -> date:
    """The earliest plausible ``responded_at`` (``CX_DATE_FROM``, default 2000-01-01)."""
    try:
        return date.fromisoformat(os.environ.get("CX_DATE_FROM", "2000-01-01"))
    except ValueError:
        return date(2000, 1, 1)


def date_window_ahead_days() -> int:
    """How many days after the upload a ``responded_at`` may lie (``CX_DATE_AHEAD_DAYS``, 1)."""
    return _int_setting("CX_DATE_AHEAD_DAYS", 1, least=0)


DEFAULT_TIMEZONE = "Asia/Shanghai"


def timezone() -> str:
    """The stores' time zone (``CX_TIMEZONE``, an IANA name, default Asia/Shanghai): a time
    an export writes with its zone (``+08:00``, ``Z``) is stored as this zone's local time,
    as every other time is. A name DuckDB's time zones (ICU) do not hold gives the default
    and a warning in the log (a name only the system knew, such as 'localtime', had made
    every upload with a bad date cell stop)."""
    name = os.environ.get("CX_TIMEZONE", "").strip() or DEFAULT_TIMEZONE
    return name if _known_zone(name) else DEFAULT_TIMEZONE


def local_now() -> datetime:
    """The stores' clock (:func:`timezone`), without a zone, as every stored time is: the
    callback queue's deadlines, an upload's and a change's time. The server's own clock
    is often UTC (a container, a cloud machine): read there, a detractor answered at
    09:00 in Hangzhou was due 8 hours late."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return datetime.now(ZoneInfo(timezone())).replace(tzinfo=None)
    except (ZoneInfoNotFoundError, ValueError):  # no time zone data on this system
        return datetime.now()


@functools.lru_cache(maxsize=8)
def _known_zone(name: str) -> bool:
    import duckdb

    never = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    with duckdb.connect(config=never) as con:  # ICU is built in: nothing is fetched
        known = con.execute("SELECT count(*) FROM pg_timezone_names() WHERE name = ?", [name])
        found = bool(known.fetchall()[0][0])
    if not found:
        logging.getLogger(__name__).warning(
            "CX_TIMEZONE %r is not a time zone DuckDB knows; %s is used", name, DEFAULT_TIMEZONE
        )
    return found


def temp_root() -> Path:
    """Where uploads keep their temporary files (``CX_TMP``, default <system temp>/cx-dashboard).

    Each process works in its own ``p<pid>`` folder inside; a folder whose process is
    gone is removed when the app or the command line starts.
    """
    env = os.environ.get("CX_TMP")
    return Path(env) if env else Path(tempfile.gettempdir()) / "cx-dashboard"


def start_empty() -> bool:
    """Whether a first start creates an empty database instead of the demo
    (``CX_START_EMPTY=1``; ``CX_DEMO=0`` means the same)."""
    return os.environ.get("CX_START_EMPTY", "") in {"1", "true", "yes"} or os.environ.get(
        "CX_DEMO", ""
    ) in {"0", "false", "no"}


def check_loads() -> bool:
    """Whether each cached load marked :func:`cx.queries.no_followups` runs with the
    follow-up tables hidden (``CX_CHECK_LOADS``; the test suite sets it: 1.7 ms a load)."""
    return os.environ.get("CX_CHECK_LOADS", "") in {"1", "true", "yes"}
