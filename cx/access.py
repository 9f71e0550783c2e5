"""Who may see and do what: grants, the person, scoped reads, checked and audited writes.

The one enforcement point for the app, the CLI and the digest (no streamlit here):

- **Grants** live in the ``access_grants`` table: one row per (email, role[, store |
  region]). Roles: ``admin`` (everything, manages access), ``analyst`` (all stores,
  uploads and undo), ``region`` (the stores of their regions), ``store`` (their
  stores: board, callbacks, targets), ``trainer`` (the planner and its scenarios,
  read-only data). One person may hold several grants; they add up.
- A :class:`Person` is resolved from the grants (:func:`resolve`). Open mode (no
  sign-in configured) is a person with every role, named ``open mode``.
- **Reads** go through :func:`apply_scope`: for a person limited to some stores it
  puts temporary views in front of every table that holds store data, so *any* query
  on that connection sees only those stores — a page, a cached loader or a URL
  parameter cannot reach past it.
- **Writes** go through :func:`perform`: the function must be registered in
  :data:`WRITES` (unknown writes are refused), the person must hold its capability
  and see the store it touches; the function runs with ``user=`` the person, and the
  action is written to ``audit_log``.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from cx import config, db, i18n, privacy
from cx.enums import PAIN_POINTS, label

ROLES: tuple[str, ...] = ("admin", "analyst", "region", "store", "trainer")
NETWORK_ROLES = frozenset({"admin", "analyst", "trainer"})  # roles that see every store
OPEN_MODE = "open mode"

# Capability -> the roles that hold it.
CAPABILITIES: dict[str, frozenset[str]] = {
    "data.read": frozenset(ROLES),
    "access.manage": frozenset({"admin"}),
    "upload": frozenset({"admin", "analyst"}),
    "audit.view": frozenset({"admin", "analyst"}),
    # a customer's contact details, one answer at a time on the callback form, audited: for
    # whoever calls them back (a store's or region's manager, within their stores) too
    "pii.reveal": frozenset({"admin", "analyst", "region", "store"}),
    "callbacks.edit": frozenset({"admin", "analyst", "region", "store"}),
    "targets.edit": frozenset({"admin", "analyst", "region", "store"}),
    "scenarios.save": frozenset({"admin", "trainer"}),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Forbidden(PermissionError):
    """The person may not do this; ``key`` is the text key of the sentence to show."""

    def __init__(self, key: str, **fmt: object) -> None:
        super().__init__(key)
        self.key = key
        self.fmt = fmt


@dataclass(frozen=True)
class Person:
    """A signed-in person (or open mode) with what their grants add up to.

    ``stores`` is ``None`` when the person sees the whole network, else the store ids
    they may see (possibly empty). ``regions`` are the regions of their region grants.
    """

    email: str | None
    roles: frozenset[str] = frozenset()
    stores: frozenset[str] | None = frozenset()
    regions: tuple[str, ...] = ()
    open_mode: bool = False

    @property
    def who(self) -> str:
        """What the audit log records: the email, or ``open mode``."""
        return self.email or OPEN_MODE

    @property
    def has_access(self) -> bool:
        return bool(self.roles)

    @property
    def network(self) -> bool:
        """Sees every store."""
        return self.stores is None

    def can(self, capability: str) -> bool:
        return bool(self.roles & CAPABILITIES[capability])

    def sees(self, store_id: str | None) -> bool:
        return self.stores is None or (store_id is not None and store_id in self.stores)

    def require(self, capability: str, store_id: str | None = None) -> None:
        """Raise :class:`Forbidden` unless the person has ``capability`` (for ``store_id``)."""
        if not self.can(capability):
            raise Forbidden("access.denied.role")
        if store_id is not None and not self.sees_target(store_id):
            raise Forbidden("access.denied.store", store=store_id)

    def sees_no_store(self) -> bool:
        """No grant, or grants whose regions hold no store: every read is empty."""
        return self.stores is not None and not self.stores

    def sees_target(self, store_id: str) -> bool:
        """A target key: a store id, ``'*'`` (the network) or ``'region:X'``."""
        if self.stores is None:
            return True
        if store_id.startswith("region:"):
            return store_id[len("region:") :] in self.regions
        return store_id in self.stores


def open_person() -> Person:
    """The person of open mode: one machine, no sign-in, every role."""
    return Person(email=None, roles=frozenset(ROLES), stores=None, open_mode=True)


def normalise_email(email: str) -> str:
    """An email as it is kept and matched: full-width characters as ASCII (NFKC), without
    invisible format characters (an address copied from the page's own sentence carried
    a word joiner after its @ and made a second person), trimmed, lower-case."""
    text = unicodedata.normalize("NFKC", email or "")
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip().lower()


# --------------------------------------------------------------------------- grants


def grants(con: duckdb.DuckDBPyConnection, email: str | None = None) -> pd.DataFrame:
    """All grants (or one person's), by email and role."""
    sql = (
        "SELECT email, role, store_id, region, granted_at, granted_by FROM access_grants"
        " {where} ORDER BY email, role, store_id, region"
    )
    if email is None:
        return con.execute(sql.format(where="")).df()
    return con.execute(sql.format(where="WHERE email = ?"), [normalise_email(email)]).df()


def resolve(con: duckdb.DuckDBPyConnection, email: str | None) -> Person:
    """The person behind ``email`` with the stores their grants add up to."""
    email = normalise_email(email or "")
    if not email:
        return Person(email=None)
    rows = grants(con, email)
    # a role this version does not know (a row written by hand, 'manager' or 'Store')
    # gives nothing: it had counted as access to no page, which broke every page
    roles = frozenset(rows["role"]) & frozenset(ROLES)
    regions = tuple(sorted(set(rows.loc[rows["role"] == "region", "region"].dropna())))
    direct = tuple(sorted(set(rows.loc[rows["role"] == "store", "store_id"].dropna())))
    if roles & NETWORK_ROLES:
        stores = None
    else:
        stores = set(direct)
        if regions:
            marks = ", ".join("?" for _ in regions)
            found = con.execute(
                f"SELECT store_id FROM stores WHERE region IN ({marks})",  # noqa: S608 (placeholders only)
                list(regions),
            ).fetchall()
            stores |= {r[0] for r in found}
        stores = frozenset(stores)
    return Person(email=email, roles=roles, stores=stores, regions=regions)


class GrantRefused(ValueError):
    """A grant that cannot be given: ``str()`` is the command line's sentence (it names
    --store and --region), ``key`` and ``fmt`` the Access page's text (``access.refused.*``)
    in the reader's language."""

    def __init__(self, message: str, key: str, **fmt: object) -> None:
        super().__init__(message)
        self.key = key
        self.fmt = fmt


def grant(
    con: duckdb.DuckDBPyConnection,
    email: str,
    role: str,
    stores: Iterable[str] = (),
    regions: Iterable[str] = (),
    user: str | None = None,
) -> tuple[tuple[str | None, str | None], ...] | None:
    """Give ``email`` a role (a ``store`` role needs stores, a ``region`` role regions);
    returns the (store_id, region) pairs added, None when every one was held already
    (given again, it had been written anew, its time and giver replaced)."""
    from cx import db

    email = normalise_email(email)
    if not email:
        raise GrantRefused("no email address given", "access.refused.no_email")
    if not _EMAIL.match(email):
        raise GrantRefused(f"not an email address: {email!r}", "access.refused.email", email=email)
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    stores, regions = sorted(set(stores)), sorted(set(regions))
    if role == "store" and not stores:
        raise GrantRefused("a store role needs at least one --store", "access.refused.stores")
    if role == "region" and not regions:
        raise GrantRefused("a region role needs at least one --region", "access.refused.regions")
    # a store role's regions, a region role's stores: listed, they gave nothing (resolve
    # reads a store role's stores and a region role's regions only)
    if role == "store" and regions:
        raise GrantRefused(
            "a store role takes --store only, not --region", "access.refused.store_regions"
        )
    if role == "region" and stores:
        raise GrantRefused(
            "a region role takes --region only, not --store", "access.refused.region_stores"
        )
    if role not in ("store", "region") and (stores or regions):
        raise GrantRefused(
            f"the {role} role covers every store; --store/--region do not apply",
            "access.refused.network",
            role=role,
        )
    rows = [(s, None) for s in stores] + [(None, r) for r in regions] or [(None, None)]
    now = config.local_now().replace(microsecond=0)
    with db.transaction(con):
        held = set(
            con.execute(
                "SELECT store_id, region FROM access_grants WHERE email = ? AND role = ?",
                [email, role],
            ).fetchall()
        )
        new = [r for r in rows if r not in held]
        for store_id, region in new:  # one held already keeps when and by whom it was given
            con.execute(
                "INSERT INTO access_grants VALUES (?, ?, ?, ?, ?, ?)",
                [email, role, store_id, region, now, user or OPEN_MODE],
            )
        if not new:  # every one held already: nothing written, no audit line
            return None
        db.bump_data_version(con)
        return tuple(new)


def revoke(
    con: duckdb.DuckDBPyConnection,
    email: str,
    role: str | None = None,
    user: str | None = None,
    audit: Callable[[duckdb.DuckDBPyConnection, list], None] | None = None,
    expected: tuple[tuple[str | None, str | None], ...] | None = None,
    only: Iterable[tuple[str | None, str | None]] | None = None,
) -> int:
    """Take away one role of ``email`` (or every grant); returns how many grants went.
    ``audit(con, removed)`` (:func:`perform`) writes its line in the same transaction,
    with the grants removed: (role, store_id, region) rows. ``expected``: the (store_id,
    region) pairs the person was asked about; grants that differ (one added or gone
    meanwhile) are refused, nothing revoked. ``only``: of the role, just these (store_id,
    region) pairs go (one store of a person who holds three: they had to lose all three
    and be granted two again, seeing nothing in between); one not held is refused. A role
    this version does not know, written into the table by hand, can be taken away too
    (it gives nothing)."""
    from cx import db

    email = normalise_email(email)
    with db.transaction(con):
        held = con.execute(
            "SELECT role, store_id, region FROM access_grants WHERE email = ?"
            " AND (? IS NULL OR role = ?) ORDER BY role, store_id, region",
            [email, role, role],
        ).fetchall()
        if not held:
            raise GrantRefused(
                f"{email} holds no {role or 'grant'}",
                "access.refused.none_held",
                email=email,
                role=role or "",
            )
        if expected is not None and sorted((r[1], r[2]) for r in held) != sorted(
            expected, key=lambda x: (x[0] or "", x[1] or "")
        ):
            raise GrantRefused(
                f"the grants of {email} changed meanwhile", "access.refused.changed", email=email
            )
        removed = held
        if only is not None:
            asked = {(s or None, r or None) for s, r in only}
            missing = asked - {(r[1], r[2]) for r in held}
            if missing or role is None:
                places = ", ".join(x for pair in sorted(missing, key=str) for x in pair if x)
                raise GrantRefused(
                    f"{email}'s {role or 'grant'} role does not hold {places}",
                    "access.refused.places_not_held",
                    email=email,
                    role=role or "",
                    places=places,
                )
            removed = [r for r in held if (r[1], r[2]) in asked]
        admins = con.execute(
            "SELECT DISTINCT email FROM access_grants WHERE role = 'admin'"
        ).fetchall()
        if [(email,)] == admins and role in (None, "admin"):  # nobody could grant again
            raise GrantRefused(
                f"{email} is the last admin: grant another admin first",
                "access.refused.last_admin",
                email=email,
            )
        if removed is held:
            con.execute(
                "DELETE FROM access_grants WHERE email = ? AND (? IS NULL OR role = ?)",
                [email, role, role],
            )
        else:
            con.executemany(
                "DELETE FROM access_grants WHERE email = ? AND role = ?"
                " AND store_id IS NOT DISTINCT FROM ? AND region IS NOT DISTINCT FROM ?",
                [[email, role, r[1], r[2]] for r in removed],
            )
        db.bump_data_version(con)
        if audit is not None:
            audit(con, removed)
    return len(removed)


# --------------------------------------------------------------------------- audit


def record(
    con: duckdb.DuckDBPyConnection, who: str, action: str, target: str = "", detail: str = ""
) -> None:
    """Write one line to the audit log."""
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
        [config.local_now().replace(microsecond=0), who, action, str(target), str(detail)],
    )


