"""Upload page pieces: templates, the column-mapping editor, the preview, commit, history.

Everything here renders with streamlit; the reading, checking and writing is
``cx.ingest``.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from cx import access, export, ingest, queries, templates
from cx.headers import CANONICAL, REQUIRED
from cx.privacy import mask_frame, mask_raw_lines
from cx.ui import (
    connection,
    data_version,
    esc,
    fmt_num,
    invalidate,
    lang,
    load,
    person,
    t,
    uploads_table,
    write,
)

DELIMITER_NAMES = {",": ",", ";": ";", "\t": "Tab", "|": "|"}


def reason(exc: Exception) -> str:
    """The one-line reason of an UnusableFile / UndoRefused in the current language."""
    return getattr(exc, "message_zh", str(exc)) if lang() == "zh" else str(exc)


def template_downloads() -> None:
    """The CSV templates with English or Chinese headers."""
    with st.expander(t("up.template")):
        c1, c2 = st.columns(2)
        for box, code in ((c1, "en"), (c2, "zh")):
            box.download_button(
                t(f"up.template_{code}"),
                templates.template_csv(code),
                f"cx_template_{code}.csv",
                "text/csv",
                key=f"up_tpl_{code}",
            )


def flash() -> None:
    """Show (once) the message the last commit or undo left behind."""
    done = st.session_state.pop("up_message", None)
    if done:
        st.success(done)


def file_digest(data: bytes) -> str:
    """A short hash of the upload; a new file forgets the previous file's mapping choices."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    if st.session_state.get("up_digest") != digest:
        for key in [k for k in st.session_state if str(k).startswith("up_map_")]:
            del st.session_state[key]
        st.session_state["up_digest"] = digest
    return digest


def inspect(data: bytes, name: str) -> ingest.FileInfo:
    """Detected encoding, delimiter and mapping (stops the page with the reason if unusable)."""
    try:
        with connection() as con:
            info = ingest.inspect(data, name, con=con)
        info.cleanup()
    except ingest.UnusableFile as exc:
        st.error(t("up.unusable", reason=reason(exc)))
        st.stop()
    st.markdown(
        t(
            "up.detected",
            encoding=info.encoding,
            delimiter=DELIMITER_NAMES[info.delimiter],
            columns=len(info.headers),
            size=f"{len(data) / 1024:,.0f} KB",
        )
    )
    if info.saved_mapping_used:
        st.info(t("up.saved_mapping"))
    return info


def mapping_editor(info: ingest.FileInfo) -> dict[int, str]:
    """A selectbox per header (keys ``up_map_<i>``); stops the page until it is usable."""
    auto = info.mapping
    needs_hand = bool(auto.ambiguous) or bool(auto.missing_required)
    with st.expander(t("up.mapping"), expanded=needs_hand):
        st.caption(t("up.mapping_help"))
        for col, idxs in auto.ambiguous.items():
            headers = ", ".join(info.headers[i] for i in idxs)
            st.warning(t("up.ambiguous", col=col, headers=headers))
        grid = st.columns(3)
        chosen: dict[int, str] = {}
        for i, header in enumerate(info.headers):
            key = f"up_map_{i}"
            if key not in st.session_state:
                st.session_state[key] = auto.columns.get(i, "")
            chosen[i] = grid[i % 3].selectbox(
                f"{esc(header or '?')} · {t('up.how.' + auto.how.get(i, 'none'))}",
                [""] + CANONICAL,
                format_func=lambda c: c or t("up.ignore"),
                key=key,
            )
    picked = [c for c in chosen.values() if c]
    dupes = sorted({c for c in picked if picked.count(c) > 1})
    missing = [c for c in REQUIRED if c not in picked]
    for col in dupes:
        st.error(t("up.duplicate_col", col=col))
    if missing:
        st.warning(t("up.missing", cols=", ".join(missing)))
    if dupes or missing:
        st.stop()
    return chosen


def dry_run(data: bytes, name: str, digest: str, mapping: dict[int, str]) -> ingest.Result:
    """The counts a commit would give, kept until the file, mapping or data change."""
    cache_key = (digest, tuple(sorted(mapping.items())), data_version())
    result = st.session_state.get("up_preview")
    if result is None or st.session_state.get("up_preview_key") != cache_key:
        try:
            with st.spinner(t("up.stage.validate")):
                result = ingest.ingest_file(data, name, dry_run=True, mapping=mapping)
        except ingest.UnusableFile as exc:
            st.error(t("up.unusable", reason=reason(exc)))
            st.stop()
        st.session_state["up_preview"] = result
        st.session_state["up_preview_key"] = cache_key
    return result


