"""The Segment distributions page's widgets and rendering (labels, the overall mix, the
split chart, the comparison, the reasons, the comments table and the score-gaming
tables): :func:`render` draws a :class:`cx.views.segments.SegmentsView`."""

from datetime import date

import pandas as pd
import streamlit as st

from cx import access as cx_access
from cx import digest, enums, export, i18n, painpoints, privacy, signals, stats
from cx.charts import segments as charts
from cx.queries import segments as q
from cx.ui import (
    across_pages,
    chart,
    choice,
    dataframe,
    fmt_num,
    fmt_pct,
    hold_choice,
    lang,
    load,
    nothing_chosen,
    person,
    relabelled,
    sample_warning,
    store_list,
    t,
    t_plain,
    url_choice,
)
from cx.ui.board import file_key
from cx.views import segments as seg_view
from cx.views.segments import Review, SegmentsView

ENUM_DIMS = {
    "service_type": enums.SERVICE_TYPES,
    "channel": enums.CHANNELS,
    "customer_tier": enums.CUSTOMER_TIERS,
    "key_touchpoint": enums.TOUCHPOINTS,
}
CAP = 40
"""At most this many groups (the largest by n) are drawn in the split chart."""


def group_label(dim: str, grp: str, name: object = None) -> str:
    if grp == "":
        return t("seg.blank")
    if dim in ENUM_DIMS:
        return enums.label(ENUM_DIMS[dim], grp, lang())
    return f"{grp} {name}" if isinstance(name, str) and name else grp


def group_labels(dim: str, frame: pd.DataFrame) -> list[str]:
    """The label of every row (columns grp, name) of ``frame`` as a ``dim`` group."""
    return [group_label(dim, g, n) for g, n in frame[["grp", "name"]].itertuples(index=False)]


def rule_label(rule: str, lang_: str) -> str:
    if rule in (painpoints.ANSWER, painpoints.UNCLASSIFIED, painpoints.NO_COMMENT):
        return i18n.t(f"seg.rule.{rule}", lang_)
    return i18n.t("seg.rule.keyword", lang_, k=rule)