def who_shown(who: object, lang: str) -> object:
    """A person as a reader sees them: the open mode's stand-in (:data:`OPEN_MODE`, kept
    as written in the database and its exports) in the reader's language."""
    return i18n.t("access.open_mode_who", lang) if who == OPEN_MODE else who


# What an audit line's detail records, by action, and the text that reads it (its
# groups the text's values, by name).
_DETAILS = {
    "upload": re.compile(
        r"added=(?P<added>\d+) replaced=(?P<replaced>\d+) rejected=(?P<rejected>\d+)"
        r"(?: unchanged=(?P<unchanged>\d+) read=(?P<read>\d+))?"
    ),
    "undo": re.compile(
        r"removed=(?P<added>\d+) restored=(?P<restored>\d+)(?: callbacks=(?P<callbacks>\d+))?"
    ),
    "mapping": re.compile(r"columns=(?P<n>\d+)"),
}
# A callback's detail (:func:`_callback_line`): the root cause's key, then the note.
_CALLBACK_CAUSE = re.compile(r"cause=(?P<cause>[a-z_]+|-)(?: (?P<note>.*))?", re.DOTALL)
_CALLBACK_UNDO = re.compile(r"undo=(?P<status>open|contacted|resolved|unreachable|-)")


def audit_shown(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`audit_log` as a reader sees it: the action, the person (:func:`who_shown`),
    a callback's status, a grant's role and an upload's counts in the reader's language;
    anything else
    (ids, file names, what a person typed) as recorded."""

    def target(action: str, text: object) -> object:
        # a callback: the answer, its new status, the owner (cx.followups); a grant or a
        # revoke: the email and the role
        second = {"callback": "board.status.{}", "access_grant": "access.role.{}"}
        second["access_revoke"] = second["access_grant"]
        if action not in second or not isinstance(text, str):
            return text
        parts = text.split(" ", 2)
        key = second[action].format(parts[1]) if len(parts) > 1 else ""
        if key in i18n.table():
            parts[1] = i18n.t(key, lang)
        return " ".join(parts)

    def detail(action: str, text: object) -> object:
        if action == "callback" and isinstance(text, str):
            undo = _CALLBACK_UNDO.fullmatch(text)
            if undo is not None:  # an undone tap: which status it undid
                if undo["status"] == "-":
                    return i18n.t("audit.detail.callback_undo_kept", lang)
                status = i18n.t(f"board.status.{undo['status']}", lang)
                return i18n.t("audit.detail.callback_undo", lang, status=status)
            cause = _CALLBACK_CAUSE.fullmatch(text)
            if cause is not None and cause["cause"] == "-":  # a note only
                return cause["note"]
            if cause is not None and cause["cause"] in PAIN_POINTS:
                shown = label(PAIN_POINTS, cause["cause"], lang)
                if cause["note"]:
                    return i18n.t(
                        "audit.detail.callback_note", lang, cause=shown, note=cause["note"]
                    )
                return i18n.t("audit.detail.callback", lang, cause=shown)
        pattern = _DETAILS.get(action)
        hit = pattern.fullmatch(text) if pattern and isinstance(text, str) else None
        if hit is None:
            return text
        counts = {k: int(v) for k, v in hit.groupdict("0").items()}  # "1 row", "2 rows"
        if action == "upload" and hit["read"] is not None:  # every row read accounted for
            return i18n.t("audit.detail.upload_read", lang, **counts)
        said = i18n.t(f"audit.detail.{action}", lang, **counts)
        if counts.get("callbacks"):  # an undo that took callbacks with moved answers
            said += i18n.t("audit.detail.undo_callbacks", lang, callbacks=counts["callbacks"])
        return said

    actions = log["action"].tolist()
    return log.assign(
        action=[i18n.t(f"audit.action.{a}", lang) if a in AUDIT_ACTIONS else a for a in actions],
        who=[who_shown(w, lang) for w in log["who"]],
        target=[target(a, x) for a, x in zip(actions, log["target"], strict=True)],
        detail=[detail(a, x) for a, x in zip(actions, log["detail"], strict=True)],
    )


def audit_log(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    """The latest audit lines, newest first. A callback's note is shown as the callback
    queue shows it: phones and plates were masked when the line was written, and the
    answer's own customer name is masked here (a note '已致电张伟' read whole in the log
    and its download, where the queue beside it read 张*)."""
    log = con.execute(
        "SELECT logged_at, who, action, target, detail FROM audit_log"
        " ORDER BY logged_at DESC, rowid DESC LIMIT ?",
        [limit],
    ).df()
    calls = log["action"] == "callback"
    if not calls.any():
        return log
    answer = log.loc[calls, "target"].astype(str).str.split(" ", n=1).str[0]
    names = dict(
        con.execute(
            "SELECT response_id, customer_name FROM responses WHERE customer_name IS NOT NULL"
            " AND response_id IN (SELECT unnest(?))",
            [sorted(set(answer))],
        ).fetchall()
    )
    log.loc[calls, "detail"] = [
        privacy.mask_comment(d, names.get(a))
        for d, a in zip(log.loc[calls, "detail"], answer, strict=True)
    ]
    return log


# --------------------------------------------------------------------------- scoped reads

# Tables shadowed for a person limited to some stores, and the filter each gets. The
# scope's store ids sit in the temporary table ``cx_scope`` (bound values).
_IN_SCOPE = "store_id IN (SELECT store_id FROM temp.main.cx_scope)"
_SCOPED_ANSWER = (
    "response_id IN (SELECT response_id FROM {db}.main.responses"
    " WHERE store_id IN (SELECT store_id FROM temp.main.cx_scope))"
)
_SHADOW: dict[str, str] = {
    "stores": _IN_SCOPE,
    "responses": _IN_SCOPE,
    "daily_rollup": _IN_SCOPE,
    "driver_rollup": _IN_SCOPE,
    "gaming_window": _IN_SCOPE,
    "monthly_raw": "FALSE",  # the whole network's months: a scoped reader reads its own answers
    "monthly_waits": "FALSE",  # the same
    "monthly_rollup": "FALSE",  # the same
    "gaming_flags": "FALSE",  # the network's flags: a scoped reader computes its own
    "daily_splits": "FALSE",  # the network's splits: a scoped reader counts its own answers
    "kept_frames": "FALSE",  # the network's default views: a scoped reader reads its own
    "followups": _IN_SCOPE,  # each follow-up keeps its answer's store (cx.db.answers_sql)
    "followup_log": _SCOPED_ANSWER,
    "followup_versions": _IN_SCOPE,
    # A store's own targets, the network default and the targets of the person's regions.
    "targets": (
        "store_id IN (SELECT store_id FROM temp.main.cx_scope) OR store_id = '*'"
        " OR store_id IN (SELECT concat('region:', region) FROM temp.main.cx_scope_regions)"
    ),
    "metric_targets": "store_id IN (SELECT store_id FROM temp.main.cx_scope) OR store_id = '*'",
    # A scenario planned on a store's or region's data carries its baseline and pain-point
    # mix: the person's own stores and regions only (one without a scope: the network's);
    # one made from a class preset ('preset:NAME') holds no store's answers: everyone's.
    "scenarios": (
        "starts_with(coalesce(scope, '*'), 'preset:')"
        " OR coalesce(scope, '*') IN (SELECT store_id FROM temp.main.cx_scope)"
        " OR coalesce(scope, '*') IN"
        " (SELECT concat('region:', region) FROM temp.main.cx_scope_regions)"
    ),
    # Network-wide records a store or region manager has no business reading.
    "uploads": "FALSE",
    "rejects": "FALSE",
    "reject_repeats": "FALSE",
    "upload_backup": "FALSE",
    "upload_store_backup": "FALSE",
    "upload_overlap": "FALSE",
    "followup_backup": "FALSE",
    "followup_log_backup": "FALSE",
    "audit_log": "FALSE",
    "access_grants": "FALSE",
}


# Tables whose scoped view keeps the row id: the callback queue as it stood on an earlier
# day orders a follow-up's logged changes by when they were written (``rowid``), which a
# view without it could not resolve (a store manager's look back failed).
_KEEP_ROWID = frozenset({"followup_log"})


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def apply_scope(con: duckdb.DuckDBPyConnection, person: Person) -> duckdb.DuckDBPyConnection:
    """Limit every read on ``con`` to the person's stores (no-op for the whole network).

    Temporary views named like the tables come first in DuckDB's name resolution, so
    every query on this connection, however it is written, reads only scoped rows.
    The connection is for reading: the views cannot be written to.
    """
    if person.stores is None:
        return con
    dbname = _quote(con.execute("SELECT current_database()").fetchall()[0][0])
    con.execute("CREATE OR REPLACE TEMP TABLE cx_scope (store_id VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE cx_scope_regions (region VARCHAR)")
    if person.stores:
        con.executemany("INSERT INTO temp.main.cx_scope VALUES (?)", [[s] for s in person.stores])
    if person.regions:
        con.executemany(
            "INSERT INTO temp.main.cx_scope_regions VALUES (?)", [[r] for r in person.regions]
        )
    for table, condition in _SHADOW.items():
        where = condition.format(db=dbname)
        columns = "*, rowid AS rowid" if table in _KEEP_ROWID else "*"
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS"  # noqa: S608 (table names from _SHADOW)
            f" SELECT {columns} FROM {dbname}.main.{table} WHERE {where}"
        )
    return con


def scope_key(person: Person) -> tuple:
    """A hashable key of what the person sees (for caches); :func:`person_for_scope`
    turns it back into a person that :func:`apply_scope` can use."""
    if person.stores is None:
        return ("network",)
    return ("stores", tuple(sorted(person.stores)), person.regions)


def person_for_scope(key: tuple) -> Person:
    """A reader with exactly the scope of :func:`scope_key`'s ``key``."""
    if key[0] == "network":
        return Person(email=None, roles=frozenset({"analyst"}), stores=None)
    return Person(email=None, roles=frozenset({"store"}), stores=frozenset(key[1]), regions=key[2])