def show_preview(result: ingest.Result) -> None:
    """Counts, the first rejects with reasons (phones masked) and the first rows."""
    counts = {
        "read": result.rows_read,
        "add": result.added,
        "replace": result.replaced,
        "same": result.unchanged,
        "reject": result.rejected,
        "ignored": result.ignored,
    }
    for box, (label, value) in zip(st.columns(len(counts)), counts.items(), strict=True):
        box.metric(t(f"up.count.{label}"), fmt_num(value, 0))
    if result.collapsed:
        st.info(t("up.collapsed", n=result.collapsed))
    if not result.rejects.empty:
        st.markdown(f"**{t('up.first_rejects')}**")
        col = "reason_zh" if lang() == "zh" else "reason"
        rejects = mask_raw_lines(
            result.rejects,
            delimiter=result.info.delimiter if result.info else ",",
            mapping=result.info.mapping.as_pairs() if result.info else None,
        )
        shown = rejects[["line_no", col, "raw_line"]].rename(
            columns={
                "line_no": t("col.line_no"),
                col: t("col.reason"),
                "raw_line": t("col.raw_line"),
            }
        )
        st.dataframe(shown.head(10), hide_index=True, key="up_rejects_table")
        st.download_button(
            t("up.rejects_dl"),
            export.to_csv_bytes(rejects),
            "rejects.csv",
            "text/csv",
            key="up_rejects_dl",
        )
    st.dataframe(mask_frame(result.preview), hide_index=True, key="up_preview_table")
    if not (result.added or result.replaced or result.rejected):
        st.info(t("up.nothing_new"))


def commit_button(data: bytes, info: ingest.FileInfo, mapping: dict[int, str]) -> None:
    """Save-mapping checkbox and the commit button, with progress while writing."""
    save_map = st.checkbox(t("up.save_mapping"), value=True, key="up_save_map")
    if not st.button(t("up.commit"), type="primary", key="up_commit"):
        return
    bar = st.progress(0.0)

    def tell(share: float, stage: str) -> None:
        bar.progress(min(share, 1.0), text=t("up.progress", stage=t(f"up.stage.{stage}")))

    try:
        res = access.upload(
            person(), data, info.file_name, mapping=mapping, source_kind="app", progress=tell
        )
    except ingest.UnusableFile as exc:
        st.error(t("up.unusable", reason=reason(exc)))
        st.stop()
    except access.Forbidden as exc:
        st.error(t(exc.key, **exc.fmt))
        st.stop()
    if save_map:
        info.mapping = ingest.map_headers(info.headers, mapping)
        write(ingest.save_mapping, info)
    invalidate()
    st.session_state.pop("up_preview", None)
    st.session_state["up_message"] = (
        t(
            "up.done",
            id=res.upload_id,
            added=res.added,
            replaced=res.replaced,
            rejected=res.rejected,
        )
        if res.committed
        else t("up.done_nothing")
    )
    st.rerun()


def history() -> None:
    """Upload history with an undo button per upload and rejects to download."""
    st.subheader(t("up.history"))
    uploads = load(queries.uploads, 50)
    if uploads.empty:
        st.caption(t("up.no_uploads"))
        return
    uploads_table(uploads, key="up_history")
    undoable = uploads[(uploads["status"] == "committed") & (uploads["source"] != "demo")]
    for upload_id in (int(i) for i in undoable["upload_id"].head(10)):
        if st.button(t("up.undo", id=upload_id), key=f"up_undo_{upload_id}"):
            try:
                out = write(ingest.undo, upload_id)
            except ingest.UndoRefused as exc:
                st.error(t("up.undo_refused", reason=reason(exc)))
            else:
                st.session_state["up_message"] = t("up.undone", id=upload_id, **out)
                st.rerun()
    ids = [int(i) for i in uploads[uploads["rejected"] > 0]["upload_id"]]
    if ids:
        pick = st.selectbox(
            t("up.hist_pick"), ids, format_func=lambda i: f"#{i}", key="up_hist_pick"
        )
        st.download_button(
            t("up.rejects_dl"),
            export.to_csv_bytes(mask_raw_lines(load(queries.rejects, pick))),
            f"rejects_{pick}.csv",
            "text/csv",
            key="up_hist_rejects",
        )
