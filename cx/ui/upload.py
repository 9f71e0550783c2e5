"""Upload page pieces: templates, the column-mapping editor, the preview, commit, history.

Everything here renders with streamlit; the reading, checking and writing is
``cx.ingest``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from cx import access, config, db, demo, export, ingest, queries, templates
from cx.enums import ENUMS
from cx.headers import CANONICAL, REQUIRED
from cx.i18n import Markup
from cx.privacy import mask_frame, mask_raw_lines
from cx.ui import (
    connection,
    data_version,
    dataframe,
    esc,
    fmt_num,
    invalidate,
    lang,
    load,
    person,
    relabelled,
    t,
    t_plain,
    table,
    uploads_table,
    write,
)
from cx.views import data as data_view

DELIMITER_NAMES = {",": ",", ";": ";", "\t": "Tab", "|": "|"}
# The encodings as a person names them ('utf-8-sig' is Python's name for a UTF-8 file
# that starts with a byte-order mark, as Excel saves 'CSV UTF-8').
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "gb18030": "GB18030",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
}
SS = st.session_state


def reason(exc: Exception) -> str:
    """The one-line reason of an UnusableFile / UndoRefused in the current language."""
    return getattr(exc, "message_zh", str(exc)) if lang() == "zh" else str(exc)


_NAMES = frozenset({"Excel", "CSV", "HTML", "XML", "UTF", "GB18030", "DuckDB", "SQLite"})


def after_colon(text: str) -> str:
    """An English reason continuing a sentence after a colon: its first word in lower case
    unless it is a name ("The file is empty." -> "the file is empty."; the refusal read as
    two sentences, "This file cannot be used. The file is empty.")."""
    word = re.match(r"[A-Za-z0-9-]+", text)
    if word is None or word[0] in _NAMES or not word[0][1:].islower():
        return text
    return text[0].lower() + text[1:]


def template_downloads() -> None:
    """The CSV templates with English or Chinese headers: bytes made once per process
    (made on every run of the page, the two took a fifth of its first run), so a click
    downloads at once. A download made when clicked came after a round trip to the
    server, outside the click, and a test's download once never came on a busy machine."""
    with st.expander(t("up.template"), key="up_template_box"):  # open across languages
        c1, c2 = st.columns(2)
        for box, code in ((c1, "en"), (c2, "zh")):
            box.download_button(
                t(f"up.template_{code}"),
                templates.template_csv(code),
                f"cx_template_{code}.csv",
                "text/csv",
                key=f"up_tpl_{code}",
                on_click="ignore",
            )


def flash() -> None:
    """Show (once) the message the last commit or undo left behind."""
    done = SS.pop("up_message", None)
    if done:
        st.success(done)
    changed = SS.pop(_CHANGED, None)
    if changed:
        st.warning(changed)


def _forget_file() -> None:
    """Drop the previous file's inspection, preview and mapping choices (and its temp files)."""
    info = SS.pop("up_info", None)
    if info is not None:
        info.cleanup()
    for key in [k for k in SS if str(k).startswith("up_map_")]:
        del SS[key]
    for key in ("up_info_key", "up_preview", "up_preview_key"):
        SS.pop(key, None)


def _guarded(call: Callable[[], Any]) -> Any:
    """Run an ingest call; an unusable file, a refusal of the person's role, a busy,
    read-only or full database stops the page with one sentence (the wait itself is
    announced by a toast). An undo refused is the caller's to say (the page stays)."""
    try:
        return call()
    except ingest.UnusableFile as exc:
        said = reason(exc)
        st.error(t("up.unusable", reason=said if lang() == "zh" else after_colon(said)))
    except access.Forbidden as exc:
        st.error(t(exc.key, **exc.fmt))
    except db.Problem as exc:
        st.error(exc.text(lang()))
    st.stop()


def _toast(_seconds: float) -> None:
    st.toast(t("app.busy"))