def reader_key(person: Person) -> tuple:
    """What a download made when its button is clicked reads as: a signed-in person by
    their email, their grants looked up again at the click (a tab left open after its
    person's grant was revoked went on downloading fresh answers); open mode by
    :func:`scope_key`. For :func:`scoped_connection`."""
    if person.email is None:
        return scope_key(person)
    return ("reader", person.email)


@contextlib.contextmanager
def scoped_connection(key: tuple) -> Iterator[duckdb.DuckDBPyConnection]:
    """A reading connection of its own limited to the stores of :func:`scope_key`'s
    ``key``, or of :func:`reader_key`'s person as their grants stand now (the readers'
    snapshot while another program writes): for work done outside a page's run, such as
    a download made when its button is clicked."""
    with scoped_reader(key) as (_who, con):
        yield con


@contextlib.contextmanager
def scoped_reader(key: tuple) -> Iterator[tuple[Person, duckdb.DuckDBPyConnection]]:
    """:func:`scoped_connection` with the person it reads as (their grants as they stand
    now), for work that says why it has nothing to read: a person whose grant was
    revoked after the page was drawn sees no store (:meth:`Person.sees_no_store`)."""
    from cx import db  # it does not build on this module

    with db.connect(fallback_after=db.FALLBACK_AFTER) as con:
        # a person left without a grant has no stores: reads nothing
        who = resolve(con, key[1]) if key[0] == "reader" else person_for_scope(key)
        yield who, apply_scope(con, who)


