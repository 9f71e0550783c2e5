"""Rendering pieces of the daily NPS board (URL arrival, alerts, KPI strip, month to date,
trend, regional ranking, target editor, callback queue, weekly report); the page wires
them together."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from cx import config, export, followups, i18n, report, stats, targets
from cx.charts import board as charts
from cx.enums import PAIN_POINTS, label
from cx.queries import board as q
from cx.ui import fmt_num, fmt_pct, load, t, write

Labeler = Callable[[str], str]


# --------------------------------------------------------------------------- helpers


def bound_t(lang: str) -> Callable[..., str]:
    """t() bound to this run's language: AppTest calls format_func outside the run."""

    def tl(key: str, **fmt: object) -> str:
        return i18n.t(key, lang, **fmt)

    return tl


def selection_labeler(names: dict[str, str], lang: str) -> Labeler:
    """The label of a board selection (all stores, a region or one store)."""
    tl = bound_t(lang)

    def sel_label(value: str) -> str:
        kind, v = q.parse_selection(value)
        if kind == "all":
            return tl("board.all_stores")
        if kind == "region":
            return tl("board.region", region=v)
        return f"{v} {names.get(v, '')}".strip()

    return sel_label


def rng(a: date, b: date) -> str:
    return f"{a:%Y-%m-%d}" if a == b else t("board.range", start=f"{a:%m-%d}", end=f"{b:%m-%d}")