def shown(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return frame[cols].rename(columns={c: t(f"seg.col.{c}") for c in cols})


def seg_labels() -> dict[str, str]:
    return {s: enums.label(enums.SEGMENTS, s, lang()) for s in enums.SEGMENTS}


def overall_mix(tot: dict, hist: pd.DataFrame) -> None:
    """n, NPS (with its interval as help), the three shares and the 0-10 histogram."""
    # One wrapping row: on a phone the five figures take two lines, not five screens' rows.
    row = st.container(horizontal=True, gap="medium")
    row.metric(t("seg.n"), fmt_num(tot["n"], 0), width="content")
    row.metric(
        t("seg.nps"),
        fmt_num(tot["nps"]),
        help=t("seg.nps_help", low=fmt_num(tot["low"]), high=fmt_num(tot["high"])),
        width="content",
    )
    for seg, k in (("promoter", "p"), ("passive", "pa"), ("detractor", "d")):
        row.metric(t(f"seg.share.{seg}"), fmt_pct(tot[k] / tot["n"]), width="content")
    sample_warning(stats.sample_flag(tot["n"]))  # as the board says it of its figures
    st.subheader(t("seg.hist"))
    labels = seg_labels() | {k: t(f"seg.{k}") for k in ("score", "n", "share", "segment")}
    chart(st, charts.histogram, hist, labels)


def split_chart(split: pd.DataFrame, dim: str) -> None:
    """The stacked shares of the (at most CAP largest) groups with their NPS and interval."""
    top = split.nlargest(CAP, "n").index if len(split) > CAP else split.index
    bars = split.loc[sorted(top)].assign(group_label=lambda f: f["group"])
    # in the page's words and the board's notation ('n=11458' and '[48.1, 56.9]' beside
    # the page's 样本 11,458 and the board's 48.1 ~ 56.9)
    bars["text"] = [
        " ".join(
            (
                f"NPS {fmt_num(r.nps)}",
                f"({t_plain('fmt.interval', low=fmt_num(r.low), high=fmt_num(r.high))})",
                t_plain("fmt.n", n=f"{r.n:,}"),
                r.flag_text,
            )
        ).strip()
        for r in bars.itertuples()
    ]
    if len(split) > CAP:
        st.caption(t("seg.chart_capped", k=CAP, total=len(split)))
    bar_labels = seg_labels() | {
        "group": t(f"seg.dim.{dim}"),
        "share": t("seg.share"),
        "n": t("seg.n"),
        "n_segment": t("seg.count"),
        "nps": t("seg.nps"),
        "low": t("seg.col.low"),
        "high": t("seg.col.high"),
        "segment": t("seg.segment"),
    }
    chart(st, charts.split_bars, bars, bar_labels)


def _stores_shown(scope) -> int:
    """How many stores the page's figures cover: those picked, else the picked regions'
    or every store the person sees (a store manager's one, with no store picked)."""
    stores = store_list()
    if scope.stores:
        return len(scope.stores)
    if scope.regions:
        return int(stores.frame["region"].isin(scope.regions).sum())
    return len(stores.ids)


def by_store(v: SegmentsView, flt) -> None:
    """Each store's detractors by reason, folded away until opened (read only then): a
    regional manager's "what do detractors complain about, per store" without picking
    the stores one by one."""
    box = st.expander(t("seg.by_store"), key="seg_by_store", on_change="rerun")
    if not box.open:
        return
    reasons = list(v.reasons["reason"])
    table = load(seg_view.reasons_by_store, v.scope, tuple(reasons))
    named = {r: enums.label(enums.PAIN_POINTS, r, lang()) for r in reasons}
    shown = pd.DataFrame(
        {
            t("seg.col.store"): [
                f"{i} {n}".strip() for i, n in table[["store_id", "store_name"]].values
            ],
            t("seg.col.n_detractors"): table["n"],
            t("seg.col.top_reason"): [named.get(r, r) for r in table["top"]],
            t("seg.col.top_share"): (100 * table["top_share"].astype(float)).round(1),
            **{named[r]: table[r] for r in reasons},
        }
    )
    with box:
        st.caption(t("seg.by_store_note"))
        dataframe(
            shown,
            hide_index=True,
            key="seg_by_store_table",
            pin=1,  # the store, as the reasons' columns scroll
            download=f"reasons_by_store_{file_key(flt.key)}_{flt.start}_{flt.end}",
        )


COMMENT_COLUMNS = ["responded_at", "store_id", "advisor", "score", "pain_point", "comment", "rule"]


def comments_frame(rows: pd.DataFrame, lang_: str) -> pd.DataFrame:
    """Detractors of :func:`cx.queries.segments.reason_comments` as the page lists them
    and their download writes them, headed in ``lang_``: personal data masked."""
    out = privacy.mask_frame(rows.fillna({"comment": "", "advisor": ""})).assign(
        score=rows["nps"],
        pain_point=[
            enums.label(enums.PAIN_POINTS, p, lang_) if isinstance(p, str) else ""
            for p in rows["pain_point"]
        ],
        rule=[rule_label(r, lang_) for r in rows["rule"]],
    )
    cols = [*COMMENT_COLUMNS, "customer_name", "phone"]
    return out[cols].rename(columns={c: i18n.t(f"seg.col.{c}", lang_) for c in cols})


def comments(v: SegmentsView) -> None:
    """The detractors behind one reason (personal data masked); the download holds all
    of them, read when clicked."""
    st.caption(t("seg.comments_count", total=v.comments_total, shown=len(v.comments)))
    who, reader, flt, reason = cx_access.reader_key(person()), lang(), v.scope, v.reason
    dataframe(
        comments_frame(v.comments, reader),
        hide_index=True,
        key="seg_comments",
        download=f"comments_{reason}_{file_key(flt.key)}_{flt.start}_{flt.end}",
        download_data=lambda: seg_view.comments_csv(who, flt, reason, reader, comments_frame),
    )


def gaming_review(
    tests: int, flags: list[dict], names: dict[str, str], end: date, file: str = "gaming_review"
) -> None:
    """The score-gaming review of the window ending ``end``: how many tests, and the
    flags for review (or none); ``file``: its download's name (whose stores and which
    days)."""
    if not tests:  # too few answers to compare anyone with their reference: not a clean result
        st.caption(t("seg.gaming_untested"))
        return
    st.caption(
        t(
            "seg.gaming_note",
            tests=tests,
            fdr=fmt_pct(signals.FDR, 0),
            fast=signals.FAST_SECONDS,
            days=signals.MONTH_END_DAYS,
        )
    )
    months = digest.month_end_span(end)
    rows = [
        {
            "store": f"{f['store_id']} {names.get(f['store_id'], '')}".strip(),
            "who": f["advisor"] or t("seg.gaming.store_level"),
            "signal": t(f"seg.signal.{s['signal']}", months=months),
            "x_n": f"{s['x']}/{s['n']}",
            "x": s["x"],
            "n": s["n"],
            "rate": round(100 * s["rate"], 1),
            "ref_rate": round(100 * s["ref_rate"], 1),
            # two figures, in the table and its CSV (it had written 5.154803518107945e-70)
            "q_value": _q_shown(s["q_value"]),
        }
        for f in flags
        for s in f["signals"]
    ]
    if not rows:
        st.caption(t("seg.gaming_none"))
        return
    frame = pd.DataFrame(rows)
    cols = [c for c in frame.columns if c not in ("x", "n")]
    # the download holds hits and answers as two numbers: a spreadsheet opens '3/12' as
    # a date (12 March)
    in_file = shown(frame, [c for c in frame.columns if c != "x_n"])
    dataframe(
        shown(frame, cols),
        hide_index=True,
        key="seg_gaming",
        download=file,
        download_data=lambda: export.to_csv_bytes(in_file),
        column_config={t("seg.col.q_value"): st.column_config.NumberColumn(format="%.1e")},
    )


# --------------------------------------------------------------------------- the page


def _q_shown(q: float) -> float:
    """A flagged q-value to two significant figures, or as many more as keep it below
    the FDR that flagged it (0.0496 is not shown as 0.05 under "q < 0.05")."""
    for digits in (2, 3, 4, 6):
        shown = float(f"{q:.{digits}g}")
        if shown < signals.FDR or q >= signals.FDR:
            return shown
    return q


def choices() -> tuple[str, str | None]:
    """The page's widget values of this run (the widgets draw in :func:`render`, where
    they sit on the page): the breakdown and the reason whose comments are listed."""
    url_choice("seg_dim", q.DIMENSIONS)  # ?split=store: a link's breakdown
    dim = st.session_state.get("seg_dim")
    if dim not in q.DIMENSIONS:
        dim = q.DIMENSIONS[0]
    reason = choice("seg_reason")
    return dim, reason if isinstance(reason, str) else None


def render(v: SegmentsView) -> None:
    """The whole page from its view; the gaming review is loaded where it is drawn, so
    everything above it is on the screen while it is computed."""
    flt = v.scope
    if v.empty:
        nothing_chosen()
        return
    st.caption(t("seg.period", start=flt.start, end=flt.end))
    overall_mix(v.totals, v.hist)

    st.subheader(t("seg.split"))
    st.selectbox(
        t("seg.dim"),
        q.DIMENSIONS,
        # labels made in this run's language (AppTest asks format_func outside the run)
        format_func={d: t(f"seg.dim.{d}") for d in q.DIMENSIONS}.get,
        key=relabelled(across_pages("seg_dim")),
    )
    split = v.split.assign(group=group_labels(v.dim, v.split))
    split["flag_text"] = ["" if f == "ok" else t(f"seg.flag.{f}") for f in split["flag"]]
    st.caption(t("seg.split_note", low=stats.LOW_N, min=stats.MIN_N))
    split_chart(split, v.dim)
    table = v.split_table.assign(group=split["group"], flag=split["flag_text"])
    table = shown(
        table, ["group", "n", "nps", "low", "high", "share_p", "share_pa", "share_d", "flag"]
    )
    flag = t("seg.col.flag")  # shown only when a group is small (the CSV keeps it)
    on_page = table.drop(columns=[flag]) if (table[flag] == "").all() else table
    dataframe(on_page, hide_index=True, key="seg_split_table", pin=1)  # the group in view
    st.download_button(
        t("seg.export"),
        export.to_csv_bytes(table),
        # which stores and days, as the board's files say (one name for every scope had
        # made HZ01's October and the network's 90 days look alike)
        f"split_{v.dim}_{file_key(flt.key)}_{flt.start}_{flt.end}.csv",
        "text/csv",
        key="seg_export",
        on_click="ignore",
    )

    st.subheader(t("seg.compare"))
    prev = v.previous
    st.caption(
        t(
            "seg.compare_note",
            start=flt.start,
            end=flt.end,
            pstart=prev.start if prev else None,
            pend=prev.end if prev else None,
            min=stats.MIN_N,
        )
    )
    comp = v.comparison.assign(
        group=group_labels(v.dim, v.comparison),
        status=[t(f"seg.status.{s}") for s in v.comparison["status"]],
    )
    dataframe(
        # the change and its verdict first: a phone shows the first three columns
        shown(comp, ["group", "change", "status", "nps", "nps_prev", "n", "n_prev", "p_value"]),
        hide_index=True,
        key="seg_compare_table",
        pin=1,  # the group
        # a change is signed, as every other page writes one (a rise read "3.6")
        column_config={t("seg.col.change"): st.column_config.NumberColumn(format="%+.1f")},
        download=f"comparison_{v.dim}_{file_key(flt.key)}_{flt.start}_{flt.end}",
    )

    st.subheader(t("seg.reasons"))
    st.caption(t("seg.reasons_note"))
    reasons = v.reasons
    if reasons.empty:
        st.info(t("seg.reasons_none"))
    else:
        reasons = reasons.assign(
            reason_label=[enums.label(enums.PAIN_POINTS, r, lang()) for r in reasons["reason"]]
        )
        pareto_labels = {k: t(f"seg.{k}") for k in ("reason", "n", "share", "cum_share")}
        chart(st, charts.pareto, reasons, pareto_labels)
        rt = reasons.assign(
            reason=reasons["reason_label"],
            share=(100 * reasons["share"]).round(1),
            cum_share=(100 * reasons["cum_share"]).round(1),
        )
        cols = ["reason", "n", "share", "cum_share", "n_answer", "n_keyword", "n_unclassified"]
        dataframe(
            shown(rt, [*cols, "keywords"]),
            hide_index=True,
            key="seg_reason_table",
            pin=1,  # the reason
            download=f"reasons_{file_key(flt.key)}_{flt.start}_{flt.end}",
        )
        with st.expander(t("seg.rules"), key="seg_rules_box"):  # open across languages
            rules = painpoints.rule_table(lang()).rename(columns={"label": "reason"})
            dataframe(
                shown(rules, ["order", "reason", "zh", "en"]),
                hide_index=True,
                key="seg_rules_table",
                download="keyword_rules",
            )
        if _stores_shown(v.scope) > 1:  # a region's or the network's stores
            by_store(v, flt)
        hold_choice("seg_reason", v.reason)
        st.selectbox(
            t("seg.pick_reason"),
            list(reasons["reason"]),
            format_func={
                r: enums.label(enums.PAIN_POINTS, r, lang()) for r in reasons["reason"]
            }.get,
            key=relabelled("seg_reason"),
        )
        comments(v)

    st.subheader(t("seg.gaming"))
    review: Review = load(seg_view.review, v.scope)
    file = f"gaming_review_{file_key(v.scope.key)}_{v.scope.start}_{v.scope.end}"
    gaming_review(review.tests, review.flags, review.store_names, v.scope.end, file)