# --------------------------------------------------------------------------- checked writes


@dataclass(frozen=True)
class Write:
    """A registered write: its audit action, the capability it needs, and where in the
    arguments it names the store (``store_arg``) or the answer (``response_arg``)."""

    action: str
    capability: str
    store_arg: int | None = None
    response_arg: int | None = None
    unrecorded: tuple[int, ...] = ()  # arguments the audit log leaves out (a plan's JSON)
    # (con, args, result) -> the line's target and detail, for a write whose arguments do
    # not say what it did (an undo's upload id alone; a mapping's file object; a
    # callback's root cause, a key)
    line: Callable[..., tuple[str, str]] | None = None
    # a write that changes no data but its audit line (a reveal): the line moves the data
    # version, so the Data page's audit log, read by it, shows the line at once (a reveal
    # showed only after some other write)
    audit_only: bool = False
    # a write that returns None when it changed nothing (a follow-up saved as it was):
    # no audit line for it
    none_when_unchanged: bool = False


def _grant_line(_con: duckdb.DuckDBPyConnection, args: tuple, added: tuple) -> tuple[str, str]:
    """A grant's line: the email as saved, the role, the stores added; the regions added as
    the detail (it named every place asked for, one held already too)."""
    stores = tuple(s for s, _ in added if s)
    regions = tuple(r for _, r in added if r)
    email = normalise_email(str(args[0]))
    return _describe((email, args[1], stores), {}), _describe((regions,), {})


