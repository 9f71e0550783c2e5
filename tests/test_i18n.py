"""Every text a person reads exists in Chinese and English; code uses only known keys."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from cx import i18n
from cx.scope import Scope

ROOT = Path(__file__).resolve().parent.parent
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z0-9_.]*[A-Za-z0-9_])["']""")


def test_every_key_has_both_languages():
    for key, entry in i18n.table().items():
        assert set(entry) >= {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key


def test_english_texts_have_no_chinese_left_in_them():
    han = re.compile(r"[\u4e00-\u9fff]")
    allowed: set[str] = set()  # labels that show both on purpose
    offenders = [k for k, e in i18n.table().items() if han.search(e["en"]) and k not in allowed]
    # A few English texts quote a Chinese label on purpose (e.g. tier names); keep it rare.
    assert len(offenders) <= 10, offenders


# Texts whose two languages name different values on purpose.
PLACEHOLDERS_DIFFER = {
    "metric.csat.formula": "the English names the CSAT scale's top (1-{csat_max})",
    "metric.repeat_fault.formula": "the Chinese names the pain point's label too",
}


def test_placeholders_match_between_languages():
    field = re.compile(r"{(\w+)")
    table = i18n.table()
    for key, entry in table.items():
        if key in PLACEHOLDERS_DIFFER:
            continue
        assert set(field.findall(entry["zh"])) == set(field.findall(entry["en"])), key
    assert set(PLACEHOLDERS_DIFFER) <= set(table)


def test_keys_used_in_code_exist():
    table = i18n.table()
    missing = []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("cx/**/*.py")]:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in table:
                missing.append(f"{path.name}: {key}")
    assert not missing, missing


def test_unknown_key_raises_and_lang_normalises():
    import pytest

    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")
    assert i18n.normalise_lang("EN-us") == "en"
    assert i18n.normalise_lang(None) == "zh"
    assert i18n.normalise_lang("fr") == "zh"


# --------------------------------------------------------------------------- dynamic keys

# Every key the code builds at run time (f"board.status.{s}", "up.how." + how), as
# template -> the values that fill it, taken from where the code takes them. A template
# found in the code but missing here fails (test_every_dynamic_key_template_is_enumerated).
DYN_FSTRING = re.compile(r"""\bf["']((?:[a-z][a-z0-9_]*\.)+[a-z0-9_]*)\{""")
DYN_CONCAT = re.compile(r"""["']((?:[a-z][a-z0-9_]*\.)+)["']\s*\+""")
# Column headers of frames assembled across a page (several frames, columns chosen there):
# every key under these counts as used, and the page tests render each table (an unknown
# key raises there). The other column templates are enumerated from their frames below.
FRAME_HEADERS = {"seg.col.", "quad.col.", "heat.col."}
NOT_KEYS = {
    "cx.texts.",
    "r.c",
    "v.n_",
    "v.v_",
    "v.t_",
    "v.u_",
    "n.",
    "o.",
    "r.",
    "b.",
}  # module and SQL names


