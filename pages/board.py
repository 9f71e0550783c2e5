"""Daily NPS board: today's figures with honest changes, the month's pace, the trend,
the regional ranking and alerts, the callback queue and the weekly report."""

import streamlit as st

from cx import followups, queries, report, rules
from cx.queries import board as q
from cx.ui import board as view
from cx.ui import lang, load, t

L = lang()
tl = view.bound_t(L)

st.title(t("board.title"))
stores = load(queries.stores)
names = dict(zip(stores["store_id"], stores["store_name"], strict=True))
options = view.selection_options(stores)
sel_label = view.selection_labeler(names, L)

# Arrival: ?store= / ?date= / ?tab= / ?period= go into the widgets once per new value.
first, last = load(queries.date_bounds)
view.arrive_from_url(options, first, last)

# Store and date in one row that stays a row on a phone (columns would stack).
pickers = st.container(horizontal=True, gap="small", wrap=False)
sel = pickers.selectbox(t("board.store"), options, format_func=sel_label, key="board_store")
latest = load(q.latest_day, sel)
if latest is None or first is None:
    st.info(t("board.no_data"))
    st.stop()
if st.session_state.get("board_date") is None:
    st.session_state["board_date"] = latest
day = pickers.date_input(
    t("board.date"), min_value=first, max_value=last, key="board_date", width=136
)
kind = q.parse_selection(sel)[0]
month = rules.month_start(day)
tgt = load(q.target_for, sel, month)
target = tgt["nps_target"] if tgt else None
latest_answer = load(q.latest_answer)
clock, stale = followups.queue_now(latest_answer)
now = followups.as_of(day, clock)  # everything below is "as of" the chosen day
past = now < clock  # an earlier day: follow-ups as they stood then, read only
queue = load(q.callback_queue, sel, now, followups.QUEUE_WINDOW_DAYS, False, past)
overdue = load(q.overdue_by_store, sel, now, followups.QUEUE_WINDOW_DAYS, past)
k_day = report.kpis(load(q.range_counts, sel, report.board_ranges(day, "day")), day, "day", target)
cmp_key = "yesterday"
view.headline(
    k_day["cur"], k_day["comparisons"][cmp_key] | {"key": cmp_key}, k_day["mtd"], target, queue, day
)
tab = view.section_picker(L)

if tab == "board":
    period = st.selectbox(
        t("board.period"),
        report.PERIODS,
        format_func=lambda p: tl(f"board.period.{p}"),
        key="board_period",
        width=210,
    )
    k = report.kpis(
        load(q.range_counts, sel, report.board_ranges(day, period)), day, period, target
    )
    if kind != "store":
        per_store = load(q.store_counts, sel, (("mtd", month, day), *report.alert_ranges(day)))
        view.alerts(per_store, overdue, sel_label)
    view.kpi_strip(k, period)
    view.month_to_date(k["mtd"], month, target, tgt, overdue)
    view.trend(sel, day, month, tgt)
    if kind != "store":
        view.ranking(per_store, sel_label)
    view.target_editor(sel, kind, month, target, tgt)
else:
    period = st.session_state.get("board_period", report.PERIODS[0])
if tab == "callbacks":
    view.callback_queue(sel, latest_answer, now, stale, L, past, latest)
if tab == "report":
    view.weekly_report(sel, sel_label(sel), first, last, day, now, L)
view.mirror_to_url(sel, day, tab, period)