def _revoke_line(_con: duckdb.DuckDBPyConnection, args: tuple, removed: list) -> tuple[str, str]:
    """A revoke's line, as a grant's reads: the email, the role and its stores; its
    regions as the detail (the line had named neither the stores nor the regions that
    went, and a whole revoke not even the role). A revoke of several roles: the email,
    and each role with its places as the detail."""
    email = normalise_email(str(args[0]))
    by_role: dict[str, tuple[list, list]] = {}
    for role, store, region in removed:
        stores, regions = by_role.setdefault(role, ([], []))
        stores += [store] if store else []
        regions += [region] if region else []
    if len(by_role) == 1:
        [(role, (stores, regions))] = by_role.items()
        return _describe((email, role, tuple(stores)), {}), _describe((tuple(regions),), {})
    parts = [
        " ".join(x for x in (role, ",".join(stores + regions)) if x)
        for role, (stores, regions) in by_role.items()
    ]
    return email, "; ".join(parts)


def _undo_line(con: duckdb.DuckDBPyConnection, args: tuple, out: dict) -> tuple[str, str]:
    """An undo's line: the upload and its file, the rows it had added removed and those it
    had replaced restored."""
    rows = con.execute("SELECT file_name FROM uploads WHERE upload_id = ?", [args[0]]).fetchall()
    target = f"#{args[0]} {rows[0][0]}" if rows else f"#{args[0]}"
    callbacks = f" callbacks={out['callbacks']}" if out.get("callbacks") else ""
    return target, f"removed={out['added']} restored={out['restored']}{callbacks}"