def file_size(n: int) -> str:
    """A file's size as people read it: '176 B', '39 KB', '263.5 MB' (never '0 KB'), in
    thousands as Streamlit's file chip right above it counts (it read '19.9MB' over our
    '19.0 MB' for the same file)."""
    if n < 1000:
        return f"{n} B"
    if n < 1000 * 1000:
        return f"{n / 1000:,.0f} KB"
    return f"{n / 1000 / 1000:,.1f} MB"


def inspect(uploaded) -> ingest.FileInfo:
    """Encoding, delimiter and mapping of the uploaded file, read once per file and kept in
    the session across reruns (a mapping change, the preview and the commit reuse it; the
    bytes are not read, hashed or transcoded again). Stops the page if it is unusable."""
    key = (getattr(uploaded, "file_id", None), uploaded.name, uploaded.size)
    info = SS.get("up_info")
    if SS.get("up_info_key") != key or info is None or not info.csv_path.exists():
        _forget_file()
        ingest.clean_temp_folders()

        def read() -> ingest.FileInfo:
            with st.spinner(t("up.stage.inspect")), connection() as con:
                return ingest.inspect(uploaded.getvalue(), uploaded.name, con=con)

        info = _guarded(read)
        SS["up_info"], SS["up_info_key"] = info, key
    size = file_size(info.size)
    if info.kind == "xlsx":
        st.markdown(t("up.detected_xlsx", columns=len(info.headers), size=size))
    else:
        st.markdown(
            t(
                "up.detected",
                encoding=ENCODING_NAMES.get(info.encoding, info.encoding),
                delimiter=DELIMITER_NAMES[info.delimiter],
                columns=len(info.headers),
                size=size,
            )
        )
    if info.title_lines and not other_sheets(info):
        # a title line or a group row above the header: said, not read (not of a notes
        # sheet before the answers' sheet: its note is no title, what is read is said below)
        st.caption(t("up.title_lines", line=info.header_line))
    if info.saved_mapping_used:
        st.info(t("up.saved_mapping"))
    return info


def _as_read(preview):
    """The preview in the reader's language: its columns as the Chinese template names
    them (推荐分 · nps), an enum's values by their labels ('维修等待时间', not 'waiting')."""
    zh = lang() == "zh"
    out = preview.copy()
    for col in out.columns:
        labels = ENUMS.get(col)
        if labels:
            out[col] = out[col].map(lambda v, lb=labels: lb[v][0 if zh else 1] if v in lb else v)
    return out.rename(columns={c: column_name(c) for c in out.columns if c in CANONICAL})


def other_sheets(info: ingest.FileInfo) -> str:
    """While the first sheet of a workbook with more sheets lacks a required column, the
    sentence the command line adds to its refusal (which sheet is read, what to do), in
    the reader's language; '' otherwise."""
    if not info.mapping.missing_required:
        return ""
    en, zh = ingest.other_sheets(info)
    return zh if lang() == "zh" else en


def column_name(col: str) -> str:
    """A column of the data contract as the reader knows it: '门店编号 · store_id' in
    Chinese (the name the Chinese template and the reject reasons use), the id in English."""
    return f"{templates.header(col, 'zh')} · {col}" if lang() == "zh" else col


