"""The board's figures and the weekly report, as pure functions on counts.

Board: the periods (day / 7 days / month to date) and what they are compared with,
the KPI figures with intervals and the 'real change' / 'within noise' verdict, and
the month's pace toward the target. Weekly report: the same figures for a chosen
week, as rows, Markdown and CSV in Chinese or English.

No streamlit, no SQL: counts come from ``cx.queries.board``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from cx import export, followups, painpoints, privacy, stats
from cx.enums import PAIN_POINTS, label
from cx.frames import store_label
from cx.i18n import digits_apart, fixed, md_escape, plain_text, t
from cx.rules import days_in_month, month_end, month_start, previous_month, week_start

PERIODS = ("day", "week", "mtd")
ALPHA = 0.05
VOLUME_DAYS = 28
"""Days of recent volume used to expect the rest of the month's answers."""
DETRACTOR_LINE = 0.10
"""The weekly report's line for the detractor share."""

Counts = tuple[int, int, int]


# --------------------------------------------------------------------------- periods


def period_range(day: date, period: str) -> tuple[date, date]:
    """'day': the day; 'week': the 7 days ending on it; 'mtd': the 1st to it."""
    if period == "day":
        return day, day
    if period == "week":
        return day - timedelta(days=6), day
    if period == "mtd":
        return month_start(day), day
    raise ValueError(f"unknown period {period!r}")


def comparison_ranges(day: date, period: str) -> tuple[tuple[str, date, date], ...]:
    """What the period is compared with.

    day: yesterday and the same weekday last week; week: the 7 days before;
    mtd: the same days of the previous month (1st .. same day, capped at its end).
    """
    if period == "day":
        y, w = day - timedelta(days=1), day - timedelta(days=7)
        return (("yesterday", y, y), ("last_week", w, w))
    if period == "week":
        return (("prev_week", day - timedelta(days=13), day - timedelta(days=7)),)
    if period == "mtd":
        prev = previous_month(day)
        return (("prev_month", prev, prev.replace(day=min(day.day, days_in_month(prev)))),)
    raise ValueError(f"unknown period {period!r}")


def board_ranges(day: date, period: str) -> tuple[tuple[str, date, date], ...]:
    """Every day range the KPI strip needs, for one ``range_counts`` query."""
    start, end = period_range(day, period)
    prev = previous_month(day)
    return (
        ("cur", start, end),
        *comparison_ranges(day, period),
        ("mtd", month_start(day), day),
        ("last_month", prev, month_end(prev)),
        ("recent", day - timedelta(days=VOLUME_DAYS - 1), day),
    )


# --------------------------------------------------------------------------- figures


def figure(counts: Counts) -> dict:
    """n, NPS, its adjusted-Wald interval, counts, shares and the sample flag."""
    d, pa, p = (int(x) for x in counts)
    n = d + pa + p
    low, high = stats.nps_interval(d, pa, p)
    return {
        "n": n,
        "d": d,
        "pa": pa,
        "p": p,
        "nps": stats.nps(d, pa, p),
        "low": low,
        "high": high,
        "share_d": d / n if n else None,
        "share_pa": pa / n if n else None,
        "share_p": p / n if n else None,
        "flag": stats.sample_flag(n),
    }


def compare(cur: Counts, other: Counts, alpha: float = ALPHA) -> dict:
    """The change ``cur - other`` with its verdict.

    verdict: 'no_data' (either empty), 'not_compared' (either n < MIN_N), 'real'
    (p < alpha) or 'noise'.
    """
    n1, n2 = sum(cur), sum(other)
    out = {"n": n2, "nps": stats.nps(*other), "diff": None, "z": None, "p_value": None}
    if n1 == 0 or n2 == 0:
        return out | {"verdict": "no_data"}
    diff, z, p_value = stats.nps_diff_test(tuple(cur), tuple(other))
    out |= {"diff": diff, "z": z, "p_value": p_value}
    if n1 < stats.MIN_N or n2 < stats.MIN_N:
        return out | {"verdict": "not_compared"}
    return out | {"verdict": "real" if p_value < alpha else "noise"}