def _stamp(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"


def _month(month: date) -> str:
    return f"{month:%Y-%m}"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _interval(low: float | None, high: float | None) -> str:
    return t("board.kpi.interval", low=fmt_num(low), high=fmt_num(high))


def _milestones(tgt: dict | None) -> dict:
    return tgt["milestones"] if tgt else {}


# --------------------------------------------------------------------------- URL


def arrive_from_url(options: list[str], first: date | None, last: date | None) -> None:
    """?store= / ?date= go into the widgets once per new value; else the sidebar's store."""
    checks = (
        ("store", "board_store", str, lambda v: v in options),
        ("date", "board_date", date.fromisoformat, lambda v: first and first <= v <= last),
    )
    for param, key, parse, valid in checks:
        raw = st.query_params.get(param)
        if raw and raw != st.session_state.get(f"_board_qp_{param}"):
            st.session_state[f"_board_qp_{param}"] = raw
            try:
                value = parse(raw)
            except ValueError:
                continue
            if valid(value):
                st.session_state[key] = value
    if "board_store" not in st.session_state:
        picked = st.session_state.get("flt_stores") or []
        st.session_state["board_store"] = (
            picked[0] if len(picked) == 1 and picked[0] in options else q.ALL
        )


def mirror_to_url(sel: str, day: date) -> None:
    """Write the shown store and date back into the URL (and remember them as seen)."""
    st.query_params["store"], st.query_params["date"] = sel, day.isoformat()
    st.session_state["_board_qp_store"], st.session_state["_board_qp_date"] = sel, day.isoformat()


# --------------------------------------------------------------------------- board tab


ALERTS_SHOWN = 5  # overdue-callback alerts shown before the rest fold away


def alerts(per_store: pd.DataFrame, overdue: pd.DataFrame, sel_label: Labeler) -> None:
    """Significant 7-day drops and overdue callbacks per store, or 'no alerts'."""
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
    rows = overdue.to_dict("records")
    for r in rows[:ALERTS_SHOWN]:
        st.warning(t("board.alerts.overdue", store=sel_label(r["store_id"]), k=r["overdue"]))
    if len(rows) > ALERTS_SHOWN:  # a network-wide view: the rest folded, not hidden
        with st.expander(t("board.alerts.more", n=len(rows) - ALERTS_SHOWN)):
            for r in rows[ALERTS_SHOWN:]:
                st.markdown(
                    "- " + t("board.alerts.overdue", store=sel_label(r["store_id"]), k=r["overdue"])
                )
    if drops.empty and overdue.empty:
        st.success(t("board.alerts.none"))


def kpi_strip(k: dict, period: str) -> None:
    """The period's n, NPS and segment shares, its interval or sample warning, and the
    comparison lines."""
    cur = k["cur"]
    shown_range = rng(*k["range"])
    st.subheader(t("board.kpi.header", period=t(f"board.period.{period}"), range=shown_range))
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
        st.info(t("board.no_answers", range=shown_range))
    else:
        st.caption(_interval(cur["low"], cur["high"]))
        if cur["flag"] != "ok":
            too_few = cur["flag"] == "too_few"
            st.warning(
                t(
                    f"board.kpi.{'too_few' if too_few else 'low_n'}",
                    n=stats.MIN_N if too_few else stats.LOW_N,
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


def month_to_date(
    m: dict, month: date, target: float | None, tgt: dict | None, overdue: pd.DataFrame
) -> None:
    """The month's NPS against its target: progress, days left, the NPS still required,
    the chance to reach it, overdue callbacks, and the notes line."""
    st.subheader(t("board.mtd.header", month=_month(month)))
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
        notes.append(_interval(m["low"], m["high"]))
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
    if tgt:  # where the target came from (cx.targets.resolve_nps_target)
        notes.append(t(f"target.source.{tgt['source']}", k=tgt["stores"]))
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


def trend(sel: str, day: date, month: date, tgt: dict | None) -> None:
    """Daily and rolling NPS since the previous month began, with targets and milestones."""
    prev_month = (month - timedelta(days=1)).replace(day=1)
    st.subheader(t("board.trend.header"))
    series = load(q.daily_series, sel, prev_month - timedelta(days=6), day)
    if series.empty:
        st.info(t("fmt.no_data"))
        return
    rolled = stats.rolling_nps(series[["date", "d", "pa", "p"]])
    rolled = rolled[pd.to_datetime(rolled["date"]) >= pd.Timestamp(prev_month)]
    tmonths = load(q.targets_for, sel, (prev_month, month))
    segs = [(mo, report.month_end(mo), v["nps_target"]) for mo, v in tmonths.items() if v]
    miles = targets.milestone_dates(month, _milestones(tgt))
    labels = {
        x: t(f"board.trend.{x}")
        for x in ("date", "daily", "rolling", "band", "target", "milestone", "n")
    }
    st.altair_chart(charts.trend(rolled, segs, miles, labels | {"nps": "NPS"}), width="stretch")


def ranking(per_store: pd.DataFrame, sel_label: Labeler) -> None:
    """Stores ranked by month-to-date NPS, each a link to its own board."""
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


def target_editor(sel: str, kind: str, month: date, target: float | None, tgt: dict | None) -> None:
    """Expander to set the month's NPS target and milestones (a store's, or the default)."""
    with st.expander(t("board.target.header")):
        if kind == "region":
            st.info(t("board.target.region"))
            return
        if kind == "all":
            st.caption(t("board.target.for_all"))
        own = sel if kind == "store" else targets.DEFAULT
        if st.session_state.get("_board_target_for") != (own, month):
            st.session_state["_board_target_for"] = (own, month)
            st.session_state["board_target"] = target
            st.session_state["board_milestones"] = targets.format_milestones(_milestones(tgt))
        value = st.number_input(
            t("board.target.value", month=_month(month)),
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


# --------------------------------------------------------------------------- callbacks tab


def callback_queue(
    sel: str, latest_answer: datetime, now: datetime, stale: bool, lang: str
) -> None:
    """The callback queue (filters, table, CSV export) and the form to act on one answer."""
    if stale:
        st.caption(t("board.cb.stale", latest=_stamp(latest_answer), now=_stamp(now)))
    st.caption(t("board.cb.clock", now=_stamp(now), days=followups.QUEUE_WINDOW_DAYS))
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
        shown = followups.display_queue(queue, lang)
        st.dataframe(shown, hide_index=True, height=360, key="cb_table")
        st.download_button(
            t("board.cb.export"),
            export.to_csv_bytes(shown),
            file_name=f"callbacks_{sel}_{now:%Y%m%d}.csv",
            mime="text/csv",
            key="cb_export",
        )
        _followup_form(queue, lang)
    if "_cb_flash" in st.session_state:
        st.success(st.session_state.pop("_cb_flash"))


def _followup_form(queue: pd.DataFrame, lang: str) -> None:
    """Pick an answer from the queue and set its status, owner, root cause and note."""
    tl = bound_t(lang)
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
            left=followups.time_left_text(rows.at[i, "hours_left"], lang),
        ),
    )
    row = rows.loc[pick]
    if st.session_state.get("_cb_loaded") != (pick, str(row["updated_at"])):
        st.session_state["_cb_loaded"] = (pick, str(row["updated_at"]))
        st.session_state["cb_status"] = row["status"]
        for key, col in (("cb_owner", "owner"), ("cb_note", "note"), ("cb_root", "root_cause")):
            st.session_state[key] = _text(row[col])
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
        format_func=lambda s: label(PAIN_POINTS, s, lang) if s else tl("board.cb.root_none"),
    )
    note = st.text_area(t("board.cb.note"), key="cb_note")
    if isinstance(row["updated_by"], str):
        st.caption(t("board.cb.last_change", by=row["updated_by"], at=_stamp(row["updated_at"])))
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


# --------------------------------------------------------------------------- report tab


def weekly_report(
    sel: str, title: str, first: date, last: date, day: date, now: datetime, lang: str
) -> None:
    """The weekly report from a chosen start: Markdown and CSV downloads, then the text."""
    if st.session_state.get("report_start") is None:
        st.session_state["report_start"] = max(first, day - timedelta(days=6))
    start = st.date_input(
        t("board.report.start"), min_value=first, max_value=last, key="report_start"
    )
    summary = report.weekly_summary(
        load(q.week_report_data, sel, start, now),
        (load(q.target_for, sel, start.replace(day=1)) or {}).get("nps_target"),
    )
    md = report.report_markdown(summary, title, lang)
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
        report.report_csv(summary, title, lang),
        file_name=f"weekly_{sel}_{start}.csv",
        mime="text/csv",
        key="report_csv",
    )
    st.markdown(md)