def _dynamic_values(frame_columns) -> dict[str, set[str]]:
    from typing import get_args

    from cx import (
        access,
        analysis,
        demo,
        followups,
        ingest,
        metrics,
        overview,
        painpoints,
        report,
        rules,
        signals,
        stats,
        targets,
    )
    from cx.charts import planner as plan_charts
    from cx.queries import segments as seg_q
    from cx.ui import UPLOAD_COLUMNS, UPLOAD_SOURCES
    from cx.ui import board as board_ui
    from cx.ui import planner as plan_ui
    from cx.views import data as data_view

    day = date(2025, 3, 31)
    stages = set(re.findall(r'tell\([^,]+,\s*"(\w+)"\)', _source("cx/ingest.py")))
    return {
        # enums and lists in the code
        "enum.": {f"{e.kind}.{k}" for e in _enum_labels() for k in e},
        "metric.": {  # each metric's texts, and the registry's words (layers, units, tests)
            f"{m.texts or m.key}.{part}"
            for m in metrics.every().values()
            for part in ("label", "formula", "description")
        }
        | {f"{kind}.{x}" for kind in ("layer", "unit", "test") for x in _literal(metrics, kind)},
        "metric.layer.": set(get_args(metrics.Layer)),
        "metric.unit.": set(get_args(metrics.Unit)),
        "metric.test.": set(get_args(metrics.Test)),
        "metric.better.": set(metrics._BETTER.values()),
        "metric.head.": {*metrics._COLUMNS, "pages", "description"},
        "access.role.": set(access.ROLES),
        "board.status.": set(followups.STATUSES),
        "board.cb.segment.": {"promoter", "passive", "detractor"},
        "audit.detail.": {"upload", "undo", "mapping"},
        "board.period.": set(report.PERIODS),
        "board.cmp.": {k for p in report.PERIODS for k, *_ in report.comparison_ranges(day, p)},
        "board.pace.": set(get_args(rules.PaceStatus)) - {"needed"},
        "board.tab.": set(board_ui.TABS),
        "report.mode.": set(report.REPORT_MODES),
        "report.pick.": set(report.REPORT_MODES),
        "report.focus.": set(get_args(rules.PaceStatus)) - {"needed"},
        "plan.d28.": set(get_args(rules.PaceStatus)) | {"keep", "none_left"},  # planner._day28_note
        "plan.preset.": set(plan_ui.PRESETS),
        "plan.q.": set(plan_charts.QUADRANT_COLORS),
        "target.source.": set(targets.SOURCES),
        "digest.signal.": set(signals.STORE_SIGNALS) | set(signals.ADVISOR_SIGNALS),
        "seg.signal.": set(signals.STORE_SIGNALS) | set(signals.ADVISOR_SIGNALS),
        "seg.dim.": set(seg_q.DIMENSIONS),
        "seg.share.": set(rules.SEGMENT_ORDER),
        "seg.rule.": {painpoints.ANSWER, painpoints.UNCLASSIFIED, painpoints.NO_COMMENT},
        "seg.flag.": {stats.sample_flag(n) for n in range(200)} - {"ok"},
        "ov.layer.": set(metrics.LAYER_ORDER),
        "ov.state.": set(overview.STATE_BADGE),
        "ov.dir.": {"up", "down", "flat"},  # Change.direction, or 'flat' when not real
        "quad.zone.": set(analysis.ZONES),
        "quad.advice.": set(analysis.ZONES),
        "quad.period.": set(get_args(rules.PeriodKind)),
        "quad.tier.": {f"nps.{key}" for _, key, *_ in stats.NPS_TIERS}
        | {f"csi.{key}" for _, key, *_ in stats.CSI_TIERS},
        "heat.ipa.": set(analysis.IPA_ZONES),
        "up.stage.": stages | {"inspect", "validate"},  # + the Upload page's spinners
        "app.demo_stage.": set(demo.BUILD_STAGES),
        "up.status.": {"committed", "undone"},  # uploads.status (cx.ingest)
        "up.source.": set(UPLOAD_SOURCES),  # uploads.source (cx.ui.uploads_table)
        "audit.action.": set(access.AUDIT_ACTIONS),  # audit_log.action (cx.access)
        "up.template_": set(i18n.LANGS),
        "up.count.": {"read", "add", "replace", "same", "reject", "ignored"},  # show_preview
        "up.how.": {"exact", "alias", "keyword", "saved", "manual", "none"},  # Mapping.how
        "reveal.": set(ingest.db.RESPONSE_COLUMNS) & {"phone", "customer_name", "plate"},
        # fixed choices written where they are offered
        "board.verdict.": {"real", "noise", "not_compared", "no_data"},  # report.change
        "board.kpi.": {"nps", "promoters", "passives", "detractors"},
        "board.trend.": {"daily", "rolling", "band", "target", "milestone", "date", "n", "plan"},
        "board.cb.view.": {"cards", "table"},
        "board.report.cb_": {"on_time", "late", "unreachable", "overdue", "pending"},
        "report.count.": {"p", "pa", "d"},  # report.report_rows, the CSV's counts
        "board.report.download_": {"md", "csv", "txt"},  # the weekly report's downloads
        "quad.cross.": {"median", "fixed", "targets"},
        "quad.how.": {"median", "median_missing", "fixed", "target_none"}
        | {f"target_{s}" for s in targets.SOURCES if s != "none"},
        "heat.sort.": {"cji_desc", "cji_asc", "store"},
        "heat.verdict.": {"stronger", "weaker", "consistent"},
        "seg.status.": {"up", "down", "noise", "too_few"},  # segments.compare_periods
        "seg.": {"score", "n", "share", "segment", "reason", "cum_share"},
        # column headers of the frames shown
        "col.": set(UPLOAD_COLUMNS) | frame_columns["stores"] | set(data_view.SHOWN_REJECT_COLUMNS),
        "audit.col.": frame_columns["audit"],
        "access.col.": frame_columns["grants"],
        "board.cb.col.": frame_columns["queue"],
        "board.rank.col.": set(board_ui.RANK_COLUMNS),
    }


def _literal(module, kind: str) -> tuple[str, ...]:
    """The values of the Literal type ``kind`` (capitalised) of ``module``."""
    from typing import get_args

    return get_args(getattr(module, kind.capitalize()))


def _enum_labels():
    """Every enumeration whose labels the code reads as ``enum.<kind>.<key>``."""
    from cx import enums

    return [v for v in vars(enums).values() if isinstance(v, enums.EnumLabels)]