def _callback_line(_con: duckdb.DuckDBPyConnection, args: tuple, _out: object) -> tuple[str, str]:
    """A callback's line: the answer, its new status and owner; the root cause as its key
    (shown in the reader's language, :func:`audit_shown`) before the note. Written after
    the note, the key had read as part of it ('已致电致歉 waiting')."""
    note = args[3] if len(args) > 3 else None
    cause = args[4] if len(args) > 4 else None
    detail = _describe((note,), {})
    if cause:
        detail = f"cause={cause}" + (f" {detail}" if detail else "")
    elif detail.startswith(("cause=", "undo=")):  # a note that reads like one: a note
        detail = f"cause=- {detail}"
    return _describe(args[:3], {}), detail


def _undo_tap_line(_con: duckdb.DuckDBPyConnection, args: tuple, out: object) -> tuple[str, str]:
    """An undone tap's line: the answer and the status it went back to, as a callback's
    line reads, and the status it undid (the line had held the answer only)."""
    response_id, before, tapped = args[:3]
    if not out:  # changed since by someone else: nothing was put back
        return _describe((response_id,), {}), "undo=-"
    target = _describe((response_id, before.get("status"), before.get("owner")), {})
    return target, f"undo={tapped.get('status')}"


def _mapping_line(_con: duckdb.DuckDBPyConnection, args: tuple, _out: object) -> tuple[str, str]:
    """A saved mapping's line: the file it was made for and how many columns it maps."""
    info = args[0]
    return str(info.file_name), f"columns={len(info.mapping.columns)}"