def mapping_editor(info: ingest.FileInfo) -> dict[int, str]:
    """A selectbox per header (keys ``up_map_<i>``); stops the page until it is usable."""
    auto = info.mapping
    needs_hand = bool(auto.ambiguous) or bool(auto.missing_required) or bool(auto.doubled)
    sep = t_plain("fmt.sep_list")
    with st.expander(t("up.mapping"), expanded=needs_hand):
        st.caption(t("up.mapping_help"))
        for col, idxs in auto.ambiguous.items():
            headers = sep.join(info.headers[i] for i in idxs)
            st.warning(t("up.ambiguous", col=column_name(col), headers=headers))
        for col, idxs in auto.doubled.items():
            if st.session_state.get(f"up_map_{idxs[0]}", col) != col:
                continue  # another picked by hand: the sentence would be stale
            headers = sep.join(info.headers[i] for i in idxs)
            first = info.headers[idxs[0]]
            st.warning(t("up.doubled", col=column_name(col), headers=headers, first=first))
        # a second header of a column the leftmost feeds: said so (it read 'not matched'
        # under the warning that had just named it as that column's)
        also = {i: col for col, idxs in auto.doubled.items() for i in idxs[1:]}
        grid = st.columns(3)
        chosen: dict[int, str] = {}
        for i, header in enumerate(info.headers):
            key = f"up_map_{i}"
            found = auto.columns.get(i, "")
            if key not in st.session_state:
                st.session_state[key] = found
            # how the column was matched; once picked by hand, that (the label had still
            # said 'not matched' beside the column picked)
            how = auto.how.get(i, "none") if st.session_state[key] == found else "manual"
            said = t("up.how." + how)
            if how == "none" and i in also:
                said = t("up.how.doubled", col=column_name(also[i]))
            chosen[i] = grid[i % 3].selectbox(
                f"{esc(header or '?')} · {said}",
                [""] + CANONICAL,
                format_func=lambda c: column_name(c) if c else t("up.ignore"),
                key=relabelled(key),
            )
    picked = [c for c in chosen.values() if c]
    dupes = sorted({c for c in picked if picked.count(c) > 1})
    missing = [c for c in REQUIRED if c not in picked]
    for col in dupes:
        st.error(t("up.duplicate_col", col=column_name(col)))
    if missing:
        cols = sep.join(map(column_name, missing))
        sheets = other_sheets(info)
        if sheets:  # a notes sheet first: its cells were offered as the headers to map
            st.warning(t("up.missing_sheets", cols=cols, sheets=sheets))
        else:
            st.warning(t("up.missing", cols=cols))
    if dupes or missing:
        st.stop()
    return chosen


def dry_run(info: ingest.FileInfo, mapping: dict[int, str]) -> ingest.Result:
    """The counts a commit would give, kept until the file, mapping or data change."""
    cache_key = (SS.get("up_info_key"), tuple(sorted(mapping.items())), data_version())
    result = SS.get("up_preview")
    if result is None or SS.get("up_preview_key") != cache_key:

        def check() -> ingest.Result:
            with st.spinner(t("up.stage.validate")):
                return ingest.ingest_file(
                    None, dry_run=True, mapping=mapping, info=info, on_wait=_toast
                )

        result = _guarded(check)
        SS["up_preview"] = result
        SS["up_preview_key"] = cache_key
    return result