def _source(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


@pytest.fixture
def frame_columns(empty_db):
    from datetime import datetime

    from cx import access, db, followups, queries
    from cx.queries import board as board_q

    with db.connect(empty_db) as con:
        queue = board_q.callback_queue(con, Scope(), datetime(2025, 10, 1))
        return {
            "stores": set(queries.stores(con).columns),
            "audit": set(access.audit_log(con).columns),
            "grants": set(access.grants(con).columns),
            "queue": {_untranslate(h) for h in followups.display_queue(queue, "en").columns},
        }


def _untranslate(header: str) -> str:
    """The key of a translated board.cb.col header (display_queue renames its columns)."""
    keys = [
        k.removeprefix("board.cb.col.")
        for k, entry in i18n.table().items()
        if k.startswith("board.cb.col.") and entry["en"] == header
    ]
    assert len(keys) == 1, header
    return keys[0]


def test_every_dynamic_key_exists_in_both_languages(frame_columns):
    table = i18n.table()
    missing = [
        f"{template}{value}"
        for template, values in _dynamic_values(frame_columns).items()
        for value in values
        if f"{template}{value}" not in table
    ]
    assert not missing, missing


def test_every_dynamic_key_template_is_enumerated(frame_columns):
    known = set(_dynamic_values(frame_columns)) | FRAME_HEADERS
    found = {}
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("cx/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for template in DYN_FSTRING.findall(text) + DYN_CONCAT.findall(text):
            if template not in NOT_KEYS:
                found.setdefault(template, path.relative_to(ROOT).as_posix())
    new = {k: v for k, v in found.items() if k not in known}
    assert not new, f"dynamic text keys to enumerate in _dynamic_values: {new}"


def test_no_key_is_unused(frame_columns):
    """A key is used when the code names it, or a dynamic template with its values does."""
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("cx/**/*.py")]
        if "texts" not in p.parts
    )
    built = {
        f"{template}{value}"
        for template, values in _dynamic_values(frame_columns).items()
        for value in values
    }
    unused = [
        key
        for key in i18n.table()
        if f'"{key}"' not in code
        and f"'{key}'" not in code
        and key not in built
        and not any(key.startswith(prefix) for prefix in FRAME_HEADERS)
    ]
    assert not unused, ", ".join(unused)


def test_enum_labels_are_the_translation_table_s():
    from cx import enums

    assert enums.label(enums.PAIN_POINTS, "waiting", "zh") == "等待时间过长"
    assert enums.label(enums.TP_LABELS, "follow_up", "en") == "Follow-up"
    assert enums.PAIN_POINTS["cost"] == ("费用超预期/不透明", "Cost above estimate / unclear")
    assert enums.label(enums.SEGMENTS, "unknown", "en") == "unknown"
    assert enums.label(enums.SEGMENTS, None, "en") == ""
    # an upload accepts the key and both labels, as the table writes them
    accepted = enums.spelling_map("key_touchpoint")
    assert accepted["维修质量/一次修好"] == accepted["repair quality / fixed first time"]
    assert accepted["repair_quality"] == "repair_quality"
    kinds = {key.split(".")[1] for key in i18n.table() if key.startswith("enum.")}
    assert kinds == {e.kind for e in _enum_labels()}


def test_tier_names_are_the_ones_the_tiers_are_known_by():
    """The quadrant table's NPS and CSI tier names read as cx.stats writes them beside
    their bounds (the copy there can go once nothing reads it)."""
    from cx import analysis, stats

    for kind, tiers in (("nps", stats.NPS_TIERS), ("csi", stats.CSI_TIERS)):
        for _, key, zh, en in tiers:
            assert analysis._tier_label(kind, key, "zh") == zh
            assert analysis._tier_label(kind, key, "en") == en
    assert analysis._tier_label("nps", None, "en") == ""


def test_database_problems_are_texts_of_the_table(tmp_path):
    """A refused database file is told in the reader's language, as the table writes it."""
    from cx import db

    path = tmp_path / "other.duckdb"
    path.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(db.DatabaseRefused) as err:
        db.open_connection(path)
    problem = err.value
    assert problem.text("en") == str(problem) == i18n.t("db.sqlite", "en", name="other.duckdb")
    assert problem.text("zh") == problem.message_zh == i18n.t("db.sqlite", "zh", name=path.name)
    assert problem.message_zh.startswith("other.duckdb 是 SQLite 文件")
    # the sentence a caller writes in both languages reads the same way
    said = db.Problem("The command stopped.", "命令已停止。")
    assert (said.text("zh"), said.text("en")) == ("命令已停止。", "The command stopped.")