# Every function the app may call to change the database, by "module.name".
WRITES: dict[str, Write] = {
    "cx.followups.set_followup": Write(
        "callback", "callbacks.edit", response_arg=0, line=_callback_line, none_when_unchanged=True
    ),
    "cx.followups.undo_tap": Write(
        "callback", "callbacks.edit", response_arg=0, line=_undo_tap_line
    ),
    "cx.targets.set_target": Write("target", "targets.edit", store_arg=0),
    "cx.metric_targets.save": Write("metric_target", "targets.edit", store_arg=1),
    "cx.metric_targets.reset": Write("metric_target_reset", "targets.edit", store_arg=1),
    "cx.queries.planner.save_scenario": Write("scenario", "scenarios.save", unrecorded=(1,)),
    "cx.queries.planner.delete_scenario": Write("scenario_delete", "scenarios.save"),
    "cx.ingest.undo": Write("undo", "upload", line=_undo_line),
    "cx.ingest.save_mapping": Write("mapping", "upload", line=_mapping_line),
    "cx.demo.remove_demo": Write("remove_demo", "upload"),
    "cx.privacy.contact": Write("reveal", "pii.reveal", response_arg=0, audit_only=True),
    "cx.access.grant": Write(
        "access_grant", "access.manage", line=_grant_line, none_when_unchanged=True
    ),
    "cx.access.revoke": Write("access_revoke", "access.manage", line=_revoke_line),
}


