"""Paths and settings, read from the environment so the CLI, the app and tests agree."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "cx.duckdb"


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The DuckDB file: ``--db`` beats ``CX_DB`` beats ``data/cx.duckdb``."""
    if override:
        return Path(override)
    env = os.environ.get("CX_DB")
    return Path(env) if env else DEFAULT_DB


def lock_timeout() -> float:
    """Seconds a writer or reader waits for a busy database file before giving up."""
    try:
        return float(os.environ.get("CX_LOCK_TIMEOUT", "60"))
    except ValueError:
        return 60.0


def current_user() -> str:
    """Who is acting, for audit columns (``CX_USER``, else the OS user)."""
    return os.environ.get("CX_USER") or os.environ.get("USER") or "analyst"


def show_personal_data() -> bool:
    """Whether phones and names are shown unmasked (``CX_SHOW_PII=1``); off by default."""
    return os.environ.get("CX_SHOW_PII", "") in {"1", "true", "yes"}


def memory_limit() -> str:
    """DuckDB's memory limit for this process (``CX_MEMORY_LIMIT``, default 1GB).

    Bounded so a large upload spills its temporary tables to disk instead of growing
    the app's memory on a shared server.
    """
    return os.environ.get("CX_MEMORY_LIMIT", "1GB")
