"""Daily NPS board: today's figures with honest changes, the month's pace, the trend,
the regional ranking and alerts, the callback queue and the weekly report."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from cx import config, export, followups, i18n, queries, report, stats, targets
from cx.charts import board as charts
from cx.enums import PAIN_POINTS, label
from cx.queries import board as q
from cx.ui import fmt_num, fmt_pct, lang, load, t, write

L = lang()


def tl(key: str, **fmt: object) -> str:
    """t() bound to this run's language: AppTest calls format_func outside the run."""
    return i18n.t(key, L, **fmt)


st.title(t("board.title"))
stores = load(queries.stores)
names = dict(zip(stores["store_id"], stores["store_name"], strict=True))
regions = sorted(stores["region"].dropna().unique())
options = [q.ALL] + [q.REGION_PREFIX + r for r in regions] + list(stores["store_id"])


def sel_label(value: str) -> str:
    kind, v = q.parse_selection(value)
    if kind == "all":
        return tl("board.all_stores")
    return tl("board.region", region=v) if kind == "region" else f"{v} {names.get(v, '')}".strip()


# Arrival: ?store= / ?date= go into the widgets once per new value.
first, last = load(queries.date_bounds)
for param, key, parse in (
    ("store", "board_store", str),
    ("date", "board_date", date.fromisoformat),
):
    raw = st.query_params.get(param)
    if raw and raw != st.session_state.get(f"_board_qp_{param}"):
        st.session_state[f"_board_qp_{param}"] = raw
        try:
            value = parse(raw)
        except ValueError:
            continue
        if (param == "store" and value in options) or (
            param == "date" and first and first <= value <= last
        ):
            st.session_state[key] = value
if "board_store" not in st.session_state:
    picked = st.session_state.get("flt_stores") or []
    st.session_state["board_store"] = (
        picked[0] if len(picked) == 1 and picked[0] in options else q.ALL
    )

c1, c2, c3 = st.columns([2, 1, 1])
sel = c1.selectbox(t("board.store"), options, format_func=sel_label, key="board_store")
latest = load(q.latest_day, sel)
if latest is None or first is None:
    st.info(t("board.no_data"))
    st.stop()
if st.session_state.get("board_date") is None:
    st.session_state["board_date"] = latest
day = c2.date_input(t("board.date"), min_value=first, max_value=last, key="board_date")
period = c3.selectbox(
    t("board.period"),
    report.PERIODS,
    format_func=lambda p: tl(f"board.period.{p}"),
    key="board_period",
)
st.query_params["store"], st.query_params["date"] = sel, day.isoformat()
st.session_state["_board_qp_store"], st.session_state["_board_qp_date"] = sel, day.isoformat()
kind = q.parse_selection(sel)[0]
month = day.replace(day=1)
prev_month = (month - timedelta(days=1)).replace(day=1)
tgt = load(q.target_for, sel, month)
target = tgt["nps_target"] if tgt else None
latest_answer = load(q.latest_answer)
now, stale = followups.queue_now(latest_answer)
overdue = load(q.overdue_by_store, sel, now)


def rng(a: date, b: date) -> str:
    return f"{a:%Y-%m-%d}" if a == b else t("board.range", start=f"{a:%m-%d}", end=f"{b:%m-%d}")


tab_board, tab_cb, tab_report = st.tabs(
    [t("board.tab.board"), t("board.tab.callbacks"), t("board.tab.report")]
)