def show_preview(result: ingest.Result) -> None:
    """Counts, the first rejects with reasons (phones masked) and the first rows."""
    if result.same_as is not None:
        st.caption(t("up.read_again", id=result.same_as))
    counts = {
        "read": result.rows_read,
        "add": result.added,
        "replace": result.replaced,
        "same": result.unchanged,
        "reject": result.rejected,
        "ignored": result.ignored,
    }
    helps = {"same": t("up.count.same_help"), "ignored": t("up.count.ignored_help")}
    for box, (label, value) in zip(st.columns(len(counts)), counts.items(), strict=True):
        helped = helps.get(label)
        box.metric(t(f"up.count.{label}"), fmt_num(value, 0), help=helped)
    unread = result.unmatched_named(lang())
    if unread:
        st.info(t("up.unmatched", columns=unread))
    if result.collapsed:
        st.info(t("up.collapsed", n=result.collapsed))
    if result.moved:  # ids that are another store's answers: a row number taken as the id?
        st.warning(t("up.moved", n=result.moved, stores=result.moved_named(lang())))
    if result.reverted:  # corrections an upload made would be undone: an older export?
        st.warning(t("up.reverts", n=result.reverted, uploads=result.reverted_named(lang())))
    for level, key, values in result.notes(lang()):  # kept columns, new stores, answers
        (st.warning if level == "warning" else st.info)(t(key, **values))  # left out
    if not result.rejects.empty:
        st.markdown(f"**{t('up.first_rejects')}**")
        col = "reason_zh" if lang() == "zh" else "reason"
        how = {
            "delimiter": result.info.delimiter if result.info else ",",
            "mapping": result.info.mapping.as_pairs() if result.info else None,
        }
        # the first ten masked for the table; every one only when the download is clicked
        # (a file of 200,000 bad rows: 9 s of masking and a 20 MB CSV on every run)
        rejects = mask_raw_lines(result.rejects.head(10), **how)
        shown = rejects[["line_no", col, "raw_line"]].rename(
            columns={
                "line_no": t("col.line_no"),
                col: t("col.reason"),
                "raw_line": t("col.raw_line"),
            }
        )
        dataframe(  # the reason wide enough for its hint (it was cut after '在未来')
            shown, hide_index=True, key="up_rejects_table",
            column_config={
                t("col.reason"): st.column_config.TextColumn(width="large"),
                t("col.raw_line"): st.column_config.TextColumn(width="medium"),
            },
        )  # fmt: skip
        if result.rejected > len(rejects):
            st.caption(t("up.rejects_listed", k=len(rejects), n=result.rejected))
        every = result.rejects
        headers = {c: t_plain(f"col.{c}") for c in ("line_no", "reason", "raw_line")}
        st.download_button(
            t("up.rejects_dl"),
            lambda: export.to_csv_bytes(
                mask_raw_lines(every, **how)[["line_no", col, "raw_line"]]
                .rename(columns={col: "reason"})
                .rename(columns=headers)
            ),
            f"rejects_{export.file_stem(Path(result.file_name).stem, 'upload')}.csv",
            "text/csv",
            key="up_rejects_dl",
            help=t("up.rejects_help"),
            on_click="ignore",  # no rerun to withdraw the file the click asks for
        )
    if len(result.preview):
        st.caption(t("up.preview_rows", k=len(result.preview)))
    table(
        _as_read(mask_frame(result.preview)), "up.no_preview", hide_index=True,
        key="up_preview_table",
    )  # fmt: skip
    if not result.writes:  # its rejects, if any, kept already: no button to "keep" them
        st.info(t("up.nothing_new_rejects_kept" if result.rejected else "up.nothing_new"))


_SEEN = "_up_seen_plan"  # (the file's key, the plan of the preview shown with the button)
_CHANGED = "_up_changed"  # the sentence of a commit refused: the data changed since its preview


def commit_button(
    info: ingest.FileInfo, mapping: dict[int, str], result: ingest.Result | None = None
) -> None:
    """Save-mapping checkbox and the commit button, with progress while writing. With no
    row to add or replace (every row rejected or unchanged) the button says that only the
    rejects would be kept, and is not the page's primary action."""
    if read_only():
        st.info(t("data.read_only_mode"))
        return
    save_map = st.checkbox(t("up.save_mapping"), value=True, key="up_save_map")
    rows = result is None or bool(result.added or result.replaced)
    label, kind = (t("up.commit"), "primary") if rows else (t("up.commit_rejects"), "secondary")
    # the preview this click answers: the run before's (this run's may be new, the data
    # changed meanwhile: a colleague's corrections committed, which this file would undo)
    seen = SS.get(_SEEN)
    SS[_SEEN] = (SS.get("up_info_key"), result.plan()) if result is not None else None
    if not st.button(label, type=kind, key="up_commit"):
        return
    expect = seen[1] if seen is not None and seen[0] == SS.get("up_info_key") else None
    # this pick is being written: a second click while it is (a double click on a slow
    # connection) stops this run at its next drawing, after the commit perhaps, and the
    # second click's run finds the file already uploaded (see below)
    stopped = SS.get("up_committing")  # a run of this session stopped while writing it
    SS["up_committing"] = SS.get("up_info_key")
    bar = st.progress(0.0)

    def tell(share: float, stage: str) -> None:
        bar.progress(min(share, 1.0), text=t("up.progress", stage=t(f"up.stage.{stage}")))

    res = _guarded(
        lambda: access.upload(
            person(),
            None,
            info.file_name,
            mapping=mapping,
            source_kind="app",
            progress=tell,
            info=info,
            on_wait=_toast,
            expect=expect,
        )
    )
    if res.changed:  # nothing written: the new preview, said why
        SS["up_preview"], SS[_CHANGED] = res, t("up.changed_since_preview")
        SS.pop("up_committing", None)
        st.rerun()
    kept = {i: c for i, c in mapping.items() if c}
    if save_map and not (info.saved_mapping_used and kept == info.mapping.columns):
        # saved (and audited) when it is new or changed, not again with every export
        mapped = dataclasses.replace(info, mapping=ingest.map_headers(info.headers, mapping))
        write(ingest.save_mapping, mapped)
    invalidate()
    SS.pop("up_preview", None)
    SS.pop("up_committing", None)
    mine = stopped == SS.get("up_info_key") or just_written(res.earlier)
    if not res.committed and res.earlier is not None and mine:
        # a second click during this pick's commit: the first click wrote it (its run was
        # stopped before it could say so, or said so and this click came after). "No
        # change, nothing written" had stood for that upload.
        res = _written_as(res.earlier, res)
    if res.committed:  # the picker still holds this file: it is now that upload's bytes
        SS["up_committed"] = (SS.get("up_info_key"), res.upload_id)
        if res.rejected:  # its rejects are the ones asked for next, not an earlier upload's
            SS["up_hist_pick"] = res.upload_id
    SS["up_message"] = done_message(res) if res.committed else t("up.done_nothing")
    st.rerun()