def pace(
    mtd: Counts,
    last_month: Counts,
    recent: Counts,
    target: float | None,
    day: date,
    recent_days: int = VOLUME_DAYS,
) -> dict:
    """Month to date against the target.

    start level = last month's NPS; progress = (mtd - start) / (target - start);
    days left after ``day``; expected answers = recent daily mean x days left;
    required NPS on those and its status; the chance of ending on target.
    """
    fig = figure(mtd)
    days_left = (month_end(day) - day).days
    per_day = sum(recent) / recent_days
    n_left = per_day * days_left
    start = stats.nps(*last_month)
    out = fig | {
        "target": target,
        "start": start,
        "days_left": days_left,
        "per_day": per_day,
        "n_left": n_left,
        "progress": None,
        "required": None,
        "status": None,
        "prob": None,
    }
    if target is None:
        return out
    out["progress"] = stats.progress_to_target(start, fig["nps"], target)
    if days_left > 0 and n_left > 0:
        req = stats.required_nps(target, fig["nps"], fig["n"], n_left)
        out["required"] = req
        out["status"] = stats.pace_status(req)
    out["prob"] = stats.prob_reach_target(target, fig["d"], fig["pa"], fig["p"], n_left)
    return out


def kpis(counts: dict[str, Counts], day: date, period: str, target: float | None) -> dict:
    """The KPI strip from :func:`board_ranges` counts."""
    comps = {
        key: compare(counts["cur"], counts[key]) | {"start": s, "end": e}
        for key, s, e in comparison_ranges(day, period)
    }
    return {
        "period": period,
        "range": period_range(day, period),
        "cur": figure(counts["cur"]),
        "comparisons": comps,
        "mtd": pace(counts["mtd"], counts["last_month"], counts["recent"], target, day),
    }


