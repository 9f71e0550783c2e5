"""Helpers several test modules share: independent expectations computed straight from
``responses`` (never through the code under test) and hand-made input rows.

Test modules import from here, not from each other.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from cx import stats
from cx.enums import CSI_DIMS, TP_KEYS
from cx.scope import Scope

OCT, SEP = date(2025, 10, 1), date(2025, 9, 1)


# --------------------------------------------------------------------------- overview and metrics


def month_row(**kw) -> dict:
    """A month of inputs with no answers at all, overridden by ``kw``."""
    base: dict = {
        c: 0
        for c in ["n", "d", "pa", "p", "csat_n", "csat_top2", "ces_n", "ces_sum", "ces_sumsq"]
        + ["ces_low", "wait_n", "wait_sum", "wait_over120", "ftf_n", "ftf_yes", "unresolved"]
    }
    for name in [f"csi_{d}" for d in CSI_DIMS] + [f"tp_{t}" for t in TP_KEYS]:
        base |= {f"{name}_n": 0, f"{name}_sum": 0.0, f"{name}_sumsq": 0.0}
    base |= {"wait_median": None, "wait_p90": None}
    base.update(kw)
    base.setdefault("pain_n", base["n"])  # the export carried pain points
    return base


def raw_month_figures(con, where: str, params: list) -> dict:
    """Expectations straight from ``responses`` (not from the rollup the page reads)."""
    rows = con.execute(
        "SELECT nps, csat, ces, wait_minutes, CAST(first_time_fix AS INTEGER), pain_point"
        f" FROM responses WHERE {where}",
        params,
    ).fetchall()
    nps = np.array([r[0] for r in rows], dtype=float)
    csat = np.array([r[1] for r in rows if r[1] is not None], dtype=float)
    ces = np.array([r[2] for r in rows if r[2] is not None], dtype=float)
    wait = np.array([r[3] for r in rows if r[3] is not None], dtype=float)
    ftf = np.array([r[4] for r in rows if r[4] is not None], dtype=float)
    return {
        "n": len(rows),
        "nps": 100 * (np.sum(nps >= 9) - np.sum(nps <= 6)) / len(rows),
        "promoters": np.mean(nps >= 9),
        "detractors": np.mean(nps <= 6),
        "csat": np.mean(csat >= 4),
        "ces": ces.mean(),
        "ces_var": ces.var(ddof=1),
        "ces_easy": np.mean(ces <= 2),
        "ftf": ftf.mean(),
        "wait_median": float(np.median(wait)),
        "wait_p90": float(np.percentile(wait, 90)),
        "wait_over_2h": np.mean(wait > 120),
        "repeat_fault": sum(r[5] == "unresolved" for r in rows) / len(rows),
    }


def month_where(store: str | None, month: date) -> tuple[str, list]:
    """SQL condition and values for the answers of ``month`` (one store, or all)."""
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)  # independent of cx
    if store:
        return "store_id = ? AND responded_at >= ? AND responded_at < ?", [store, month, end]
    return "responded_at >= ? AND responded_at < ?", [month, end]


# --------------------------------------------------------------------------- heatmap


def raw_tp_means(con, flt: Scope, group: str = "store_id") -> pd.DataFrame:
    """Independent: touchpoint means and counts per store (or week) from responses."""
    parts = ", ".join(f"avg(tp_{tp}) AS {tp}, count(tp_{tp}) AS {tp}_n" for tp in TP_KEYS)
    key = "store_id" if group == "store_id" else "CAST(date_trunc('week', responded_at) AS DATE)"
    where = " AND store_id IN (SELECT unnest(?))" if flt.stores else ""
    sql = (
        f"SELECT {key} AS k, count(*) AS n, {parts} FROM responses"
        f" WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?{where} GROUP BY 1 ORDER BY 1"
    )
    params = [flt.start, flt.end] + ([list(flt.stores)] if flt.stores else [])
    return con.execute(sql, params).df().set_index("k")


def raw_cji(row, weights=None) -> float | None:
    return stats.cji({tp: (None if pd.isna(row[tp]) else row[tp]) for tp in TP_KEYS}, weights)


# --------------------------------------------------------------------------- quadrant


def raw_store_scores(con, start, end, store_ids=None) -> pd.DataFrame:
    """Independent: NPS counts and CSI dimension means per store straight from responses."""
    means = ", ".join(
        f"avg(csi_{d}) AS m_{d}, count(csi_{d}) AS n_{d}, stddev_samp(csi_{d}) AS s_{d}"
        for d in CSI_DIMS
    )
    sql = (
        "SELECT store_id, count(*) AS n, count(*) FILTER (WHERE nps <= 6) AS d,"
        " count(*) FILTER (WHERE nps IN (7, 8)) AS pa, count(*) FILTER (WHERE nps >= 9) AS p,"
        f" {means} FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?"
        " GROUP BY store_id ORDER BY store_id"
    )
    out = con.execute(sql, [start, end]).df()
    if store_ids is not None:
        out = out[out["store_id"].isin(store_ids)]
    out["csi"] = [
        stats.csi({d: (None if pd.isna(r[f"m_{d}"]) else r[f"m_{d}"]) for d in CSI_DIMS})
        for _, r in out.iterrows()
    ]
    # the conservative 95 % CSI interval: 1.96 x 100 x the weighted sum of the dimension
    # means' standard errors (as if the dimensions moved together)
    half = []
    for _, r in out.iterrows():
        dims = [d for d in CSI_DIMS if r[f"n_{d}"] > 0]
        w = sum(stats.CSI_WEIGHTS[d] for d in dims)
        se = sum(stats.CSI_WEIGHTS[d] * r[f"s_{d}"] / r[f"n_{d}"] ** 0.5 for d in dims)
        half.append(1.96 * 100 * se / w if dims else float("nan"))
    out["csi_low"] = out["csi"] - half
    out["csi_high"] = out["csi"] + half
    return out.reset_index(drop=True)


def expected_zone_text(r, nps_cut: float, csi_cut: float) -> str:
    """The Zone column a user should see for a raw row (English)."""
    names = {"dream": "Dream", "surprise": "Surprise", "danger": "Danger", "disaster": "Disaster"}
    nps = stats.nps(r["d"], r["pa"], r["p"])
    if pd.isna(r["csi"]):
        return "no CSI"
    zone = names[stats.quadrant(nps, r["csi"], nps_cut, csi_cut)]
    lo, hi = stats.nps_interval(r["d"], r["pa"], r["p"])
    if lo < nps_cut < hi or r["csi_low"] < csi_cut < r["csi_high"]:
        return f"On the line (leans {zone})"
    return zone


# --------------------------------------------------------------------------- files and processes

ROOT = Path(__file__).resolve().parent.parent


def big_export(tmp_path: Path, n: int = 60_000) -> Path:
    """A valid UTF-8 export of ``n`` answers across 40 stores (for long-running ingests)."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("response_id,store_id,responded_at,nps,comment\n")
        for i in range(n):
            fh.write(f"K{i},S{i % 40},2025-10-{1 + i % 28:02d} 10:00,{i % 11},评论{i}\n")
    return path