def test_counts_in_texts_read_with_thousands_separated_and_names_do_not():
    """A count put into a text reads 9,927 as the figures and tables beside it do; an
    upload's number and the data version are names (#1234); a format the text gives wins."""
    import numpy as np

    en = i18n.t("cli.undone", "en", id=1234, added=12_500, restored=np.int64(3000))
    assert en == "upload #1234 undone: 12,500 added rows removed, 3,000 replaced rows restored"
    zh = i18n.t("up.undone", "zh", id=1234, added=12_500, restored=np.int64(3000))
    assert zh == "上传 #1234 已撤销：它新增的 12,500 行已移除，替换的 3,000 行已恢复原样。"
    assert i18n.t("data.file", "en", path="cx.duckdb", version=1031).endswith("version 1031)")
    assert "waited 1500 s" in i18n.t("db.busy", "en", name="cx.duckdb", waited=1500)
    # small counts, fractions, flags and text are left as they are
    assert i18n.t("up.undone", "en", id=7, added=999, restored=2.5).endswith(
        "removed (999) and the rows it replaced are back (2.5)."
    )
    assert "back (True)" in i18n.t("up.undone", "en", id=7, added=1, restored=True)
    # the Markdown flavour the pages use does the same
    assert "12,500 行" in i18n.t_markdown("up.undone", "zh", id=1234, added=12_500, restored=0)


def test_english_counts_of_one_are_singular():
    """'1 detractor', '1 row removed', '1 more store': never '1 detractors'."""
    line = i18n.t("board.head.due_line", "en", overdue=157, dets=1, today=29, open=1408)
    # '24 h' kept on one line (a no-break space): it broke as '24 / h' on the card
    assert line == "157 overdue (1 detractor) · 29 due in 24\u00a0h · 1,408 open"
    assert "(4 detractors)" in i18n.t(
        "board.head.due_line", "en", overdue=9, dets=4, today=0, open=9
    )
    assert i18n.t("cli.undone", "en", id=3, added=1, restored=0) == (
        "upload #3 undone: 1 added row removed, 0 replaced rows restored"
    )
    assert i18n.t("board.alerts.more", "en", n=1) == "1 more store with overdue detractor callbacks"
    assert i18n.t("board.alerts.more", "en", n=2).startswith("2 more stores with")
    help_ = i18n.t("board.mtd.required_help", "en", n="30", per_day="30.0", days=1)
    assert help_.endswith("30.0 a day × 1 day).")
    # the command line's plain numbers keep the same endings
    said = i18n.t_plain_counts("cli.undone", "en", id=3, added=12000, restored=1)
    assert said == "upload #3 undone: 12000 added rows removed, 1 replaced row restored"


PICKERS = {"radio", "selectbox", "multiselect", "segmented_control", "pills", "select_slider"}
SAME_IN_EVERY_LANGUAGE = {"lang"}  # the switch names each language in itself


def test_every_picker_with_labels_is_relabelled_on_a_switch_of_language():
    """Streamlit 1.67's browser keeps a picker's value as the chosen option's label, so a
    picker drawing its options through ``format_func`` showed nothing chosen, or the old
    language's label, after a switch (the quadrant's radios, the segments' breakdown, the
    overview's target metric) unless its key is ``cx.ui.relabelled``'s, whose value is
    set again in the run of the new language."""
    import ast

    missing = []
    for path in [
        *sorted((ROOT / "cx" / "ui").glob("*.py")),
        *sorted((ROOT / "pages").glob("*.py")),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            named = {k.arg: k.value for k in node.keywords}
            if node.func.attr not in PICKERS or "format_func" not in named:
                continue
            key = named.get("key")
            if isinstance(key, ast.Constant) and key.value in SAME_IN_EVERY_LANGUAGE:
                continue
            if not (isinstance(key, ast.Call) and getattr(key.func, "id", "") == "relabelled"):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(key or node)}")
    assert not missing, missing


def test_text_from_data_draws_no_icon_emoji_entity_or_reversal():
    """Streamlit drew ':material/warning:' as an icon and ':100:', ':+1:' as emoji even with
    the colon escaped; '&lt;b&gt;' read '<b>'; a right-to-left override in a store's name
    turned the rest of the sentence backwards ('RTL0.0 SPN' for 'NPS 0.0'). Drawn, each is
    the characters it is (tests/test_browser_auth.py checks them on every page)."""
    for code in (":material/warning:", ":smile:", ":100:", ":+1:", ":-1:", "a:b:c"):
        out = i18n.md_escape(code)
        assert not re.search(r":[\w+/-]+:", out), out
        assert out.replace("\u2060", "").replace("\\", "") == code
    assert i18n.md_escape("&lt;b&gt;") == "\\&lt;b\\&gt;"
    assert i18n.md_escape("10:30") == "10:30"  # a time: no code, nothing added
    for hidden in ("\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff"):
        assert i18n.md_escape(f"RTL{hidden}gnp 店") == "RTLgnp 店"
        assert i18n.plain_text(f"RTL{hidden}gnp  店\n") == "RTLgnp 店"  # a chat's copy