def ranking(
    frame: pd.DataFrame, key: str = "mtd", targets: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Stores ranked by NPS of the ``key`` counts; n < MIN_N unranked (rank NaN, last);
    ``target``: each store's own target from ``targets`` (NaN without one).

    The figures of :func:`figure`, computed for all stores at once; ties keep the
    frame's order (ranked: NPS then n, highest first; unranked: n, then store id)."""
    d, pa, p = (frame[f"{key}_{c}"].to_numpy(dtype="int64") for c in ("d", "pa", "p"))
    n = d + pa + p
    nps = stats.nps_arrays(d, pa, p)
    ids = frame["store_id"].to_numpy()
    rows = np.arange(len(frame))
    ranked = n >= stats.MIN_N
    top, rest = rows[ranked], rows[~ranked]
    order = np.concatenate(
        [
            top[np.lexsort((-n[top], -nps[top]))],
            rest[np.lexsort((ids[rest].astype(str), -n[rest]))],
        ]
    ).astype("int64")
    low, high = stats.nps_interval_arrays(d[order], pa[order], p[order])

    def taken(col: str):  # the column's own array reordered (Arrow strings stay Arrow)
        return frame[col].array.take(order)

    out = pd.DataFrame(
        {
            "store_id": taken("store_id"),
            "store_name": taken("store_name"),
            "region": taken("region"),
            "n": n[order],
            "nps": nps[order],
            "low": low,
            "high": high,
            "flag": stats.sample_flags(n[order]),
            "ranked": ranked[order],
        }
    )
    out["target"] = out["store_id"].map(dict(targets or {})).astype("float64")
    out["rank"] = (
        pd.Series(range(1, int(ranked.sum()) + 1), dtype="Int64")
        .reindex(range(len(out)))
        .to_numpy()
    )
    return out


def drop_alerts(frame: pd.DataFrame, q: float | None = None) -> pd.DataFrame:
    """Stores whose ``last7`` NPS fell below their ``prev56`` NPS beyond noise, with false
    discoveries controlled across the stores (:func:`cx.signals.drop_tests`: one-sided
    test per store, Benjamini-Hochberg at ``q``, default ``cx.signals.FDR``).

    Columns: store_id, store_name, nps_last7, n_last7, nps_prev56, n_prev56, diff,
    p_value (one-sided), q_value; the largest fall first.
    """
    from cx import signals

    cols = ["store_id", "store_name", "nps_last7", "n_last7", "nps_prev56", "n_prev56"]
    cols += ["diff", "p_value", "q_value"]
    if frame.empty:
        return pd.DataFrame(columns=cols)

    def counts(key: str) -> list[np.ndarray]:
        return [frame[f"{key}_{c}"].to_numpy(dtype="int64") for c in ("d", "pa", "p")]

    ids = frame["store_id"].array
    tests = signals.drop_frame(ids, counts("last7"), counts("prev56"), q, flagged_only=True)
    out = tests.rename(
        columns={
            "nps": "nps_last7",
            "n": "n_last7",
            "nps_before": "nps_prev56",
            "n_before": "n_prev56",
            "change": "diff",
            "p": "p_value",
        }
    )
    out.insert(1, "store_name", frame["store_name"].array.take(out.index.to_numpy()))
    return out[cols].sort_values(["diff", "store_id"]).reset_index(drop=True)


def store_ranges(day: date) -> tuple[tuple[str, date, date], ...]:
    """The per-store ranges of a board of many stores on ``day``: the month to date (the
    ranking) and :func:`alert_ranges` (the drop alerts)."""
    return (("mtd", month_start(day), day), *alert_ranges(day))


def alert_ranges(day: date) -> tuple[tuple[str, date, date], ...]:
    """The last 7 days to ``day`` and the 8 weeks before them."""
    return (
        ("last7", day - timedelta(days=6), day),
        ("prev56", day - timedelta(days=62), day - timedelta(days=7)),
    )


# --------------------------------------------------------------------------- weekly report


REPORT_MODES = ("week", "days7")
"""The weekly report's period: the calendar week (Monday-Sunday, the default) or the
7 days from a chosen day."""


def report_period(mode: str, picked: date, day: date) -> tuple[date, date]:
    """(start, end) of the weekly report.

    'week': the calendar week (Monday-Sunday) holding ``picked``; 'days7': the 7 days
    from ``picked``; either cut at the board's ``day`` when it is still running (the
    board is as of that day: 7 days from 10-26 on the board of 10-28 had counted the
    answers of the three days after it).
    """
    if mode == "days7":
        start = picked
    elif mode == "week":
        start = week_start(picked)
    else:
        raise ValueError(f"unknown report period {mode!r}")
    start = min(start, day)  # a start after the board's day (a link, an old session)
    end = start + timedelta(days=6)
    return start, min(end, day)


def _clean(value) -> str:
    """Text of a value that may be missing ('' for None / NaN), never 'nan'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def weekly_summary(data: dict, nps_target: float | None) -> dict:
    """The weekly report's figures from ``cx.queries.board.week_report_data``.

    Besides the week against the week before: ``mtd`` (the month to the report's end
    against the target, :func:`pace`), ``done`` (follow-ups closed in the week: the
    actions of the week) and ``focus`` (for next week: the main detractor reason and
    the NPS the rest of the month needs).
    """
    week, prev = figure(data["week"]), figure(data["prev"])
    change = compare(data["week"], data["prev"])
    promoter_target = None if nps_target is None else min(1.0, nps_target / 100 + DETRACTOR_LINE)
    reasons = data["reasons"]
    n_det = int(reasons["n"].sum()) if len(reasons) else 0
    ranked = [
        {"reason": r["reason"], "n": int(r["n"]), "share": r["n"] / n_det}
        for r in reasons.to_dict("records")
    ]
    # as common, a named reason before the catch-all 'other' (it had come second among
    # four tied, by its key's spelling)
    ranked.sort(key=lambda r: (-r["n"], r["reason"] in ("other", "")))  # stable: else as read
    # the three most common, and every reason as common as the third (one of four tied
    # had been left out of the table)
    top = [r for i, r in enumerate(ranked) if i < 3 or r["n"] == ranked[2]["n"]]
    dets = data["detractors"]
    now = pd.Timestamp(data["now"])
    # a callback that reached the customer is on time or late by when it first did; one
    # tried and not reached counts apart (it had counted as called back on time); any
    # callback stops the clock, as on the queue: the rest are overdue or not yet due
    counts = dict.fromkeys(("on_time", "late", "unreachable", "overdue", "pending"), 0)
    overdue_stores = pd.Series(dtype=object)  # the store of each one overdue
    if len(dets):
        done, reached = dets["done_at"].notna(), dets["status"].isin(followups.REACHED)
        reached_at = dets["reached_at"].fillna(dets["done_at"])
        overdue = ~done & (dets["deadline"] < now)
        overdue_stores = dets.loc[overdue, "store_id"]
        counts |= {
            "on_time": int((reached & (reached_at <= dets["deadline"])).sum()),
            "late": int((reached & (reached_at > dets["deadline"])).sum()),
            "unreachable": int((done & ~reached).sum()),
            "overdue": int(overdue.sum()),
            "pending": int((~done & (dets["deadline"] >= now)).sum()),
        }
    open_actions = dets[~dets["status"].isin(("resolved", "unreachable"))] if len(dets) else dets
    if len(open_actions):  # the most urgent first: those not yet called, most overdue first
        # (the list had run in answer order: its first 20 were all Monday morning's)
        called = open_actions["status"].fillna("open") != "open"
        open_actions = open_actions.assign(_called=called).sort_values(
            ["_called", "deadline", "response_id"], kind="stable"
        )
        open_actions = open_actions.drop(columns="_called")
    mtd = None
    if "mtd" in data:
        mtd = pace(data["mtd"], data["last_month"], data["recent"], nps_target, data["end"])
    stores = None
    if data.get("by_store") is not None:
        open_stores = open_actions["store_id"] if len(open_actions) else pd.Series(dtype=object)
        stores = stores_of_week(data["by_store"], overdue_stores, open_stores)
    done = data.get("done")
    done = done.reset_index(drop=True) if done is not None else pd.DataFrame()
    return {
        "start": data["start"],
        "end": data["end"],
        "week": week,
        "prev": prev,
        "change": change,
        "nps_target": nps_target,
        "promoter_target": promoter_target,
        "detractor_line": DETRACTOR_LINE,
        "top_reasons": top,
        "detractors": n_det,
        "callbacks": counts,
        # who acts and their notes are typed by people: a phone in them is masked
        # (cx.privacy.FREE_TEXT_COLUMNS), as the queue masks it
        "open_actions": privacy.mask_frame(open_actions.reset_index(drop=True)),
        "mtd": mtd,
        # a region's or the network's stores, the lowest NPS first (:func:`stores_of_week`)
        "stores": stores,
        # stores whose answers stop before the period's end (cx.views.board._silent_at)
        "silent": tuple(data.get("silent", ())),
        # the period's answers that are the demo's generated ones (said under the title)
        "demo": int(data.get("demo", 0)),
        "done": privacy.mask_frame(done),
        "focus": {
            "reason": top[0] if top else None,
            # as many as are as common: one named "main" beside another as common read
            # as if the other were less (服务态度冷漠 over 等待时间过长, 2 each)
            "tied": [r for r in ranked[1:] if r["n"] == ranked[0]["n"]],
            "required": None if mtd is None else mtd["required"],
            "status": None if mtd is None else mtd["status"],
        },
    }


def stores_of_week(
    by_store: pd.DataFrame, overdue_stores: pd.Series, open_stores: pd.Series
) -> pd.DataFrame:
    """Each store of a region's or the network's weekly report that had answers in the
    week or the week before: ``store_id``, ``store_name``, the week's ``n`` and ``nps``,
    the ``change`` from the week before and its ``verdict`` (:func:`compare`), its
    detractors ``overdue`` (past their deadline, not called back, as the report counts
    them: ``overdue_stores``, the store of each) and its ``open`` actions (``open_stores``). The lowest NPS of the week first, then the stores
    without answers this week. A regional manager had the region's one figure and a list
    of answers, and no way to see which store the week went wrong in."""
    week = by_store[["week_d", "week_pa", "week_p"]].to_numpy(dtype="int64")
    prev = by_store[["prev_d", "prev_pa", "prev_p"]].to_numpy(dtype="int64")
    rows = []
    for sid, name, w, pv in zip(
        by_store["store_id"], by_store["store_name"], week, prev, strict=True
    ):
        if not (w.any() or pv.any()):
            continue  # no answers in either week (a closed store): nothing to read
        ch = compare(tuple(int(x) for x in w), tuple(int(x) for x in pv))
        rows.append(
            {
                "store_id": sid,
                "store_name": name,
                "n": int(w.sum()),
                "nps": stats.nps(*(int(x) for x in w)),
                "change": ch["diff"],
                "verdict": ch["verdict"],
            }
        )
    out = pd.DataFrame(rows, columns=["store_id", "store_name", "n", "nps", "change", "verdict"])
    out["overdue"] = out["store_id"].map(overdue_stores.value_counts()).fillna(0).astype("int64")
    out["open"] = out["store_id"].map(open_stores.value_counts()).fillna(0).astype("int64")
    out["_none"] = out["nps"].isna()
    out = out.sort_values(["_none", "nps", "store_id"], kind="stable", na_position="last")
    return out.drop(columns="_none").reset_index(drop=True)


def _num(value: float | None, lang: str, digits: int = 1) -> str:
    return t("fmt.no_data", lang) if value is None else f"{value:.{digits}f}"


def _no_target(lang: str) -> str:
    """A figure of a month without a target ('no data' had stood beside 872 answers)."""
    return t("board.mtd.no_target", lang)


def _pct(value: float | None, lang: str) -> str:
    return t("fmt.no_data", lang) if value is None else f"{100 * value:.1f}%"


def reason_label(key: str | None, lang: str) -> str:
    """A pain point's label ('' or missing -> 'not given')."""
    key = _clean(key)
    if not key:
        return t("board.report.no_reason", lang)
    return label(PAIN_POINTS, key, lang) if key in PAIN_POINTS else key


def _days(first: date, n: int) -> dict[str, str]:
    """``start`` and ``end`` of the ``n`` days from ``first``, as a label names them."""
    return {"start": f"{first:%m-%d}", "end": f"{first + timedelta(days=n - 1):%m-%d}"}


def report_rows(summary: dict, lang: str, plain: bool = False) -> list[tuple[str, str]]:
    """(label, value) rows of the report's figures, in ``lang``; ``plain``: one number a
    row, counts without thousands separators (the CSV: a spreadsheet reads "1184" as a
    number in any locale, "1,184" only in some, and "113 / 19 / 4" or "77.5（样本 872）"
    as text a regional manager could not add up)."""
    c = "{}".format if plain else "{:,}".format
    w, pv, ch = summary["week"], summary["prev"], summary["change"]
    verdict = t(f"board.verdict.{ch['verdict']}", lang)
    diff = "" if ch["diff"] is None else f"{ch['diff']:+.1f}"
    if plain:
        counts = [(t(f"report.count.{k}", lang), c(w[k])) for k in ("p", "pa", "d")]
    else:
        counts = [(t("board.report.counts", lang), f"{c(w['p'])} / {c(w['pa'])} / {c(w['d'])}")]
    rows = [
        (t("board.report.nps_week", lang), _num(w["nps"], lang)),
        (t("board.report.n_week", lang), c(w["n"])),
        *counts,
        (
            t("board.report.nps_prev", lang, **_days(summary["start"] - timedelta(days=7), 7)),
            _num(pv["nps"], lang),
        ),  # fmt: skip
        # the change and its verdict apart: a cell '+2.1 (within noise)' would start a
        # formula in a spreadsheet, and its CSV showed it with a quote before it
        (t("board.report.change", lang), diff or t("fmt.no_data", lang)),
        (t("board.report.change_verdict", lang), verdict),
        (t("board.report.promoters", lang), _pct(w["share_p"], lang)),
        (
            t("board.report.promoter_target", lang),
            _no_target(lang)
            if summary["promoter_target"] is None
            else _pct(summary["promoter_target"], lang),
        ),
        (t("board.report.detractors", lang), _pct(w["share_d"], lang)),
        (t("board.report.detractor_line", lang), _pct(summary["detractor_line"], lang)),
    ]
    top = summary["top_reasons"]
    for r in top:
        # ranked as a competition ranks: tied reasons share their place ("tied #1")
        i = 1 + sum(x["n"] > r["n"] for x in top)
        tied = sum(x["n"] == r["n"] for x in top) > 1
        rows.append(
            (
                t("board.report.reason_tied" if tied else "board.report.reason_n", lang, i=i),
                t(
                    "report.value.reason",
                    lang,
                    reason=reason_label(r["reason"], lang),
                    n=r["n"],
                    pct=f"{100 * r['share']:.0f}",
                ),
            )
        )
    cb = summary["callbacks"]
    for key in cb:
        rows.append((t(f"board.report.cb_{key}", lang), c(cb[key])))
    rows.append((t("board.report.open_actions", lang), c(len(summary["open_actions"]))))
    m = summary.get("mtd")
    if m is not None:
        gap = None if m["nps"] is None or m["target"] is None else m["nps"] - m["target"]
        d = digits_apart(m["nps"], m["target"], 1)  # 71.95 against 72: not "72.0", "-0.0"
        if m["target"] is None:  # a month without a target says so, as the board does
            gap_text = _no_target(lang)
        elif gap is None:
            gap_text = t("fmt.no_data", lang)
        else:
            gap_text = fixed(gap, d, sign=True)
        end = summary["end"]  # the month to the report's last day
        span = {"start": f"{month_start(end):%m-%d}", "end": f"{end:%m-%d}"}
        if plain:
            rows += [
                (t("report.mtd_nps", lang, **span), _num(m["nps"], lang, d)),
                (t("report.mtd_n", lang, **span), c(m["n"])),
            ]
        else:
            rows.append(
                (
                    t("report.mtd_nps", lang, **span),
                    t("report.value.mtd", lang, nps=_num(m["nps"], lang, d), n=m["n"]),
                )
            )
        rows += [
            (
                t("report.mtd_target", lang, month=f"{end:%Y-%m}"),
                _no_target(lang) if m["target"] is None else _num(m["target"], lang, d),
            ),
            (t("report.mtd_gap", lang), gap_text),
        ]
    return rows


def _focus_lines(summary: dict, lang: str) -> list[str]:
    """'Focus next week': the main detractor reason, the NPS the month still needs."""
    out = []
    focus = summary.get("focus") or {}
    reason = focus.get("reason")
    tied = focus.get("tied") or []
    if reason and tied:
        out.append(
            t(
                "report.focus.reasons_tied",
                lang,
                reasons=t("fmt.sep_list", lang).join(
                    reason_label(r["reason"], lang) for r in [reason, *tied]
                ),
                n=reason["n"],
                share=f"{100 * reason['share']:.0f}%",
            )
        )
    elif reason:
        out.append(
            t(
                "report.focus.reason",
                lang,
                reason=reason_label(reason["reason"], lang),
                n=reason["n"],
                share=f"{100 * reason['share']:.0f}%",
            )
        )
    m = summary.get("mtd")
    if m is None or m["target"] is None:
        out.append(t("report.focus.no_target", lang))
    elif focus.get("status") in ("already_secured", "out_of_reach"):
        out.append(t(f"report.focus.{focus['status']}", lang, target=f"{m['target']:.1f}"))
    elif focus.get("required") is not None:
        out.append(
            t(
                "report.focus.required",
                lang,
                target=f"{m['target']:.1f}",
                req=f"{focus['required']:.1f}",
                n=f"{m['n_left']:.0f}",
            )
        )
    n_open = len(summary["open_actions"])
    if n_open:
        out.append(t("report.focus.open", lang, n=n_open))
    return out


LISTED = 20
"""Items of each of the report's lists on the page and in the text to copy (a chat's
message); the downloaded files list every one (``listed=None``)."""


def report_markdown(summary: dict, store_label: str, lang: str, listed: int | None = LISTED) -> str:
    """The weekly report as Markdown; values from data (store names, ids, owners) are
    escaped so the file shows them as text wherever it is opened. ``listed``: items of
    each list (None: all)."""
    return _report(summary, store_label, lang, Markdown, listed)


def report_text(summary: dict, store_label: str, lang: str, listed: int | None = LISTED) -> str:
    """The weekly report as plain text to paste into a chat or an e-mail, which show
    Markdown's marks as typed (a masked phone read "138\\*\\*\\*\\*5678", a heading
    "## 本周行动"): headings in 【】 (Chinese) or capitals, the figures as "item: value"
    lines, the lists with bullets; values from data as they are. ``listed``: items of
    each list (None: all)."""
    return _report(summary, store_label, lang, PlainText, listed)


def report_txt(text: str) -> bytes:
    """:func:`report_text` as its download: a line a spreadsheet's text import would take
    for a formula starts with a quote, as in the CSV (a store named '=HYPERLINK(…)' had
    begun the file with it)."""
    return "\n".join(map(export.neutralise_value, text.split("\n"))).encode("utf-8")


class Markdown:
    """How :func:`_report` writes Markdown: data escaped, a table of the figures."""

    @staticmethod
    def data(value: object) -> str:
        return md_escape(value)

    @staticmethod
    def heading(level: int, text: str, lang: str) -> str:
        return "#" * level + " " + text

    @staticmethod
    def table(rows: list[tuple[str, str]], lang: str) -> list[str]:
        head = f"| {t('board.report.col_item', lang)} | {t('board.report.col_value', lang)} |"
        return [head, "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]

    @staticmethod
    def item(text: str, level: int = 0) -> str:
        return "  " * level + "- " + text

    @staticmethod
    def grid(head: list[str], rows: list[list[str]], lang: str) -> list[str]:
        """A table of several columns, the first naming its row."""
        return [
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
            *("| " + " | ".join(r) + " |" for r in rows),
        ]


class PlainText(Markdown):
    """How :func:`_report` writes plain text: data on one line as it is."""

    @staticmethod
    def data(value: object) -> str:
        return plain_text(value)

    @staticmethod
    def heading(level: int, text: str, lang: str) -> str:
        if level == 1:
            return text
        return f"【{text}】" if lang == "zh" else text.upper()

    @staticmethod
    def table(rows: list[tuple[str, str]], lang: str) -> list[str]:
        sep = "：" if lang == "zh" else ": "
        return [f"{k}{sep}{v}" for k, v in rows]

    @staticmethod
    def item(text: str, level: int = 0) -> str:
        return "    " * level + ("• " if level == 0 else "· ") + text

    @staticmethod
    def grid(head: list[str], rows: list[list[str]], lang: str) -> list[str]:
        # a chat has no tables: a line a row, each figure after its column's name
        sep = "：" if lang == "zh" else ": "
        return [
            PlainText.item(
                r[0] + sep + " · ".join(f"{h} {v}" for h, v in zip(head[1:], r[1:], strict=True))
            )
            for r in rows
        ]


def _report(
    summary: dict, store_label: str, lang: str, style: type[Markdown], listed: int | None
) -> str:
    """The weekly report's lines in ``style`` (:class:`Markdown` or :class:`PlainText`),
    each list's first ``listed`` items (None: all)."""
    cut = len if listed is None else (lambda items: min(len(items), listed))
    more = "board.report.more_in_files"  # said only where a list stops short
    esc = style.data
    head = t(
        "board.report.title",
        lang,
        store=esc(store_label),
        start=f"{summary['start']:%Y-%m-%d}",
        end=f"{summary['end']:%Y-%m-%d}",
    )
    lines = [style.heading(1, head, lang), ""]
    if summary.get("silent"):  # first: every figure below lacks their days
        lines += [t("report.silent", lang, stores=esc(silent_text(summary["silent"], lang))), ""]
    if summary.get("demo"):  # a report copied into a chat reads as the store's own
        lines += [t("report.demo", lang), ""]
    lines += style.table(report_rows(summary, lang), lang)
    stores = summary.get("stores")
    if stores is not None and len(stores):
        lines += ["", style.heading(2, t("report.by_store", lang), lang), ""]
        lines += [t("report.by_store.help", lang, low=stats.LOW_N), ""]
        shown = stores.head(cut(stores))
        lines += style.grid(_store_head(lang), _store_rows(shown, lang, esc), lang)
        if len(stores) > cut(stores):
            lines += ["", t(more, lang, n=len(stores) - cut(stores))]
    # the template's two sections: what was done this week, what to focus on next week
    done = summary.get("done")
    done = done if done is not None else pd.DataFrame()
    cb = summary["callbacks"]
    lines += ["", style.heading(2, t("report.actions", lang), lang), ""]
    lines.append(style.item(t("report.actions.callbacks", lang, **cb)))
    lines.append(style.item(t("report.actions.closed", lang, n=len(done))))
    for rec in done.head(cut(done)).to_dict("records"):
        parts = [
            esc(_clean(rec["response_id"])),
            esc(_clean(rec["store_id"])),
            t("report.item.done_at", lang, at=f"{rec['changed_at']:%m-%d %H:%M}"),
            t(f"board.status.{rec['status']}", lang),
        ]
        if _clean(rec.get("root_cause")):
            parts.append(reason_label(rec["root_cause"], lang))
        parts += [esc(x) for x in (_clean(rec.get("owner")), _clean(rec.get("note"))) if x]
        lines.append(style.item(" · ".join(parts), 1))
    if len(done) > cut(done):
        lines.append(style.item(t(more, lang, n=len(done) - cut(done)), 1))
    lines += ["", style.heading(2, t("report.focus", lang), lang), ""]
    lines += [style.item(x) for x in _focus_lines(summary, lang)]
    acts = summary["open_actions"]
    count = f"（{len(acts)}）" if lang == "zh" else f" ({len(acts)})"
    lines += ["", style.heading(3, t("board.report.open_actions", lang) + count, lang), ""]
    if len(acts) == 0:
        lines.append(t("board.report.none", lang))
    shown = acts.head(cut(acts))
    reasons = painpoints.reason_shown(shown, lang, t("board.report.no_reason", lang))
    for rec, reason in zip(shown.to_dict("records"), reasons, strict=True):
        status = t(f"board.status.{rec['status']}", lang)
        answered = t("report.item.answered_at", lang, at=f"{rec['responded_at']:%m-%d %H:%M}")
        lines.append(
            style.item(
                f"{esc(rec['response_id'])} · {esc(rec['store_id'])} · {answered}"
                f" · {t('board.report.score', lang, score=rec['nps'])} · {reason} · {status}"
                + (f" · {esc(rec['owner'])}" if isinstance(rec.get("owner"), str) else "")
            )
        )
    if len(acts) > cut(acts):  # a paragraph of its own: under the list, it joined its last item
        lines += ["", t(more, lang, n=len(acts) - cut(acts))]
    return "\n".join(lines) + "\n"


def _store_head(lang: str) -> list[str]:
    """The by-store table's column names: short, six columns on a phone's width (the
    sentence above the table says each in full)."""
    return [
        t("board.rank.col.store", lang),
        t("report.by_store.nps", lang),
        t("board.rank.col.n", lang),
        t("report.by_store.change", lang),
        t("report.by_store.overdue", lang),
        t("report.by_store.open", lang),
    ]


def _store_rows(stores: pd.DataFrame, lang: str, esc) -> list[list[str]]:
    """:func:`stores_of_week`'s rows as the by-store table's cells: a week of fewer than
    :data:`cx.stats.LOW_N` answers flagged as the ranking flags it, a change beyond noise
    said so."""
    rows = []
    for r in stores.to_dict("records"):
        missing = r["nps"] is None or r["nps"] != r["nps"]
        nps = t("fmt.no_data", lang) if missing else fixed(r["nps"], 1)
        if r["n"] and r["n"] < stats.LOW_N:
            nps += t("board.rank.low", lang)
        change = t("fmt.no_data", lang)
        if r["change"] is not None and r["change"] == r["change"]:
            change = fixed(r["change"], 1, sign=True)
            if r["verdict"] == "real":
                change += t("report.by_store.real", lang)
        rows.append(
            [
                esc(store_label(r["store_id"], r["store_name"])),
                nps,
                f"{r['n']:,}",
                change,
                f"{r['overdue']:,}",
                f"{r['open']:,}",
            ]
        )
    return rows


def stores_csv(summary: dict, lang: str) -> bytes:
    """Each store's week (:func:`stores_of_week`) as a CSV a spreadsheet sorts and adds up:
    one number a cell, its id and name apart, the verdict in words (UTF-8 BOM, formulas
    neutralised)."""
    stores = summary["stores"]
    verdict = {v: t(f"board.verdict.{v}", lang) for v in set(stores["verdict"])}
    frame = pd.DataFrame(
        {
            t("col.store_id", lang): stores["store_id"],
            t("col.store_name", lang): stores["store_name"].map(plain_text),
            t("report.by_store.nps", lang): stores["nps"].astype(float).round(1),
            t("board.rank.col.n", lang): stores["n"],
            t("report.by_store.change", lang): stores["change"].astype(float).round(1) + 0.0,
            t("board.report.change_verdict", lang): stores["verdict"].map(verdict),
            t("report.by_store.overdue", lang): stores["overdue"],
            t("report.by_store.open", lang): stores["open"],
        }
    )
    return export.to_csv_bytes(frame)


def silent_text(silent: tuple, lang: str) -> str:
    """'NB01 (latest 2025-10-29), HZ02 (latest 2025-10-19)': the stores whose answers stop
    early, from (store_id, latest day) pairs."""
    return t("fmt.sep_list", lang).join(
        t("report.silent_store", lang, store=sid, latest=f"{latest:%Y-%m-%d}")
        for sid, latest in silent
    )


def report_csv(summary: dict, store_label: str, lang: str) -> bytes:
    """The report's figures as a two-column CSV (UTF-8 BOM, formulas neutralised)."""
    rows = [(t("board.report.store", lang), store_label)]
    rows.append(
        (t("board.report.week", lang), f"{summary['start']:%Y-%m-%d} – {summary['end']:%Y-%m-%d}")
    )
    if summary.get("silent"):
        rows.append((t("report.silent_col", lang), silent_text(summary["silent"], lang)))
    rows += report_rows(summary, lang, plain=True)
    frame = pd.DataFrame(
        rows, columns=[t("board.report.col_item", lang), t("board.report.col_value", lang)]
    )
    return export.to_csv_bytes(frame)