def export_with_a_stopped_store(path: Path) -> Path:
    """Four stores of 华东 and one of 华南, four answers a day, up to 2025-10-20: AA01
    answers every day; BB02's answers stop after 10-08 (twelve days silent by the 20th),
    with one day off before; CC03 answers on three days only (a store that seldom
    answers); DD04 (华南) stops after 10-18; EE05's stopped on 09-10 (more than a month
    before: a store that closed); FF06 (华南) is closed on Sundays, GG07 (华南) at weekends."""
    days = {
        "AA01": [date(2025, 10, d) for d in range(1, 21)],
        "BB02": [date(2025, 10, d) for d in range(1, 9) if d != 5],
        "CC03": [date(2025, 10, d) for d in (2, 9, 17)],
        "DD04": [date(2025, 10, d) for d in range(1, 19)],
        "EE05": [date(2025, 9, d) for d in range(1, 11)],
        # closed on Sundays (10-05, 10-12, 10-19), at weekends: no store whose answers stopped
        "FF06": [date(2025, 10, d) for d in range(1, 21) if date(2025, 10, d).weekday() != 6],
        "GG07": [date(2025, 10, d) for d in range(1, 21) if date(2025, 10, d).weekday() < 5],
    }
    lines = ["问卷编号,门店编号,门店名称,区域,提交时间,推荐分"]
    k = 0
    for store, when in days.items():
        region = "华南" if store in ("DD04", "FF06", "GG07") else "华东"
        for day in when:
            for i in range(4):
                k += 1
                lines.append(f"R{k:05d},{store},{store} 店,{region},{day} 1{i}:00,{6 + i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def upload_a_new_store(db_path: Path, folder: Path, first: date, second: date) -> None:
    """Upload two answers of a store the demo does not have, ``NEW9`` (a promoter on
    ``first``, a detractor on ``second``): a store whose answers are all uploaded."""
    from cx import ingest

    export = folder / "new_store.csv"
    export.write_text(
        "response_id,store_id,responded_at,nps\n"
        f"N1,NEW9,{first:%Y-%m-%d} 09:00,9\nN2,NEW9,{second:%Y-%m-%d} 10:00,3\n",
        encoding="utf-8",
    )
    assert ingest.ingest_file(export, db_path=db_path).added == 2


def cli_ingest_started(export: Path, db_path: Path) -> subprocess.Popen:
    """``python -m cx ingest EXPORT --db DB_PATH`` started in another process (its output
    piped; ``communicate()`` waits for it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "cx", "ingest", str(export), "--db", str(db_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(*args: str, db_path: Path, lang: str | None = None) -> subprocess.CompletedProcess:
    """``python -m cx ARGS`` in a fresh process with ``CX_DB`` set (and ``LANG``, when
    given, deciding the language of its refusals)."""
    env = {**os.environ, "CX_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    if lang is not None:
        env["LANG"] = lang
        env.pop("CX_LANG", None)
        env.pop("LC_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "cx", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@contextlib.contextmanager
def another_program_holds(path: Path, seconds: int = 60) -> Iterator[None]:
    """Another process holds the database file open (read-write) until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
            f" print('HOLD', flush=True); time.sleep({int(seconds)})",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "HOLD"
        yield
    finally:
        holder.kill()
        holder.wait()


def chart_frames(at) -> list[pd.DataFrame]:
    """Every dataset of every Vega-Lite chart an AppTest run drew, as the browser gets it."""
    import pyarrow as pa

    return [
        pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
        for c in at.get("vega_lite_chart")
        for ds in c.proto.datasets
    ]


# --------------------------------------------------------------------------- pickers


def shown_label(widget, held: str | None) -> str | None:
    """The option a browser shows checked or chosen in picker ``widget`` (an AppTest radio
    or selectbox) after the run that drew it. Streamlit 1.67's browser keeps a picker's
    value as the chosen option's label: it shows ``held``, the label it showed before the
    run, unless the run sent it a value (``set_value``) with the label; a label none of the
    options has any more (after a switch of language) shows nothing (None)."""
    proto = widget.proto
    label = proto.raw_value if proto.set_value else held
    return label if label in widget.options else None


def chosen_label(widget) -> str:
    """The label of the option ``widget`` holds on the server (its options as drawn)."""
    return widget.options[widget.index]


def record_downloads(monkeypatch) -> dict:
    """Every ``st.download_button`` a page run offers, by its key: (file name, data). The
    file name is not in the element a page test sees, and a table's data is made when it
    is clicked (a callable)."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    offered: dict = {}

    def recording(offer, bound: bool):
        def recorded(*args, **kwargs):
            data = kwargs.get("data", args[bound + 1] if len(args) > bound + 1 else None)
            offered[kwargs.get("key")] = (kwargs.get("file_name"), data)
            return offer(*args, **kwargs)

        return recorded

    # st.download_button, and a container's (an expander's, a column's)
    monkeypatch.setattr(st, "download_button", recording(st.download_button, False))
    monkeypatch.setattr(
        DeltaGenerator, "download_button", recording(DeltaGenerator.download_button, True)
    )
    return offered


# --------------------------------------------------------------------------- sign-in

# the app's [auth] secrets for AppTest runs as a signed-in person (no provider is asked)
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "cx",
    "client_secret": "cx-secret",
    "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
}


def signed_in_app(
    email: str | None, page: str | None = None, query: dict | None = None, lang: str = "en"
):
    """The app run as ``email`` signed in (None: signed out), on ``page``, in ``lang``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": email is not None, "email": email or ""}
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.session_state["ui_lang"] = lang
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def revoke_on_page(at, email: str, role: str, confirm: bool = True) -> None:
    """Revoke ``email``'s ``role`` on the Access page as an admin does: pick both, click,
    confirm unless ``confirm`` is false (the role set by state: AppTest keeps a picker's
    first ``format_func``)."""
    at.selectbox(key="access_revoke_email").select(email).run()
    at.session_state["access_revoke_role"] = role
    at.run()
    at.button(key="access_revoke").click().run()
    if confirm:
        at.button(key="access_revoke_yes").click().run()