with tab_board:
    if kind != "store":
        per_store = load(q.store_counts, sel, (("mtd", month, day), *report.alert_ranges(day)))
        st.subheader(t("board.alerts.header"))
        drops = report.drop_alerts(per_store)
        for r in drops.to_dict("records"):
            st.warning(
                t(
                    "board.alerts.drop",
                    store=sel_label(r["store_id"]),
                    now=fmt_num(r["nps_last7"]),
                    n=r["n_last7"],
                    before=fmt_num(r["nps_prev56"]),
                    n0=r["n_prev56"],
                    diff=fmt_num(r["diff"]),
                    p=f"{r['p_value']:.3f}",
                )
            )
        for r in overdue.to_dict("records"):
            st.warning(t("board.alerts.overdue", store=sel_label(r["store_id"]), k=r["overdue"]))
        if drops.empty and overdue.empty:
            st.success(t("board.alerts.none"))

    k = report.kpis(
        load(q.range_counts, sel, report.board_ranges(day, period)), day, period, target
    )
    cur = k["cur"]
    st.subheader(t("board.kpi.header", period=t(f"board.period.{period}"), range=rng(*k["range"])))
    cols = st.columns(5)
    cols[0].metric(t("board.kpi.n"), cur["n"])
    cols[1].metric(t("board.kpi.nps"), fmt_num(cur["nps"]))
    for col, name, c, s in (
        (cols[2], "promoters", "p", "share_p"),
        (cols[3], "passives", "pa", "share_pa"),
        (cols[4], "detractors", "d", "share_d"),
    ):
        col.metric(
            t(f"board.kpi.{name}"),
            f"{cur[c]} ({fmt_pct(cur[s])})" if cur["n"] else t("fmt.no_data"),
        )
    if cur["n"] == 0:
        st.info(t("board.no_answers", range=rng(*k["range"])))
    else:
        st.caption(t("board.kpi.interval", low=fmt_num(cur["low"]), high=fmt_num(cur["high"])))
        if cur["flag"] != "ok":
            st.warning(
                t(
                    f"board.kpi.{'too_few' if cur['flag'] == 'too_few' else 'low_n'}",
                    n=stats.MIN_N if cur["flag"] == "too_few" else stats.LOW_N,
                )
            )
    for key, c in k["comparisons"].items():
        diff = "—" if c["diff"] is None else f"{c['diff']:+.1f}"
        pv = (
            ""
            if c["p_value"] is None or c["verdict"] == "not_compared"
            else t("board.cmp.p", p=f"{c['p_value']:.3f}")
        )
        st.markdown(
            t(
                "board.cmp.line",
                name=t(f"board.cmp.{key}"),
                range=rng(c["start"], c["end"]),
                nps=fmt_num(c["nps"]),
                n=c["n"],
                diff=diff,
                verdict=t(f"board.verdict.{c['verdict']}"),
                p=pv,
            )
        )

    m = k["mtd"]
    st.subheader(t("board.mtd.header", month=f"{month:%Y-%m}"))
    row1, row2 = st.columns(4), st.columns(4)
    row1[0].metric(t("board.mtd.nps"), fmt_num(m["nps"]), help=t("fmt.n", n=m["n"]))
    row1[1].metric(
        t("board.mtd.target"), fmt_num(target) if target is not None else t("board.mtd.no_target")
    )
    row1[2].metric(t("board.mtd.progress"), fmt_pct(m["progress"], 0))
    row1[3].metric(t("board.mtd.days_left"), m["days_left"])
    req = m["required"]
    req_text = (
        t(f"board.pace.{m['status']}")
        if m["status"] in ("already_secured", "out_of_reach")
        else fmt_num(req)
    )
    row2[0].metric(t("board.mtd.required"), req_text)
    row2[1].metric(t("board.mtd.prob"), fmt_pct(m["prob"], 0))
    row2[2].metric(t("board.mtd.overdue"), int(overdue["overdue"].sum()))
    notes = [t("fmt.n", n=m["n"])]
    if m["n"]:
        notes.append(t("board.kpi.interval", low=fmt_num(m["low"]), high=fmt_num(m["high"])))
    if m["progress"] is not None:
        notes.append(
            t(
                "board.mtd.progress_line",
                nps=fmt_num(m["nps"]),
                target=fmt_num(target, 0),
                start=fmt_num(m["start"]),
                pct=fmt_pct(m["progress"], 0),
            )
        )
    if tgt and tgt["is_default"]:
        notes.append(t("board.mtd.default_target"))
    if req is not None:
        notes.append(
            t(
                "board.mtd.required_help",
                n=fmt_num(m["n_left"], 0),
                per_day=fmt_num(m["per_day"]),
                days=m["days_left"],
            )
        )
    st.caption(" · ".join(notes))

    st.subheader(t("board.trend.header"))
    series = load(q.daily_series, sel, prev_month - timedelta(days=6), day)
    if series.empty:
        st.info(t("fmt.no_data"))
    else:
        rolled = stats.rolling_nps(series[["date", "d", "pa", "p"]])
        rolled = rolled[pd.to_datetime(rolled["date"]) >= pd.Timestamp(prev_month)]
        tmonths = load(q.targets_for, sel, (prev_month, month))
        segs = [(mo, report.month_end(mo), v["nps_target"]) for mo, v in tmonths.items() if v]
        miles = targets.milestone_dates(month, tgt["milestones"] if tgt else {})
        labels = {
            x: t(f"board.trend.{x}")
            for x in ("date", "daily", "rolling", "band", "target", "milestone", "n")
        }
        st.altair_chart(charts.trend(rolled, segs, miles, labels | {"nps": "NPS"}), width="stretch")

    if kind != "store":
        st.subheader(t("board.rank.header"))
        ranked = report.ranking(per_store)
        for r in ranked.to_dict("records"):
            if r["ranked"]:
                text = t(
                    "board.rank.row",
                    rank=r["rank"],
                    store=sel_label(r["store_id"]),
                    nps=fmt_num(r["nps"]),
                    low=fmt_num(r["low"]),
                    high=fmt_num(r["high"]),
                    n=r["n"],
                    flag=t("board.rank.low") if r["flag"] == "low" else "",
                )
            else:
                text = t("board.rank.unranked_row", store=sel_label(r["store_id"]), n=r["n"])
            st.page_link("pages/board.py", label=text, query_params={"store": r["store_id"]})
        if not ranked["ranked"].all():
            st.caption(t("board.rank.unranked", n=stats.MIN_N))

    with st.expander(t("board.target.header")):
        if kind == "region":
            st.info(t("board.target.region"))
        else:
            if kind == "all":
                st.caption(t("board.target.for_all"))
            own = sel if kind == "store" else targets.DEFAULT
            if st.session_state.get("_board_target_for") != (own, month):
                st.session_state["_board_target_for"] = (own, month)
                st.session_state["board_target"] = target
                st.session_state["board_milestones"] = targets.format_milestones(
                    tgt["milestones"] if tgt else {}
                )
            value = st.number_input(
                t("board.target.value", month=f"{month:%Y-%m}"),
                -100.0,
                100.0,
                step=0.5,
                key="board_target",
            )
            ms = st.text_input(t("board.target.milestones"), key="board_milestones")
            if st.button(t("board.target.save"), key="board_target_save"):
                try:
                    if value is None:
                        raise ValueError(t("board.target.missing"))
                    write(targets.set_target, own, month, value, targets.parse_milestones(ms))
                    st.session_state.pop("_board_target_for", None)
                    st.rerun()
                except ValueError as exc:
                    st.error(t("board.target.bad", error=exc))