def _written_as(upload_id: int, res: ingest.Result) -> ingest.Result:
    """Upload ``upload_id`` as the commit that wrote it said it (``res`` when it is not a
    committed upload of the app)."""
    rows = load(queries.uploads, 50)
    row = rows[(rows["upload_id"] == upload_id) & (rows["status"] == "committed")]
    if row.empty:
        return res
    r = row.iloc[0]
    counts = ("rows_read", "added", "replaced", "unchanged", "rejected", "ignored", "collapsed")
    return dataclasses.replace(
        res,
        upload_id=upload_id,
        duplicate_of=None,
        committed=True,
        **{k: int(r[k]) for k in counts},
    )


def done_message(res: ingest.Result) -> str:
    """What a commit did, every row read counted: added, replaced and rejected, and the
    rows already there, merged repeats and left-out blank or totals rows when there are
    any (a merged repeat had gone unsaid: 10 of 11 rows read were accounted for)."""
    more = [
        t(key, n=n)
        for key, n in (
            ("up.done.unchanged", res.unchanged),
            ("up.done.collapsed", res.collapsed),
            ("up.done.ignored", res.ignored),
        )
        if n
    ]
    return t(
        "up.done",
        id=res.upload_id,
        read=res.rows_read,
        added=res.added,
        replaced=res.replaced,
        rejected=res.rejected,
        more=Markup("".join(more)),
    )


def same_file(duplicate_of: int) -> None:
    """The picked file's bytes are upload ``duplicate_of``'s: said as 'written' when this
    very pick was just committed (the picker keeps the file after the commit), else as a
    file uploaded before, which committing would not change."""
    if just_written(duplicate_of):
        st.caption(t("up.written_pick_next", id=duplicate_of))
    else:
        st.info(t("up.same_file", id=duplicate_of))


def just_written(duplicate_of: int | None) -> bool:
    """Whether the picked file is the upload this session has just committed from it."""
    return duplicate_of is not None and SS.get("up_committed") == (
        SS.get("up_info_key"),
        duplicate_of,
    )


def read_only() -> bool:
    """Whether this process may only read the database file."""
    return config.db_path().exists() and not db.writable(config.db_path())


def _confirm(ask_key: str, question: str, yes_label: str, yes_key: str) -> bool:
    """A warning with a confirm and a cancel button under a pending request; True on yes."""
    st.warning(question)
    c1, c2 = st.columns(2)
    if c1.button(yes_label, type="primary", key=yes_key):
        SS.pop(ask_key, None)
        return True
    if c2.button(t("up.cancel"), key=f"{yes_key}_cancel"):
        SS.pop(ask_key, None)
        st.rerun()
    return False


UNDO_BUTTONS = 10  # the newest uploads in effect offered an undo button