AUDIT_ACTIONS = ("upload", *dict.fromkeys(w.action for w in WRITES.values()))
"""Every action the audit log records: an upload (:func:`upload`) and each write's."""


def upload(person: Person, source: Any, file_name: str | None = None, **kwargs: Any) -> Any:
    """Load an export as ``person`` (who needs the ``upload`` capability); audited.

    The upload row and its audit line are written in one transaction.
    """
    from cx import ingest

    person.require("upload")

    def audit(con: duckdb.DuckDBPyConnection, upload_id: int, upload: dict) -> None:
        target = f"#{upload_id} {upload['file_name']}"
        # the rows read and those unchanged too: "0 added, 3 replaced, 0 rejected" for a
        # file of 10 rows left 7 unaccounted for (the analyst's walk); older lines lack them
        detail = (
            f"added={upload['added']} replaced={upload['replaced']} rejected={upload['rejected']}"
            f" unchanged={upload['unchanged']} read={upload['rows_read']}"
        )  # as every other write's line: personal data masked, at most 500 characters
        record(con, person.who, "upload", *(privacy.mask_text(x)[:500] for x in (target, detail)))

    return ingest.ingest_file(source, file_name, user=person.who, audit=audit, **kwargs)


def _store_of_response(con: duckdb.DuckDBPyConnection, response_id: str) -> str | None:
    rows = con.execute(
        "SELECT store_id FROM responses WHERE response_id = ?", [response_id]
    ).fetchall()
    return rows[0][0] if rows else None


def _describe(args: tuple, kwargs: dict) -> str:
    """A write's arguments as the audit log keeps them: text and numbers as they are, a
    day as its date (a target's month), a list as its items, a mapping as key:value (a
    target's milestones); personal data masked, at most 500 characters."""

    def one(v: object) -> str | None:
        if isinstance(v, datetime):
            return v.isoformat(sep=" ", timespec="seconds")
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, str | int | float):
            return str(v)
        if isinstance(v, dict) and v:
            return ",".join(f"{k}:{x}" for k, x in v.items())
        if isinstance(v, list | tuple) and v:
            return ",".join(str(x) for x in v)
        return None

    parts = [p for p in map(one, args) if p]
    parts += [f"{k}={one(v)}" for k, v in kwargs.items() if k != "user" and one(v)]
    return privacy.mask_text(" ".join(parts))[:500]


def perform(
    con: duckdb.DuckDBPyConnection,
    person: Person,
    func: Callable[..., Any],
    *args: Any,
    **kwargs: Any,
) -> Any:
    """Run the write ``func(con, *args, **kwargs)`` for ``person``: checked, then audited.

    Refuses (:class:`Forbidden`) a function not in :data:`WRITES`, a person without the
    capability, and a store or answer outside the person's scope. A write that takes an
    ``audit`` function (an undo) writes its line inside its own transaction with it:
    both or neither.
    """
    name = f"{func.__module__}.{func.__name__}"
    spec = WRITES.get(name)
    if spec is None:
        raise Forbidden("access.denied.unknown_write")
    store = None
    if spec.store_arg is not None and len(args) > spec.store_arg:
        store = str(args[spec.store_arg])
    if spec.response_arg is not None and len(args) > spec.response_arg:
        store = _store_of_response(con, str(args[spec.response_arg]))
        if store is None:
            raise Forbidden("access.denied.store", store="?")
    person.require(spec.capability, store)
    params = inspect.signature(func).parameters
    if "user" in params:
        kwargs.setdefault("user", person.who)
    described = dict(kwargs)

    def line(c: duckdb.DuckDBPyConnection, out: Any) -> None:
        if spec.line is not None:  # the arguments in order, those passed by name too
            given = inspect.signature(func).bind_partial(c, *args, **kwargs).args[1:]
            target, detail = (privacy.mask_text(x)[:500] for x in spec.line(c, given, out))
        else:
            kept = tuple(a for i, a in enumerate(args) if i not in spec.unrecorded)
            target, detail = _describe(kept[:3], {}), _describe(kept[3:], described)
        record(c, person.who, spec.action, target, detail)
        if spec.audit_only:
            db.bump_data_version(c)

    if "audit" in params:  # the write records its line inside its own transaction
        return func(con, *args, **kwargs, audit=line)
    out = func(con, *args, **kwargs)
    if out is None and spec.none_when_unchanged:
        return out
    line(con, out)
    return out