with tab_cb:
    if stale:
        st.caption(
            t(
                "board.cb.stale",
                latest=f"{latest_answer:%Y-%m-%d %H:%M}",
                now=f"{now:%Y-%m-%d %H:%M}",
            )
        )
    st.caption(t("board.cb.clock", now=f"{now:%Y-%m-%d %H:%M}", days=followups.QUEUE_WINDOW_DAYS))
    f1, f2 = st.columns(2)
    closed = f1.checkbox(t("board.cb.show_closed"), key="cb_show_closed")
    only_det = f2.checkbox(t("board.cb.only_detractors"), key="cb_only_det")
    queue = load(q.callback_queue, sel, now, followups.QUEUE_WINDOW_DAYS, closed)
    if only_det:
        queue = queue[queue["segment"] == "detractor"].reset_index(drop=True)
    if queue.empty:
        st.info(t("board.cb.empty"))
    else:
        st.markdown(t("board.cb.counts", n=len(queue), overdue=int(queue["overdue"].sum())))
        shown = followups.display_queue(queue, L)
        st.dataframe(shown, hide_index=True, height=360, key="cb_table")
        st.download_button(
            t("board.cb.export"),
            export.to_csv_bytes(shown),
            file_name=f"callbacks_{sel}_{now:%Y%m%d}.csv",
            mime="text/csv",
            key="cb_export",
        )
        st.subheader(t("board.cb.act"))
        rows = queue.set_index("response_id")
        pick = st.selectbox(
            t("board.cb.pick"),
            list(rows.index),
            key="cb_pick",
            format_func=lambda i: tl(
                "board.cb.pick_label",
                id=i,
                score=rows.at[i, "nps"],
                at=f"{rows.at[i, 'responded_at']:%m-%d %H:%M}",
                left=followups.time_left_text(rows.at[i, "hours_left"], L),
            ),
        )
        row = rows.loc[pick]
        if st.session_state.get("_cb_loaded") != (pick, str(row["updated_at"])):
            st.session_state["_cb_loaded"] = (pick, str(row["updated_at"]))
            st.session_state["cb_status"] = row["status"]
            st.session_state["cb_owner"] = row["owner"] if isinstance(row["owner"], str) else ""
            st.session_state["cb_note"] = row["note"] if isinstance(row["note"], str) else ""
            st.session_state["cb_root"] = (
                row["root_cause"] if isinstance(row["root_cause"], str) else ""
            )
        if isinstance(row["comment"], str):
            st.caption(row["comment"])
        a1, a2 = st.columns(2)
        status = a1.selectbox(
            t("board.cb.status"),
            followups.STATUSES,
            format_func=lambda s: tl(f"board.status.{s}"),
            key="cb_status",
        )
        owner = a2.text_input(t("board.cb.owner"), key="cb_owner")
        root = st.selectbox(
            t("board.cb.root"),
            ["", *PAIN_POINTS],
            key="cb_root",
            format_func=lambda s: label(PAIN_POINTS, s, L) if s else tl("board.cb.root_none"),
        )
        note = st.text_area(t("board.cb.note"), key="cb_note")
        if isinstance(row["updated_by"], str):
            st.caption(
                t(
                    "board.cb.last_change",
                    by=row["updated_by"],
                    at=f"{row['updated_at']:%Y-%m-%d %H:%M}",
                )
            )
        if st.button(t("board.cb.save"), key="cb_save", type="primary"):
            if status == "resolved" and not root:
                st.error(t("board.cb.need_root"))
            else:
                write(followups.set_followup, pick, status, owner, note, root or None)
                st.session_state["_cb_flash"] = t(
                    "board.cb.saved",
                    id=pick,
                    status=t(f"board.status.{status}"),
                    user=config.current_user(),
                )
                st.rerun()
    if "_cb_flash" in st.session_state:
        st.success(st.session_state.pop("_cb_flash"))

with tab_report:
    if st.session_state.get("report_start") is None:
        st.session_state["report_start"] = max(first, day - timedelta(days=6))
    start = st.date_input(
        t("board.report.start"), min_value=first, max_value=last, key="report_start"
    )
    summary = report.weekly_summary(
        load(q.week_report_data, sel, start, now),
        (load(q.target_for, sel, start.replace(day=1)) or {}).get("nps_target"),
    )
    md = report.report_markdown(summary, sel_label(sel), L)
    d1, d2 = st.columns(2)
    d1.download_button(
        t("board.report.download_md"),
        md.encode("utf-8"),
        file_name=f"weekly_{sel}_{start}.md",
        mime="text/markdown",
        key="report_md",
    )
    d2.download_button(
        t("board.report.download_csv"),
        report.report_csv(summary, sel_label(sel), L),
        file_name=f"weekly_{sel}_{start}.csv",
        mime="text/csv",
        key="report_csv",
    )
    st.markdown(md)