def history() -> None:
    """Upload history with an undo button per upload (asks first) and rejects to download."""
    st.subheader(t("up.history"))
    uploads = load(queries.uploads, 50)
    if uploads.empty:
        st.caption(t("up.no_uploads"))
        return
    uploads_table(uploads, key="up_history", download="uploads")
    undoable = uploads[(uploads["status"] == "committed") & (uploads["source"] != "demo")]
    if not read_only():
        for upload_id in (int(i) for i in undoable["upload_id"].head(UNDO_BUTTONS)):
            if st.button(t("up.undo", id=upload_id), key=f"up_undo_{upload_id}"):
                SS["up_undo_ask"] = upload_id
        older = [f"#{int(i)}" for i in undoable["upload_id"].iloc[UNDO_BUTTONS:]]
        if older:  # an older upload in effect had no button, and nothing said where it was
            ids = t_plain("fmt.sep_list").join(older)
            st.caption(t("up.undo_older", n=UNDO_BUTTONS, ids=ids))
    ask = SS.get("up_undo_ask")
    row = undoable[undoable["upload_id"] == ask]
    refusal = load(queries.undo_refusal, ask) if ask is not None and not row.empty else None
    if refusal is not None:  # said before asking: a later upload changed its rows
        SS.pop("up_undo_ask", None)
        st.error(t("up.undo_refused", reason=refusal[1] if lang() == "zh" else refusal[0]))
    elif ask is not None and not row.empty:
        added, replaced = load(queries.undo_effect, ask)  # as the undo counts them now
        question = t("up.undo_confirm", id=ask, added=added, replaced=replaced)
        if _confirm("up_undo_ask", question, t("up.undo_yes", id=ask), "up_undo_yes"):
            try:
                out = _guarded(lambda: write(ingest.undo, ask))
            except ingest.UndoRefused as exc:  # refused since it was asked: the page stays
                st.error(t("up.undo_refused", reason=reason(exc)))
            else:
                SS["up_message"] = t("up.undone", id=ask, **out)
                if out.get("callbacks"):
                    SS["up_message"] += " " + t("up.undone.callbacks", n=out["callbacks"])
                st.rerun()
    ids = [int(i) for i in uploads[uploads["rejected"] > 0]["upload_id"]]
    if ids:
        pick = st.selectbox(
            t("up.hist_pick"), ids, format_func=lambda i: f"#{i}", key=relabelled("up_hist_pick")
        )
        who, reader = access.reader_key(person()), lang()  # the click comes outside the run
        headers = {c: t_plain(f"col.{c}") for c in data_view.SHOWN_REJECT_COLUMNS}
        st.download_button(
            t("up.rejects_dl"),
            lambda: data_view.rejects_csv(who, pick, reader, headers),  # read when clicked
            f"rejects_{pick}.csv",
            "text/csv",
            key="up_hist_rejects",
            help=t("up.rejects_help"),
            on_click="ignore",  # no rerun to withdraw the file the click asks for
        )


def demo_removal() -> None:
    """Remove the demo data in one step, after a confirmation (only while it is there)."""
    n = load(demo.demo_rows)
    if not n or read_only():
        return
    # open is the server's state, sent with every run. Held only in the browser, it is
    # lost whenever the section is mounted anew (Streamlit keys a section by its place
    # among the page's elements): a Remove click's run once left the question inside a
    # closed section, out of sight
    box = st.expander(t("up.demo_title"), key="up_demo_box", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(t("up.demo_help", n=fmt_num(n, 0)))
        if st.button(t("up.demo_remove"), key="up_demo_remove"):
            SS["up_demo_ask"] = True
        if SS.get("up_demo_ask"):
            question = t("up.demo_confirm", n=fmt_num(n, 0))
            if _confirm("up_demo_ask", question, t("up.demo_yes"), "up_demo_yes"):
                out = _guarded(lambda: write(demo.remove_demo))
                SS["up_message"] = t(
                    "up.demo_removed", n=fmt_num(out["removed"], 0), stores=out["stores"]
                )
                st.rerun()
