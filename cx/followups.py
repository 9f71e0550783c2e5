"""The callback queue's rules and writes: deadlines, the queue's clock, status changes.

Every answer gets a follow-up deadline from when it arrived (``responded_at``):
detractors 24 h, passives 3 days, promoters 7 days. A manager moves a follow-up
through ``open -> contacted -> resolved`` (or ``unreachable``), with an owner, a note
and, on resolving, a root cause (a pain point). Each change is written to
``followups`` (the current state) and appended to ``followup_log`` (who, when) in one
transaction that also bumps the data version, so every page sees it at once.

No streamlit here: the functions take an open DuckDB connection.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import duckdb
import numpy as np
import pandas as pd

from cx import config, db, painpoints, rules
from cx.enums import PAIN_POINTS, TOUCHPOINTS, label
from cx.frames import map_distinct
from cx.i18n import GAP, t
from cx.privacy import mask_frame

STATUSES = ("open", "contacted", "resolved", "unreachable")
"""Follow-up states; an answer without a ``followups`` row is ``open``."""
CLOSED = ("resolved", "unreachable")
"""States that take an answer out of the queue."""
DONE = ("contacted", "resolved", "unreachable")
"""States that stop an answer's clock: a callback was made (the queue's overdue and due)."""
REACHED = ("contacted", "resolved")
"""States of a callback that reached the customer (the weekly report's on time and late;
one tried and not reached counts apart, as unreachable)."""

DEADLINE_HOURS = {"detractor": 24, "passive": 72, "promoter": 168}
"""Hours from ``responded_at`` to the follow-up deadline, by NPS segment."""

STALE_AFTER = timedelta(days=2)
"""When the latest answer is older than this, the database is a demo or stale copy."""

QUEUE_WINDOW_DAYS = 14
"""The queue holds answers from the last this-many days before 'now'."""


def is_overdue(status, hours_left):
    """Overdue: past the deadline and not yet contacted, resolved or unreachable (still
    ``open``). The one rule of the queue, the board's counts and the alerts; works on
    scalars and on pandas Series alike."""
    return (status == "open") & (hours_left < 0)


def overdue_sql(status: str, deadline: str, now: str) -> str:
    """:func:`is_overdue` as a SQL condition over a status column, a deadline column and
    the moment ``now`` (a bound parameter, ``?``): hours left < 0 is deadline < now."""
    return f"({status} = 'open' AND {deadline} < {now})"


def deadline(responded_at: datetime, score: int) -> datetime:
    """When the follow-up of an answer is due."""
    return responded_at + timedelta(hours=DEADLINE_HOURS[rules.segment(score)])


AS_THEY_ARE = datetime(9999, 12, 31, 23, 59, 59)
"""A moment after every change: follow-ups read "as they stood then" at it are as they are."""


def queue_now(
    latest_answer: datetime | None, real_now: datetime | None = None
) -> tuple[datetime, bool]:
    """The clock of the callback queue: ``(now, is_stale)``.

    Real time (to the minute, so cached queries can be reused), unless the latest answer in the database is more than
    :data:`STALE_AFTER` older than real time (a demo or stale database): then the end
    of the latest answer's day, so the queue shows the work as it stood then, and
    ``is_stale`` is True (the page says so).
    """
    real = (real_now or config.local_now()).replace(second=0, microsecond=0)
    if latest_answer is None:
        return real, False
    latest = (
        latest_answer
        if isinstance(latest_answer, datetime)
        else datetime.fromisoformat(str(latest_answer))
    )
    if real - latest > STALE_AFTER:
        return datetime.combine(latest.date(), time(23, 59, 59)), True
    return real, False


def as_of(day, now: datetime, latest_day=None) -> datetime:
    """The board's "as of" moment for a chosen day: the end of that day, or ``now`` when
    the day has not ended yet (today) or is the latest day with answers (``latest_day``,
    the scope's). Nothing after it is listed or counted.

    The latest day is worked as of now: at 8:30 the answers end yesterday, and the board
    opens on yesterday; read as of its end, the queue was a look back, read only, and a
    manager could record no callback all morning (no answer comes after that day to
    leave out, so only the deadlines and the callbacks' states move to now)."""
    if _worked_now(day, now, latest_day):
        return now
    return min(now, datetime.combine(day, time(23, 59, 59)))


def moment(day, clock: datetime, latest_day=None) -> tuple[datetime, bool]:
    """The board of ``day``'s moment (:func:`as_of`) and whether it looks back (an earlier
    moment than ``clock``: follow-ups as they stood then, read only). The board's view and
    the digest count at it."""
    now = as_of(day, clock, latest_day)
    return now, now < clock


def _worked_now(day, now: datetime, latest_day) -> bool:
    """``day`` is the scope's latest day with answers and recent enough for its callbacks
    to be worked (within the queue's window of ``now``): a store whose answers stopped
    weeks ago is looked back at, not shown an empty queue of today's window."""
    if latest_day is None or day < latest_day:
        return False
    return latest_day > (now - timedelta(days=QUEUE_WINDOW_DAYS)).date()


def board_clock(day, now: datetime, latest_day=None) -> datetime:
    """The clock a board of ``day`` depends on: ``now`` while the day lasts or when it
    is the latest day with answers (:func:`as_of`), else the first moment after it. A
    day that has ended reads the same (its :func:`as_of` moment, looking back) at any
    later clock, so its board is cached once for the day instead of once a minute: the
    network's board the morning after took 0.4 s at 10 million answers, each minute,
    for every scope."""
    if _worked_now(day, now, latest_day):
        return now
    return min(now, datetime.combine(day + timedelta(days=1), time(0)))


def current(con: duckdb.DuckDBPyConnection, response_id: str) -> dict:
    """The follow-up state of one answer (``status`` 'open' when none is stored)."""
    rows = con.execute(
        "SELECT status, owner, note, root_cause, updated_at, updated_by FROM followups"
        " WHERE response_id = ?",
        [response_id],
    ).fetchall()
    keys = ["status", "owner", "note", "root_cause", "updated_at", "updated_by"]
    if not rows:
        return dict.fromkeys(keys) | {"status": "open"}
    return dict(zip(keys, rows[0], strict=True))


def set_followup(
    con: duckdb.DuckDBPyConnection,
    response_id: str,
    status: str,
    owner: str | None = None,
    note: str | None = None,
    root_cause: str | None = None,
    user: str | None = None,
    at: datetime | None = None,
) -> int:
    """Store a follow-up change (state + audit log) and bump the data version (not the
    base version: :func:`cx.db.data_versions`).

    Raises ValueError for an unknown response, status or root cause, and when a
    follow-up is resolved without a root cause. Returns the new data version, or None
    when the follow-up is already as given: nothing is written (a double tap on a card
    or on Save had logged the same change twice).
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    root_cause = root_cause or None
    if root_cause is not None and root_cause not in PAIN_POINTS:
        raise ValueError(f"unknown root cause {root_cause!r}")
    if status == "resolved" and root_cause is None:
        raise ValueError("a resolved follow-up needs a root cause")
    owner = (owner or "").strip() or None
    note = (note or "").strip() or None
    user = user or config.current_user()
    at = (at or config.local_now()).replace(microsecond=0)
    with db.transaction(con):
        answer = con.execute(
            "SELECT responded_at, store_id, nps FROM responses WHERE response_id = ?",
            [response_id],
        ).fetchall()
        if not answer:
            raise ValueError(f"unknown response {response_id!r}")
        values = [response_id, status, owner, note, root_cause, at, user]
        first = con.execute(
            "SELECT first_at, status, owner, note, root_cause FROM followups WHERE response_id = ?",
            [response_id],
        ).fetchall()
        stored = tuple(first[0][1:]) if first else ("open", None, None, None)
        if stored == (status, owner, note, root_cause):
            return None
        con.execute(
            "INSERT OR REPLACE INTO followups (response_id, status, owner, note, root_cause,"
            " updated_at, updated_by, answered_at, store_id, nps, first_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*values, *answer[0], min(at, first[0][0] or at) if first else at],
        )
        con.execute("INSERT INTO followup_log VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        version = db.bump_data_version(con, followup=True)
        con.execute(  # the store's boards are computed again, no other store's
            "INSERT OR REPLACE INTO followup_versions VALUES (?, ?)", [answer[0][1], version]
        )
        return version


def undo_tap(
    con: duckdb.DuckDBPyConnection,
    response_id: str,
    before: dict,
    tapped: dict,
    user: str | None = None,
) -> bool:
    """Put a follow-up back as it was ``before`` a card's tap, unless it changed since
    the tap left it ``tapped`` (a colleague's later change is kept): read and written on
    the one connection that holds the file. True when undone."""
    now = current(con, response_id)
    if (now["status"], now["updated_at"]) != (tapped["status"], tapped["updated_at"]):
        return False
    set_followup(
        con,
        response_id,
        before["status"],
        before.get("owner"),
        before.get("note"),
        before.get("root_cause"),
        user=user,
    )
    return True


def history(con: duckdb.DuckDBPyConnection, response_id: str):
    """Every stored change of one follow-up, oldest first (a DataFrame)."""
    return con.execute(
        "SELECT status, owner, note, root_cause, changed_at, changed_by FROM followup_log"
        " WHERE response_id = ? ORDER BY changed_at, rowid",
        [response_id],
    ).df()


# --------------------------------------------------------------------------- display


def time_left_text(hours: float, lang: str) -> str:
    """'3 h left' / 'overdue 1 d 2 h' (whole hours, rounded toward the deadline)."""
    total = int(abs(hours))
    days, rest = divmod(total, 24)
    span = (
        t("board.cb.span_dh", lang, d=days, h=rest) if days else t("board.cb.span_h", lang, h=rest)
    )
    return (
        t("board.cb.left", lang, span=span)
        if hours >= 0
        else t("board.cb.overdue", lang, span=span)
    )


def due_text(hours: float, status: str, lang: str) -> str:
    """The deadline as a person reads it: time left or overdue while the callback is open;
    once contacted (or closed) the deadline no longer runs: '—'."""
    return time_left_text(hours, lang) if status == "open" else GAP


def due_texts(hours: pd.Series, status: pd.Series, lang: str, gap: str = GAP) -> np.ndarray:
    """:func:`due_text` of every row, each text made once: it depends only on the side of
    the deadline and the whole hours (a national queue: 300,000 rows, a few thousand
    texts); ``gap`` for a callback no longer to make."""
    out = np.full(len(hours), gap, dtype=object)
    open_ = (status == "open").to_numpy(dtype=bool, na_value=False)
    if open_.any():
        h = hours.to_numpy(dtype=float)[open_]
        key = np.trunc(np.abs(h)) * 2 + (h < 0)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        texts = np.array([time_left_text(h[i], lang) for i in first], dtype=object)
        out[open_] = texts[inverse.reshape(-1)]
    return out


def _shown(value: object, gap: str = GAP) -> str:
    """Text from data as shown: missing values are ``gap`` (never nan / None)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return gap
    text = str(value).strip()
    return text or gap


def _enum(enum: dict, key: object, lang: str, gap: str = GAP) -> str:
    return gap if _shown(key) == GAP else label(enum, key, lang)


def display_queue(frame: pd.DataFrame, lang: str, gap: str = GAP) -> pd.DataFrame:
    """The queue as people read it: translated labels, masked phone, time left, ``gap``
    for anything missing ('—' on the page; the CSV's empty cells, which a spreadsheet's
    filter for blanks finds); each row's segment singular, as its card says it."""
    out = mask_frame(frame)
    shown = {
        "response_id": out["response_id"],
        "store_id": out["store_id"],
        "responded_at": out["responded_at"].dt.strftime("%Y-%m-%d %H:%M"),
        "nps": out["nps"].astype(int),
        "segment": map_distinct(out["segment"], lambda s: t(f"board.cb.segment.{s}", lang)),
        "time_left": due_texts(out["hours_left"], out["status"], lang, gap),
        "status": map_distinct(out["status"], lambda s: t(f"board.status.{s}", lang)),
        "key_touchpoint": map_distinct(
            out["key_touchpoint"], lambda s: _enum(TOUCHPOINTS, s, lang, gap)
        ),
        "pain_point": painpoints.reason_shown(out, lang, gap),
        **{
            c: map_distinct(out[c], lambda v: _shown(v, gap))
            for c in ("comment", "advisor", "phone", "owner", "note")
        },
    }
    table = pd.DataFrame(shown)
    return table.rename(columns={c: t(f"board.cb.col.{c}", lang) for c in table.columns})
