"""Command line: ``python -m cx demo | ingest | undo | access | digest`` — the same code the
pages use.

Exit status: 0 done (rows may have been rejected), 2 a file could not be used at all
or the request was refused (one line on stderr says why; nothing changed), 3 the
database stayed busy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Iterator
from typing import NoReturn

from cx import access, config, db, demo, export, i18n, ingest, privacy, queries

EXIT_OK, EXIT_UNUSABLE, EXIT_BUSY = 0, 2, 3


class OneLineParser(argparse.ArgumentParser):
    """A parser whose refusal is one line on stderr, exit 2 (argparse's own prints its
    usage block first: two or more lines a script's log then had to take apart)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_UNUSABLE)


# argparse's own words (it looks each up through gettext as it prints): Chinese with the
# rest of a Chinese command line. Under LANG=zh_CN.UTF-8 a mistyped argument had read
# "argument role: invalid choice: 'bogus' (choose from …)" and --help "positional
# arguments", "options", "show this help message and exit".
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项 %(value)r（可选：%(choices)s）"
    ),
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是：%(matches)s"
    ),
}


@contextlib.contextmanager
def _argparse_words() -> Iterator[None]:
    """argparse speaking the command line's language while it parses (and prints help)."""
    if cli_lang() != "zh":
        yield
        return
    own = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: _ARGPARSE_ZH.get(text, own(text))  # type: ignore[attr-defined]
    own_help = argparse.HelpFormatter.format_help

    def zh_help(formatter: argparse.HelpFormatter) -> str:
        # a section's heading ends in argparse's ASCII colon ("位置参数:"): a Chinese one
        return _HEADING_COLON.sub("\\1：", own_help(formatter))

    argparse.HelpFormatter.format_help = zh_help  # type: ignore[method-assign]
    try:
        yield
    finally:
        argparse._ = own  # type: ignore[attr-defined]
        argparse.HelpFormatter.format_help = own_help  # type: ignore[method-assign]


_HEADING_COLON = re.compile(r"^(\S[^\n]*):$", re.MULTILINE)


def _h(key: str, **values: object) -> str:
    """A help text in the command line's language (:func:`cli_lang`; its ``--help`` was
    English under LANG=zh_CN.UTF-8), ``%`` kept literal for argparse."""
    return i18n.t(key, cli_lang(), **values).replace("%", "%%")


def _parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="python -m cx", description=_h("cli.help.tools"))
    sub = p.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    _digest_parser(sub)
    sub.add_parser("bench", help=_h("cli.help.bench"))
    sub.add_parser("serve", help=_h("cli.help.serve"))
    d = sub.add_parser("demo", help=_h("cli.help.demo"))
    d.add_argument("--db", help=_h("cli.help.db"))
    d.add_argument("--force", action="store_true", help=_h("cli.help.force"))
    d.add_argument("--seed", type=int, default=20251031)
    d.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help=_h("cli.help.scale"),
    )
    d.add_argument(
        "--rows",
        type=_demo_rows,
        help=_h("cli.help.rows", least=f"{DEMO_MIN_ROWS:,}"),
    )
    i = sub.add_parser("ingest", help=_h("cli.help.ingest"))
    i.add_argument("files", nargs="+")
    i.add_argument("--db", help=_h("cli.help.db"))
    i.add_argument("--dry-run", action="store_true", help=_h("cli.help.dry_run"))
    i.add_argument("--show", type=_not_negative, default=5, help=_h("cli.help.show"))
    u = sub.add_parser("undo", help=_h("cli.help.undo"))
    u.add_argument("upload_id", type=_upload_number, help=_h("cli.help.upload_id"))
    u.add_argument("--db", help=_h("cli.help.db"))
    h = sub.add_parser("uploads", help=_h("cli.help.uploads"))
    h.add_argument("--limit", type=_at_least_one, default=20, help=_h("cli.help.limit"))
    h.add_argument("--db", help=_h("cli.help.db"))
    a = sub.add_parser("access", help=_h("cli.help.access"))
    acc = a.add_subparsers(dest="access_command", required=True, parser_class=OneLineParser)
    g = acc.add_parser("grant", help=_h("cli.help.grant"))
    g.add_argument("email")
    g.add_argument("role", choices=access.ROLES)
    g.add_argument("--store", action="append", default=[], help=_h("cli.help.store"))
    g.add_argument("--region", action="append", default=[], help=_h("cli.help.region"))
    g.add_argument("--db", help=_h("cli.help.db"))
    r = acc.add_parser("revoke", help=_h("cli.help.revoke"))
    r.add_argument("email")
    r.add_argument("role", nargs="?", choices=access.ROLES)
    r.add_argument("--store", action="append", default=[], help=_h("cli.help.revoke_store"))
    r.add_argument("--region", action="append", default=[], help=_h("cli.help.revoke_region"))
    r.add_argument("--db", help=_h("cli.help.db"))
    ls = acc.add_parser("list", help=_h("cli.help.list"))
    ls.add_argument("--db", help=_h("cli.help.db"))
    return p


