"""Upload: pick a CSV/XLSX export, check the mapping and the preview, commit, undo."""

import hashlib

import streamlit as st

from cx import export, ingest, queries, templates
from cx.headers import CANONICAL, REQUIRED
from cx.privacy import mask_frame, mask_raw_lines
from cx.ui import (
    connection,
    data_version,
    fmt_num,
    invalidate,
    lang,
    load,
    t,
    uploads_table,
    write,
)

st.title(t("up.title"))
st.caption(t("up.intro"))

with st.expander(t("up.template")):
    c1, c2 = st.columns(2)
    c1.download_button(
        t("up.template_en"),
        templates.template_csv("en"),
        "cx_template_en.csv",
        "text/csv",
        key="up_tpl_en",
    )
    c2.download_button(
        t("up.template_zh"),
        templates.template_csv("zh"),
        "cx_template_zh.csv",
        "text/csv",
        key="up_tpl_zh",
    )

done = st.session_state.pop("up_message", None)
if done:
    st.success(done)

uploaded = st.file_uploader(t("up.pick"), type=["csv", "txt", "tsv", "xlsx"], key="up_file")


def _reason(exc: Exception) -> str:
    return getattr(exc, "message_zh", str(exc)) if lang() == "zh" else str(exc)


if uploaded is not None:
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    if st.session_state.get("up_digest") != digest:  # a new file: forget the old choices
        for key in [k for k in st.session_state if str(k).startswith("up_map_")]:
            del st.session_state[key]
        st.session_state["up_digest"] = digest
    try:
        with connection() as con:
            info = ingest.inspect(data, uploaded.name, con=con)
        info.cleanup()
    except ingest.UnusableFile as exc:
        st.error(t("up.unusable", reason=_reason(exc)))
        st.stop()
    st.markdown(
        t(
            "up.detected",
            encoding=info.encoding,
            delimiter={",": ",", ";": ";", "\t": "Tab", "|": "|"}[info.delimiter],
            columns=len(info.headers),
            size=f"{len(data) / 1024:,.0f} KB",
        )
    )
    if info.saved_mapping_used:
        st.info(t("up.saved_mapping"))
    auto = info.mapping
    needs_hand = bool(auto.unmatched and auto.missing_required) or bool(auto.ambiguous)
    with st.expander(t("up.mapping"), expanded=needs_hand or bool(auto.missing_required)):
        st.caption(t("up.mapping_help"))
        for col, idxs in auto.ambiguous.items():
            st.warning(t("up.ambiguous", col=col, headers=", ".join(info.headers[i] for i in idxs)))
        options = [""] + CANONICAL
        grid = st.columns(3)
        chosen: dict[int, str] = {}
        for i, header in enumerate(info.headers):
            how = auto.how.get(i, "none")
            key = f"up_map_{i}"
            if key not in st.session_state:
                st.session_state[key] = auto.columns.get(i, "")
            chosen[i] = grid[i % 3].selectbox(
                f"{header or '?'} · {t('up.how.' + how)}",
                options,
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

    mapping = {i: c for i, c in chosen.items()}
    cache_key = (digest, tuple(sorted(mapping.items())), data_version())
    result = st.session_state.get("up_preview")
    if result is None or st.session_state.get("up_preview_key") != cache_key:
        try:
            with st.spinner(t("up.stage.validate")):
                result = ingest.ingest_file(data, uploaded.name, dry_run=True, mapping=mapping)
        except ingest.UnusableFile as exc:
            st.error(t("up.unusable", reason=_reason(exc)))
            st.stop()
        st.session_state["up_preview"] = result
        st.session_state["up_preview_key"] = cache_key

    st.subheader(t("up.preview"))
    if result.duplicate_of is not None:
        st.info(t("up.same_file", id=result.duplicate_of))
    else:
        cols = st.columns(6)
        for box, label, value in zip(
            cols,
            ["read", "add", "replace", "same", "reject", "ignored"],
            [
                result.rows_read,
                result.added,
                result.replaced,
                result.unchanged,
                result.rejected,
                result.ignored,
            ],
            strict=True,
        ):
            box.metric(t(f"up.count.{label}"), fmt_num(value, 0))
        if result.collapsed:
            st.info(t("up.collapsed", n=result.collapsed))
        if not result.rejects.empty:
            st.markdown(f"**{t('up.first_rejects')}**")
            reason = "reason_zh" if lang() == "zh" else "reason"
            shown = mask_raw_lines(result.rejects)[["line_no", reason, "raw_line"]].rename(
                columns={
                    "line_no": t("col.line_no"),
                    reason: t("col.reason"),
                    "raw_line": t("col.raw_line"),
                }
            )
            st.dataframe(shown.head(10), hide_index=True, key="up_rejects_table")
            st.download_button(
                t("up.rejects_dl"),
                export.to_csv_bytes(mask_raw_lines(result.rejects)),
                "rejects.csv",
                "text/csv",
                key="up_rejects_dl",
            )
        st.dataframe(mask_frame(result.preview), hide_index=True, key="up_preview_table")
        if not (result.added or result.replaced or result.rejected):
            st.info(t("up.nothing_new"))
        save_map = st.checkbox(t("up.save_mapping"), value=True, key="up_save_map")
        if st.button(t("up.commit"), type="primary", key="up_commit"):
            bar = st.progress(0.0)

            def _tell(share: float, stage: str) -> None:
                bar.progress(min(share, 1.0), text=t("up.progress", stage=t(f"up.stage.{stage}")))

            try:
                res = ingest.ingest_file(
                    data, uploaded.name, mapping=mapping, source_kind="app", progress=_tell
                )
            except ingest.UnusableFile as exc:
                st.error(t("up.unusable", reason=_reason(exc)))
                st.stop()
            if save_map:
                with connection() as con:
                    info.mapping = ingest.map_headers(info.headers, mapping)
                    ingest.save_mapping(con, info)
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

st.divider()
st.subheader(t("up.history"))
history = load(queries.uploads, 50)
if history.empty:
    st.caption(t("up.no_uploads"))
else:
    uploads_table(history, key="up_history")
    undoable = history[(history["status"] == "committed") & (history["source"] != "demo")]
    for upload_id in undoable["upload_id"].head(10):
        if st.button(t("up.undo", id=int(upload_id)), key=f"up_undo_{int(upload_id)}"):
            try:
                out = write(ingest.undo, int(upload_id))
            except ingest.UndoRefused as exc:
                st.error(t("up.undo_refused", reason=_reason(exc)))
            else:
                st.session_state["up_message"] = t("up.undone", id=int(upload_id), **out)
                st.rerun()
    ids = [int(i) for i in history[history["rejected"] > 0]["upload_id"]]
    if ids:
        pick = st.selectbox(
            t("up.hist_pick"), ids, format_func=lambda i: f"#{i}", key="up_hist_pick"
        )
        rej = load(queries.rejects, pick)
        st.download_button(
            t("up.rejects_dl"),
            export.to_csv_bytes(mask_raw_lines(rej)),
            f"rejects_{pick}.csv",
            "text/csv",
            key="up_hist_rejects",
        )