def _printable(text: str) -> str:
    """A name from a person or a file, its control characters (a terminal's escapes, a
    tab that would shift the columns) shown as '?'."""
    return "".join(c if c.isprintable() else "?" for c in str(text))


def _cell(text: str) -> str:
    """A cell of a tab-separated listing (``uploads``, ``access list``): printable, and
    not a formula to the spreadsheet its output is saved for (a file named '=HYPERLINK(…)'
    began its cell with it, where the Data page's CSV writes "'=…")."""
    return str(export.neutralise_value(_printable(text)))


def _upload_number(text: str) -> int:
    """An upload's number as the summaries print it ('#2') or bare ('2')."""
    try:
        return int(text.strip().removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(_h("cli.arg.upload", text=repr(text))) from None


def cli_lang() -> str:
    """The command line's language: Chinese when ``CX_LANG`` (else ``LC_ALL``, else
    ``LANG``) starts with ``zh``, English otherwise."""
    wanted = os.environ.get("CX_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG", "")
    return "zh" if wanted.lower().startswith("zh") else "en"


DEMO_MIN_ROWS = 10_000
"""The fewest answers ``demo --rows`` builds: its planted stories (a month-end pattern,
a fast advisor, a drop) need that many (100 had stopped with an IndexError)."""


def whole_number(least: int, refusal: str, most: int | None = None):
    """An argument's type: a whole number of ``least`` or more (and ``most`` or less),
    else ``refusal`` (its ``{text}`` the argument as typed). ``--limit 0`` had listed one
    upload, ``--show -1`` printed two reasons and '4 more'."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least or (most is not None and value > most):
            raise argparse.ArgumentTypeError(_h(refusal, text=repr(text), least=f"{least:,}"))
        return value

    return parse


_demo_rows = whole_number(DEMO_MIN_ROWS, "cli.arg.demo_rows")
_not_negative = whole_number(0, "cli.arg.whole")
_at_least_one = whole_number(1, "cli.arg.whole")


def _line(key: str, **values: object) -> str:
    """A text of the command line in its language, its numbers plain (for scripts)."""
    return i18n.t_plain_counts(key, cli_lang(), **values)


def _wait_message(_seconds: float) -> None:
    print(_line("cli.busy_wait"), file=sys.stderr)


def _say(exc: Exception) -> str:
    """A refusal's one sentence in the command line's language (:func:`cli_lang`)."""
    zh = getattr(exc, "message_zh", "")
    return zh if zh and cli_lang() == "zh" else str(exc)


def _unknown(con, kind: str, names: list[str]) -> list[str]:
    """Of ``names`` (store ids or regions), those the database has no store of."""
    column = {"store": "store_id", "region": "region"}[kind]
    known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM stores").fetchall()}  # noqa: S608 - a column of this map
    return [n for n in dict.fromkeys(names) if n not in known]  # each once


def _demo_refusal(path) -> str:
    """Why ``demo`` leaves an existing database alone: what replacing it would lose."""
    with db.connect(path, on_wait=_wait_message) as con:  # another program's file: refused
        n, uploads, grants = con.execute(
            "SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM uploads"
            " WHERE status = 'committed' AND source <> 'demo'),"
            " (SELECT count(*) FROM access_grants)"
        ).fetchall()[0]
    return _line("cli.demo_exists", path=path, n=n, uploads=uploads, grants=grants)


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:  # its own options (cx.bench); one line, never a traceback
        from cx import bench

        try:
            with _argparse_words():
                return bench.main(argv[1:])
        except Exception as exc:
            print(_say(_stopped(exc)), file=sys.stderr)
            return EXIT_UNUSABLE
    if argv[:1] == ["serve"]:  # its own options (cx.serve)
        from cx import serve

        with _argparse_words():
            return serve.main(argv[1:])
    with _argparse_words():
        args = _parser().parse_args(argv)
    path = config.db_path(args.db)
    ingest.clean_temp_folders()  # what a killed ingest left behind
    try:
        if args.command == "digest":
            return _digest(args, path)
        if args.command == "demo":
            if path.exists() and not args.force:  # a typo here had wiped uploads and grants
                print(_demo_refusal(path), file=sys.stderr)
                return EXIT_UNUSABLE
            out = demo.build(path, seed=args.seed, scale=args.scale, force=True, rows=args.rows)
            with db.connect(out, on_wait=_wait_message) as con:
                n = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
            print(_line("cli.demo_done", path=out, n=n))
            return EXIT_OK
        if args.command == "ingest":
            status, existed = EXIT_OK, path.exists()
            for name in args.files:
                try:  # as the Upload page's: recorded in the audit log, by cli:USER
                    res = access.upload(
                        _operator(), name, db_path=path, dry_run=args.dry_run, on_wait=_wait_message
                    )
                except ingest.UnusableFile as exc:
                    print(f"{_printable(name)}: {_say(exc)}", file=sys.stderr)
                    status = EXIT_UNUSABLE
                    continue
                lang = cli_lang()
                print(_printable(res.summary(lang)))  # its file name: a terminal's escapes
                sep = i18n.t("fmt.sep_list", lang)
                mapping = res.info.mapping if res.info else None
                for col, idxs in (mapping.doubled if mapping else {}).items():
                    names = [_printable(mapping.headers[i]) for i in idxs]  # which is the answer?
                    print(
                        _line(
                            "cli.ingest.doubled", col=col, headers=sep.join(names), first=names[0]
                        )
                    )
                if mapping is not None:  # what is not read, said (the contract: shown)
                    _mapping_notes(mapping, res.info.saved_mapping_used, sep)
                if res.moved:  # as the Upload page warns: another store's answers replaced
                    moved = "cli.ingest.moved" if res.upload_id else "cli.ingest.would_move"
                    stores = res.moved_named(lang)
                    print(_line(moved, n=res.moved, stores=stores))
                if res.reverted:  # an older export after a corrected one
                    said = "cli.ingest.reverted" if res.upload_id else "cli.ingest.would_revert"
                    print(_line(said, n=res.reverted, uploads=res.reverted_named(lang)))
                for _level, key, values in res.notes(lang):  # as the Upload page says them
                    said = i18n.t_plain_counts(key, lang, **values)
                    print(_line("cli.ingest.note", text=_printable(said)))
                shown = privacy.mask_raw_lines(  # a reason quotes its cell: masked as shown
                    res.rejects.head(args.show),
                    delimiter=res.info.delimiter if res.info else ",",
                    mapping=res.info.mapping.as_pairs() if res.info else None,
                )
                for row in shown.itertuples():
                    zh = getattr(row, "reason_zh", None)
                    why = zh if lang == "zh" and isinstance(zh, str) and zh else row.reason
                    # a value it quotes is the file's: a terminal's escapes in it had
                    # cleared the line and printed a summary of their own
                    print(_line("cli.ingest.reject", line=row.line_no, reason=_printable(why)))
                if res.rejected > min(args.show, len(res.rejects)):  # not all printed
                    more = res.rejected - min(args.show, len(res.rejects))
                    print(_line("cli.ingest.more_rejects", n=more))
            if not existed:  # a mistyped --db refused every file: no empty file left there
                _remove_if_empty(path)
            return status
        if args.command in ("uploads", "undo", "access") and not path.exists():
            # a mistyped --db is said, not made into an empty file (the first grant of a
            # new installation makes its file, and says so)
            if args.command != "access" or args.access_command != "grant":
                print(_line("cli.no_database", path=path), file=sys.stderr)
                return EXIT_UNUSABLE
            print(_line("cli.new_database", path=path), file=sys.stderr)
        if args.command == "uploads":
            with db.connect(path, on_wait=_wait_message) as con:
                listed = queries.uploads(con, args.limit)
            states = {"committed": "cli.uploads.committed", "undone": "cli.uploads.undone"}
            for row in listed.itertuples():
                counts = _line(
                    "cli.uploads.counts",
                    read=row.rows_read,
                    added=row.added,
                    replaced=row.replaced,
                    unchanged=row.unchanged,
                    rejected=row.rejected,
                )
                state = _line(states[row.status]) if row.status in states else row.status
                at = row.uploaded_at
                when = f"{at:%Y-%m-%d %H:%M}" if at == at and at is not None else ""  # NaT: none
                who = _cell(row.uploaded_by or "")
                name = _cell(row.file_name)
                print(f"#{row.upload_id}\t{state}\t{when}\t{name}\t{counts}\t{who}")
            if listed.empty:
                print(_line("cli.uploads.none"))
            return EXIT_OK
        if args.command == "undo" and args.upload_id == demo.DEMO_UPLOAD_ID:
            # the demo's rows, callbacks, targets and stores, as the Upload page removes
            # them (an undo of #0 left 117,772 follow-ups and the demo's targets behind)
            with db.connect(path, on_wait=_wait_message) as con:
                if not demo.demo_rows(con):
                    print(_line("cli.no_demo"), file=sys.stderr)
                    return EXIT_UNUSABLE
                out = access.perform(con, _operator(), demo.remove_demo)
            print(_line("cli.demo_removed", n=out["removed"], stores=out["stores"]))
            return EXIT_OK
        if args.command == "undo":
            with db.connect(path, on_wait=_wait_message) as con:
                try:
                    out = access.perform(con, _operator(), ingest.undo, args.upload_id)
                except ingest.UndoRefused as exc:
                    print(_say(exc), file=sys.stderr)
                    return EXIT_UNUSABLE
            said = _line(
                "cli.undone", id=args.upload_id, added=out["added"], restored=out["restored"]
            )
            if out.get("callbacks"):
                said += _line("cli.undone.callbacks", n=out["callbacks"])
            print(said)
            return EXIT_OK
        if args.command == "access":
            return _access(args, path)
    except db.DatabaseBusy as exc:
        print(_say(exc), file=sys.stderr)
        return EXIT_BUSY
    except db.Problem as exc:  # refused, read-only or a full disk: nothing changed
        print(_say(exc), file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # a reader that stopped early (| head -1): not an error
        sys.stdout = open(os.devnull, "w")  # Python flushes stdout at exit
        return EXIT_OK
    except Exception as exc:  # never a traceback: one line (writes are all or nothing)
        print(_say(_stopped(exc)), file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_UNUSABLE


def _stopped(exc: Exception) -> db.Problem:
    """The one line of a command stopped by ``exc``."""
    first = (str(exc).splitlines() or [""])[0][:200]
    return db.Problem(
        f"The command stopped ({type(exc).__name__}: {first}); nothing was changed.",
        f"命令已停止（{type(exc).__name__}：{first}）；没有任何改动。",
    )


def _mapping_notes(mapping, saved: bool, sep: str) -> None:
    """The headers of an export that are not read (its columns' values are not stored) and
    those that fit a column only ambiguously, on stdout; and that a saved mapping was
    used. The command had dropped a 'commment' column without a word."""
    if saved:
        print(_line("cli.ingest.saved_mapping"))
    if mapping.unmatched:
        names = sep.join(_printable(mapping.headers[i]) for i in mapping.unmatched)
        print(_line("cli.ingest.unmatched", n=len(mapping.unmatched), headers=names))
    for col, idxs in mapping.ambiguous.items():
        names = sep.join(_printable(mapping.headers[i]) for i in idxs)
        print(_line("cli.ingest.ambiguous", col=col, headers=names))


def _remove_if_empty(path) -> None:
    """Remove the database file ``path`` (and its WAL) when it holds no upload: made by a
    command whose every file was refused."""
    if not path.exists():
        return
    with db.connect(path) as con:
        used = con.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
    if not used:
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _operator() -> access.Person:
    """Who a command runs as: whoever holds the file, recorded as ``cli:USER``
    (``CX_USER``, else the OS user) in the uploads and the audit log."""
    return access.Person(
        email=f"cli:{config.current_user()}", roles=frozenset({"admin"}), stores=None
    )


def _access(args: argparse.Namespace, path) -> int:
    """``access grant | revoke | list``: run by whoever holds the file (audited as such)."""
    operator = _operator()
    with db.connect(path, on_wait=_wait_message) as con:
        try:
            if args.access_command == "grant":
                added = access.perform(
                    con, operator, access.grant, args.email, args.role, args.store, args.region
                )
                said = "cli.granted" if added else "cli.grant_held"  # held: its time kept
                print(_line(said, role=args.role, email=access.normalise_email(args.email)))
                for kind, names, key in (
                    ("store", args.store, "cli.grant_unknown_store"),
                    ("region", args.region, "cli.grant_unknown_region"),
                ):
                    for name in _unknown(con, kind, names):  # a typo, or not uploaded yet
                        print(_line(key, name=_printable(name)), file=sys.stderr)
            elif args.access_command == "revoke":
                # --store / --region: only those of the role go (its role named or implied)
                only = [(x, None) for x in args.store] + [(None, x) for x in args.region]
                role = args.role
                if role is None and only:
                    role = "store" if args.store and not args.region else "region"
                kwargs = {"only": only} if only else {}
                n = access.perform(con, operator, access.revoke, args.email, role, **kwargs)
                print(_line("cli.revoked", email=access.normalise_email(args.email), n=n))
            else:
                rows = access.grants(con)
                if rows.empty:
                    print(_line("cli.no_grants"))
                else:  # a store and a region in columns of their own, as the page lists
                    print("email\trole\tstore_id\tregion\tgranted_at\tgranted_by")
                for row in rows.itertuples():
                    cells = (row.email, row.role, row.store_id, row.region)
                    cells += (f"{row.granted_at:%Y-%m-%d %H:%M}", row.granted_by)
                    print("\t".join(_cell(c) if isinstance(c, str) else "" for c in cells))
        except access.GrantRefused as exc:  # the Access page's sentence, in Chinese
            fmt = dict(exc.fmt)
            if fmt.get("role") in access.ROLES:  # 'region' in a Chinese sentence: 区域
                fmt["role"] = i18n.t(f"access.role.{fmt['role']}", "zh")
            zh = i18n.t(exc.key, "zh", **fmt) if cli_lang() == "zh" else ""
            print(zh or str(exc), file=sys.stderr)
            return EXIT_UNUSABLE
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_UNUSABLE
    return EXIT_OK


def _digest_parser(sub) -> None:
    """``digest --date YYYY-MM-DD [--store ID | --region NAME] [--format md|json]``."""
    g = sub.add_parser(
        "digest",
        help=_h("cli.help.digest"),
    )
    g.add_argument("--date", required=True, help=_h("cli.help.date"))
    who = g.add_mutually_exclusive_group()
    who.add_argument("--store", help=_h("cli.help.one_store"))
    who.add_argument("--region", help=_h("cli.help.one_region"))
    g.add_argument("--format", choices=("md", "json"), default="md")
    g.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help=_h("cli.help.lang"),
    )
    g.add_argument("--db", help=_h("cli.help.db"))

    def one_line(message: str) -> None:  # argparse's usage block is not one line
        print(f"python -m cx digest: {message}", file=sys.stderr)
        raise SystemExit(EXIT_UNUSABLE)

    g.error = one_line


def _digest(args: argparse.Namespace, path) -> int:
    """Print the digest; refuse with one line (exit 2) on a bad date, store or file."""
    from datetime import date

    from cx import digest

    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        print(_line("cli.not_a_date", value=repr(args.date)), file=sys.stderr)
        return EXIT_UNUSABLE
    if not path.exists():
        print(_line("cli.no_database", path=path), file=sys.stderr)
        return EXIT_UNUSABLE
    lang = args.lang or cli_lang()
    with db.connect(path, on_wait=_wait_message) as con:
        try:
            out = digest.build(con, day, store=args.store, region=args.region)
        except digest.DigestRefused as exc:
            print(exc.message_zh if lang == "zh" and exc.message_zh else str(exc), file=sys.stderr)
            return EXIT_UNUSABLE
    # on the terminal of a job's log too, not only in the mail, in the digest's language
    say = lambda key, **fmt: i18n.t_plain_counts(key, lang, **fmt)  # noqa: E731
    if not out["answers"]:  # a day before the latest: a day without answers, not a stop
        past = (out["latest_day"] or "") > out["date"]
        key = "cli.digest_no_answers_day" if past else "cli.digest_no_answers"
        print(say(key, date=out["date"], latest=out["latest_day"] or "-"), file=sys.stderr)
    if out["silent_stores"]:
        ids = [s["store_id"] for s in out["silent_stores"]]
        shown = i18n.t("fmt.sep_list", lang).join(_printable(i) for i in ids[:10])
        shown += f" (+{len(ids) - 10})" if len(ids) > 10 else ""
        print(say("cli.digest_silent", date=out["date"], k=len(ids), stores=shown),
              file=sys.stderr)  # fmt: skip
    text = digest.to_json(out) + "\n" if args.format == "json" else digest.markdown(out, lang)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # a reader that stopped early (| head): not an error
        sys.stdout = open(os.devnull, "w")
    return EXIT_OK
