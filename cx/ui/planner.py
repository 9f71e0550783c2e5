"""What-if planner UI: session state and rendering for ``pages/planner.py``.

State: ``plan_base`` (baseline counts), ``plan_table_base`` (the project table as last
loaded) plus the editor's edits (``plan_table``), and one slider ``plan_gain_<uid>``
and toggle ``plan_on_<uid>`` per project, keyed by a stable row id (the table's hidden
``uid`` column; rows added in the editor get the next ids), so deleting a row never
shifts another project's gain. Loading a preset (:func:`sync_plan`), a saved scenario
or a JSON file replaces all of it (:func:`_install`). The interactive part is a
fragment (:func:`plan_panel`): a slider move reruns only it.
"""

import contextlib
import math
import statistics
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from cx import export, rules, stats
from cx import planner as P
from cx.charts import planner as charts
from cx.enums import PAIN_POINTS, label
from cx.i18n import digits_apart, fixed
from cx.queries import planner as q
from cx.scope import NETWORK, Scope
from cx.ui import (
    GAP,
    PLAN_PARAM,
    VIEW_PARAM,
    StoreList,
    all_stores_key,
    can,
    chart,
    choice,
    dataframe,
    esc,
    fixed_script,
    fmt_num,
    hold_choice,
    lang,
    load,
    no_answers,
    person,
    refusable,
    relabelled,
    show_picker,
    store_list,
    t,
    t_plain,
    uploader,
    url_set,
    write,
)
from cx.ui.board import file_key, scroll_script, selection_labeler
from cx.views import planner as plan_view
from cx.views.planner import PlannerView

DRAWS, SEED = 10_000, 20251001
PRESETS = ["classic_30day", "class_68_73", "my_store"]
COLS = ["name", "name_zh", "pain_point", "cost", "start_day", "end_day", "owner"]
SS = st.session_state


HIST_HEIGHT_PROJECTOR = 460  # the outcomes beside the waterfall, under 24 px axes


def _chart(where, build, *args, projector: bool = False) -> None:
    """Draw ``build(*args)`` (:func:`cx.ui.chart`); in the projector view with large, level
    text."""
    chart(where, build, *args, then=charts.for_projector if projector else None)


def _yuan(v: float) -> str:
    return f"¥{v:,.0f}"


def _pain(key: str) -> str:
    return label(PAIN_POINTS, key, lang()) if key else t("plan.pain.none")


_SCN_MSG = "plan_scn_msg"  # a message of the scenarios' save, load or file, shown beside them


def _say(kind: str, text: str, where: str = "plan_msg") -> None:
    """Queue a message ('success', 'warning' or 'error') for the next run of
    :func:`plan_panel`: at its top, or (``where=_SCN_MSG``) in the scenarios' section, by
    the button or file it answers (shown at the top, a file's refusal was a screen and a
    half above where the trainer dropped it)."""
    SS[where] = (kind, text)


def _show_said(where: str) -> None:
    msg = SS.pop(where, None)
    if msg:
        {"success": st.success, "warning": st.warning}.get(msg[0], st.error)(msg[1])


def _d28_default(goal: float) -> float:
    return round(goal - 1.0, 1)


def _day28_note(check: dict, mtd: float, goal: float, day: int = 28, digits: int = 1) -> None:
    """The late check's sentence; ``mtd`` and ``goal`` with ``digits`` decimals, or more
    where those would write the two alike (the tracking's goal as its card writes it)."""
    d = max(digits, digits_apart(mtd, goal, digits))
    status = check["status"]
    if status == "needed" and check["required"] is not None and check["required"] < mtd:
        status = "keep"  # above the goal: a floor to stay over, not a climb ('need -48.3')
    if status == "out_of_reach" and check["required"] is None:
        status = "none_left"  # no answers left to need anything of ('(需 无数据)')
    st.markdown(t(f"plan.d28.{status}", mtd=fixed(mtd, d), goal=fixed(goal, d), day=day,
                  n=check["n_left"], req=fmt_num(check["required"])))  # fmt: skip


# ----------------------------------------------------------------------------- projector
PROJECTOR_CSS = (
    "<style>"
    "section[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']"
    ",[data-testid='stExpandSidebarButton']{display:none}"
    # Streamlit's smallest texts are 12 px: a 2x zoom puts every one at 24 px or more. The
    # zoom is on the content, not on stMain: stMain is what scrolls, and a zoomed scroller
    # measured its range unzoomed (the page stopped scrolling at the first slider).
    "[data-testid='stMainBlockContainer']{zoom:2}"
    # Charts are not zoomed (Vega would measure one width and draw another): their own
    # text is set to 24 px (cx.charts.planner.for_projector).
    "[data-testid='stMain'] [data-testid='stVegaLiteChart']{zoom:0.5}"
    "[data-testid='stMainBlockContainer']{padding-top:0.5rem;padding-bottom:1rem}"
    # Streamlit's header is see-through on a desktop and white on a phone, where it hid the
    # title under it; the title stays visible with the header's menu beside it
    "[data-testid='stHeader']{background:transparent}"
    # half the gap between elements (2 rem at the zoom): the line of where the plan starts
    # and what it spends fits above the Gantt, which stays on a 1080 px screen
    "[data-testid='stMainBlockContainer'] [data-testid='stVerticalBlock']{gap:0.5rem}"
    "[data-testid='stMain'] h1{font-size:1.5rem;padding:0.25rem 0}"
    # A laptop or projector narrower than 1700 px (1366 x 768 is common): a 2x page was
    # 683 px wide, its charts' 24 px names took the whole width (bars a sliver, values
    # cut, the toggles' labels cut). There the page is zoomed 1.5x (texts 18 px or more)
    # and the waterfall and the outcomes take the whole width one after the other.
    # The goal and the budget come first on a narrow projector, above the odds they move
    # (a screen below them there); on a wide one after the Gantt, which fills its screen.
    "@media (min-width:1701px){[data-testid='stLayoutWrapper']:has(> .st-key-plan_goal_box)"
    "{order:99}}"
    "@media (max-width:1700px){"
    "[data-testid='stMainBlockContainer']{zoom:1.5}"
    "[data-testid='stMain'] [data-testid='stVegaLiteChart']{zoom:0.6667}"
    ".st-key-plan_charts [data-testid='stHorizontalBlock']{flex-wrap:wrap}"
    ".st-key-plan_charts [data-testid='stColumn']{flex:1 1 100%;min-width:100%}}"
    "</style>"
)


# A projector link opened on a phone (a trainer's address shared with the class): the
# 2x page and its 24 px chart texts left the Gantt and the waterfall as names cut at the
# screen's edge, without bars. On a phone's width the page opens as the phone's planner,
# the same plan (its address less ``view=projector``; no history entry).
PHONE_LEAVES_PROJECTOR = fixed_script(
    "cx-phone-planner",
    "(() => { if (!matchMedia('(max-width: 640px)').matches) return;"
    " const u = new URL(location.href);"
    f" if (u.searchParams.get('{VIEW_PARAM}') !== 'projector') return;"
    f" u.searchParams.delete('{VIEW_PARAM}'); location.replace(u.toString()); }})()",
)


def projector_from_url() -> None:
    """``?view=projector`` turns the projector view on, its absence off (once per new
    value: Back to the entry before the projector was switched on had left it on)."""
    raw = st.query_params.get(VIEW_PARAM)
    if raw != SS.get("_plan_qp_view"):
        SS["_plan_qp_view"] = raw
        SS["plan_projector"] = raw == "projector"
    elif "plan_projector" not in SS and SS.get("_plan_keep_projector"):
        SS["plan_projector"] = True  # back from another page


def projector_to_url(on: bool) -> None:
    """The projector view in the URL, so a trainer can bookmark it."""
    value = "projector" if on else None
    url_set(VIEW_PARAM, value)
    SS["_plan_qp_view"] = value
    SS["_plan_keep_projector"] = on


_URL_SEEN = "_plan_url_seen"  # the plan word the address held at the last run (read or written)
_URL_PENDING = "_plan_url_pending"  # a plan read from the address, installed by render()
_URL_STORE = "_plan_url_store"  # the store a store's own plan in the address was made for


@dataclass(frozen=True)
class _NotYours:
    """A plan in the address made from stores the reader may not see (its origin)."""

    store: str | None


def plan_from_url() -> None:
    """``?plan=`` (the plan as :func:`plan_to_url` wrote it): a reload (F5), Back or a link
    a trainer sent shows the plan it carries, once per new word, and the preset picker
    the preset it started from (set here, before the picker draws; the plan itself is
    installed after the preset's, :func:`render`). A word that cannot be read is said in
    one sentence and the plan is kept."""
    raw = st.query_params.get(PLAN_PARAM)
    if not raw or raw == SS.get(_URL_SEEN):
        return
    SS[_URL_SEEN] = raw
    try:
        text, preset, period, store = P.plan_from_token(raw)
        name, base, projects = P.scenario_from_json(text)
    except ValueError as exc:
        SS[_URL_PENDING] = exc
        return
    origin = P.scenario_origin(text)
    if origin is None:  # a link written before plans named where their numbers came from
        origin = store if preset == "my_store" else preset_scope(preset)
    if not readable(origin):  # another store's answers: not opened
        SS[_URL_PENDING] = _NotYours(origin)
        return
    if preset in PRESETS:
        SS["plan_preset"] = preset
    with contextlib.suppress(TypeError, ValueError):  # a store's own plan: its month
        SS["plan_period"] = datetime.strptime(period, "%Y-%m").date()
    if preset == "my_store":  # and its store; whose numbers it holds, when another's
        if store in store_list().ids:
            SS["plan_store"] = store
        if origin in store_list().ids:
            SS[_URL_STORE] = origin
    SS[LOADED] = name or None  # said by the pickers, which draw before it is installed
    SS[_URL_PENDING] = (base, projects, name, origin)


def _plan_from_url_installed() -> None:
    """After :func:`sync_plan`: the plan :func:`plan_from_url` read, over the preset's."""
    pending = SS.pop(_URL_PENDING, None)
    if isinstance(pending, ValueError):
        _say("error", t("plan.scn.bad", source=t("plan.url.source"), msg=said(pending)))
    elif isinstance(pending, _NotYours):
        _say("warning", not_yours("url", pending.store))
    elif pending is not None:
        base, projects, name, origin = pending
        _install(base, projects, name, origin, loaded=name or None)


def _plan_file(name: str) -> str:
    """A plan download's name with whose numbers the plan holds (a store, a region, the
    network's or a class preset's): a store's plan and the network's had one name."""
    return f"{name}_{export.file_stem(file_key(SS.get('_plan_scope') or NETWORK), 'all')}"


def plan_to_url(base: P.Baseline, projects: list[P.Project]) -> None:
    """The plan as it is now in the address (``?plan=``, :func:`cx.planner.plan_token`):
    a reload had put the class's plan back to its preset. Its JSON is kept for the
    scenarios' save and download (``plan_json``)."""
    # a plan always names its origin: one of the network's numbers (a scenario saved before
    # scenarios had a scope, a file without one a network reader loaded) as the network's
    name, origin = SS.get("plan_scn_name") or "", SS.get("_plan_scope") or "*"
    text = SS["plan_json"] = P.scenario_to_json(base, projects, name, origin)
    preset, month = SS.get("plan_preset"), SS.get("plan_period")
    own = preset == "my_store"
    period = f"{month:%Y-%m}" if own and month is not None else None
    token = P.plan_token(text, preset, period, SS.get("plan_store") if own else None)
    SS[_URL_SEEN] = token
    url_set(PLAN_PARAM, token)


# ----------------------------------------------------------------------------- selection
def store_months(store: str | None) -> list:
    """The months with answers for ``store``, newest first (the period picker's options)."""
    return list(load(plan_view.months, Scope.from_key(store)))


def default_store(scope: Scope, stores: StoreList) -> list[str]:
    """The store picker shows the sidebar's store when the sidebar names one (picking here
    picks there: cx.ui.adopt_pickers). When the sidebar has a region, several stores or
    all of them, it shows one of those (HZ01 if among them, else the first) unless one of
    them is already chosen: the planner plans one store. Returns the sidebar's stores in
    that case (none when it names one store)."""
    ids = list(stores.ids)
    frame = stores.frame
    inside = pd.Series(True, index=frame.index)
    if scope.regions:  # regions and stores narrow each other, as on every page (Scope.where)
        inside &= frame["region"].isin(scope.regions)
    if scope.stores:
        inside &= frame["store_id"].isin(scope.stores)
    within = [s for s in frame.loc[inside, "store_id"] if s in set(ids)] or ids
    if len(within) == 1:  # the sidebar names one store (by itself or within its region)
        show_picker("plan_store", within[0])
        return []
    if within and SS.get("plan_store") not in within:
        show_picker("plan_store", "HZ01" if "HZ01" in within else within[0])
    return within


def default_month(key: str, months: list) -> None:
    """Pre-select the last full month (else the newest of ``months``, newest first)."""
    if months and SS.get(key) not in months:
        full = load(q.last_full_month)
        SS[key] = full if full in months else months[0]


def setup(scope: Scope) -> tuple[str, str | None, object]:
    """The plan's preset, store (the sidebar's, when it names one) and starting month:
    (preset, store, period)."""
    stores = store_list()
    store_ids = list(stores.ids)
    # the preset's name is the longest ("Classic 30 days: 72 → 77, 4 projects, ¥45,000": cut
    # at a third of 1366 px); a month needs the least room
    c1, c2, c3 = st.columns([4, 3, 2])
    preset = c1.selectbox(
        t("plan.preset"),
        PRESETS,
        key=relabelled("plan_preset"),
        format_func={k: t(f"plan.preset.{k}") for k in PRESETS}.get,
    )
    within = default_store(scope, stores)
    linked = SS.pop(_URL_STORE, None)
    if store_ids:
        store = c2.selectbox(
            t("plan.store"), store_ids, key=relabelled("plan_store"), format_func=stores.label
        )
        if len(within) > 1:  # the sidebar's region or stores: say which of them is planned
            chosen = selection_labeler(stores.labels, lang(), all_stores_key())(scope.key)
            st.caption(t("plan.one_store", chosen=chosen, n=len(within), store=stores.label(store)))
        if linked and linked != store and preset == "my_store":  # not the one store the
            # sidebar names: the plan keeps the link's numbers
            st.info(t("plan.url.other_store", store=stores.label(linked)))
        periods = store_months(store)
        if periods:
            default_month("plan_period", periods)
            period = c3.selectbox(
                t("plan.period"),
                periods,
                key=relabelled("plan_period"),
                format_func=lambda m: f"{m:%Y-%m}",
            )
        else:  # a store without answers: no month to pick, and no empty picker
            c3.caption(t("plan.no_store_answers"))
            period = None
    else:  # no store has answers: the presets plan; no empty pickers, which read
        # Streamlit's own English "No options to select"
        c2.caption(no_answers("filter.no_data", "filter.no_data_scoped"))
        store = period = None
    if SS.get(LOADED):  # a scenario's own baseline, whichever preset the picker shows
        st.caption(t("plan.loaded_baseline", name=SS[LOADED]))
    elif preset != "my_store":  # the pickers look as if they set the baseline: they do not
        st.caption(t("plan.preset_baseline"))
    return preset, store, period


def track_choice():
    """The tracked month's widget value of this run (the picker draws in :func:`tracking`)."""
    return choice("plan_track_month")


# ----------------------------------------------------------------------------- state
KEEP = "_plan_keep"  # the plan's widget values, kept where Streamlit forgets them
_WIDGETS = "_plan_widgets"  # uid -> (gain, on) as last read: a row left out keeps them
# The plan's widgets, by key (and the per-project sliders and toggles, by prefix): a run of
# another page drops a widget's value from the session (Streamlit keeps the state of the
# widgets a run draws), and coming back found the plan's budget gone (an error, the
# plan lost); they come back from KEEP (:func:`remember`, :func:`restore`).
KEPT = ("plan_preset", "plan_period", "plan_goal", "plan_budget", "plan_base_nps", "plan_n")
KEPT += ("plan_d28_mtd", "plan_scn_name", "plan_pace_view", "plan_projects_view")
KEPT += ("plan_convert_view",)
KEPT_PREFIXES = ("plan_gain_", "plan_on_")


def remember(table: pd.DataFrame) -> None:
    """Keep the plan's widget values and the edited project table (end of the panel)."""
    kept = {k: SS[k] for k in SS if str(k) in KEPT or str(k).startswith(KEPT_PREFIXES)}
    SS[KEEP] = kept | {"_table": table.copy()}


def restore() -> None:
    """Before the planner's widgets draw: the values a run of another page dropped come
    back; the project table's edits become its rows (the editor's own edits went too)."""
    kept = SS.get(KEEP)
    if not kept:
        return
    for key, value in kept.items():
        if key != "_table" and key not in SS:
            SS[key] = value
    table = kept.get("_table")
    if table is not None and "plan_table" not in SS and "plan_table_base" in SS:
        table = table.reset_index(drop=True)
        fresh = _next_uid(SS["plan_table_base"])
        for pos in table.index[table["uid"].isna()]:  # rows added: the uids _projects gave
            table.loc[pos, "uid"], fresh = fresh, fresh + 1
        SS["plan_next_uid"] = fresh
        SS["plan_table_base"] = table.astype({"uid": "int64"})


def _next_uid(base: pd.DataFrame) -> int:
    """The uid a row added in the editor gets first: after every uid the plan has given
    (``plan_next_uid``, which only goes up), so a row added after one was deleted gets a
    fresh slider and toggle, not the deleted project's."""
    held = int(base["uid"].max()) + 1 if len(base) else 0
    return max(held, int(SS.get("plan_next_uid", 0)))


PRESET_SCOPE = "preset:"


def preset_scope(preset: str | None) -> str | None:
    """A class preset's scenario scope, ``preset:NAME``: it holds no store's answers, so
    everyone reads a scenario saved from it (it had been saved for whichever store the
    picker showed, and only that store's managers saw it)."""
    return f"{PRESET_SCOPE}{preset}" if preset in PRESETS and preset != "my_store" else None


def readable(origin: str | None) -> bool:
    """Whether this person may see the answers a plan's numbers come from (``origin``: a
    store key, a class preset's, None for the network's in older links and scenarios). A
    link or a file made from stores they may not see is not opened: it carries those
    stores' baseline and pain mix (an unknown store is refused alike, so a link does not
    tell which stores exist)."""
    if origin is not None and origin.startswith(PRESET_SCOPE):
        return True
    return person().sees_target(origin or "*")


def not_yours(where: str, origin: str | None, **fmt: str) -> str:
    """Why a plan (``where``: ``url``, a link; ``scn``, a file) was not opened: the
    network's numbers, or a store's or region's, named ('region 华东')."""
    store_key, network_key = {
        "url": ("plan.url.not_yours", "plan.url.not_yours_network"),
        "scn": ("plan.scn.not_yours", "plan.scn.not_yours_network"),
    }[where]
    if origin in (None, "*"):
        return t(network_key, **fmt)
    if origin.startswith("region:"):
        origin = t_plain("access.region", region=origin[len("region:") :])
    return t(store_key, store=origin, **fmt)


LOADED = "_plan_loaded"  # the name of the scenario, file or link on the page, else None


def _install(
    base: P.Baseline,
    projects: list[P.Project],
    name: str = "",
    scope: str | None = None,
    loaded: str | None = None,
) -> None:
    """Replace the plan in session state (safe in callbacks and before the widgets).
    ``scope``: the store key whose answers the plan's numbers come from (a store's own
    plan, a scenario saved from one), or a class preset's (:func:`preset_scope`): a
    scenario saved from it is read by those who may see that store, or by everyone
    (:data:`cx.access._SHADOW`). ``loaded``: the scenario's or file's name when the plan
    is one loaded (not a preset's), which the pickers then say."""
    SS["_plan_scope"] = scope
    SS[LOADED] = loaded
    SS["plan_base"] = {
        k: getattr(base, k) for k in ("nps", "d", "pa", "p", "days", "pain_mix", "n_expected")
    }
    for key in ("plan_goal", "plan_base_nps", "plan_n", "plan_d28_mtd"):
        SS.pop(_OK + key, None)  # the new plan's own values are the ones to fall back on
    for key in [k for k in SS if str(k).startswith(("plan_gain_", "plan_on_"))]:
        del SS[key]
    SS.pop(_WIDGETS, None)
    meta, rows, lines = {}, [], {}
    for uid, proj in enumerate(projects):
        default = math.isclose(proj.low, 0.5 * proj.gain) and math.isclose(
            proj.high, 1.5 * proj.gain
        )
        ratio = None if default or proj.gain == 0 else (proj.low / proj.gain, proj.high / proj.gain)
        meta[uid] = ratio
        lines[uid] = (list(proj.lines), proj.gain)  # and the gain they were written for
        SS[f"plan_gain_{uid}"], SS[f"plan_on_{uid}"] = float(proj.gain), proj.enabled
        rows.append({"uid": uid} | {c: getattr(proj, c) for c in COLS})
    SS["plan_meta"], SS["plan_table_base"] = meta, pd.DataFrame(rows, columns=["uid", *COLS])
    SS["plan_lines"] = lines
    SS["plan_next_uid"] = len(projects)
    SS.pop("plan_table", None)
    SS.pop(KEEP, None)
    SS["plan_goal"], SS["plan_budget"] = float(base.goal), float(base.budget)
    SS["plan_base_nps"], SS["plan_n"] = float(base.nps), int(base.n_expected)
    SS["plan_d28_mtd"] = _d28_default(base.goal)
    SS["plan_scn_name"] = name


def sync_plan(preset: str, v: PlannerView) -> None:
    """Install the chosen preset when the choice (preset; store and month for my_store)
    changed since the last run, and the classic preset on a fresh session."""
    source = (preset, v.store, v.period) if preset == "my_store" else (preset,)
    if SS.get("plan_source") != source:
        built = v.my_store if preset == "my_store" else None
        if preset == "my_store" and built is None:
            st.info(t("plan.no_store_data" if v.period else "plan.no_store_answers"))
        else:
            base, projects = built[:2] if built else P.get_preset(preset)
            _install(base, list(projects), scope=v.store if built else preset_scope(preset))
        SS["plan_source"] = source
        SS.pop("plan_msg", None)
        SS.pop(_SCN_MSG, None)
    if "plan_base" not in SS:
        _install(*P.get_preset("classic_30day"), scope=preset_scope("classic_30day"))


GOAL_ORIGIN = "_plan_goal_origin"  # where a store's own plan's goal came from (or None)


def goal_origin(preset: str, v: PlannerView) -> None:
    """Where a store's own plan's goal came from, when the plan on the page is that
    store's (said beside the goal box: :func:`_goal_caption`): one from a link or a
    saved scenario of another store keeps its own goal (the caption had explained HZ01's
    goal of 82 above the link's goal of 24)."""
    SS[GOAL_ORIGIN] = None
    if preset == "my_store" and v.my_store is not None and SS.get("_plan_scope") == v.store:
        base, _projects, targeted = v.my_store
        month = f"{rules.next_month(v.period):%Y-%m}"
        SS[GOAL_ORIGIN] = (bool(targeted), float(base.goal), month, float(base.nps))


def _goal_caption() -> None:
    """Under the goal box, in the fragment that redraws with it: where the store's goal
    came from, or, once changed there, that it was and from what (the caption had kept
    saying 'goal 77.0: the store's target' above a box reading 80)."""
    origin = SS.get(GOAL_ORIGIN)
    if origin is None:
        return
    targeted, goal, month, nps = origin
    if not math.isclose(SS["plan_goal"], goal):
        st.caption(t("plan.goal_changed", goal=f"{SS['plan_goal']:.1f}", own=f"{goal:.1f}",
                     month=month))  # fmt: skip
    elif targeted:
        st.caption(t("plan.goal_from_target", goal=f"{goal:.1f}", month=month))
    else:
        st.caption(t("plan.goal_from_baseline", goal=f"{goal:.1f}", month=month, nps=f"{nps:.1f}"))


_OK = "_plan_ok_"  # + a box's key: the last value typed there within its bounds
_BUDGET_TOP = "_plan_budget_top"  # the budget slider's top on the last run


def _within(key: str, low: float, high: float, fallback: float, said: str, slot: str) -> float:
    """The value of the number box ``key``, or, typed outside ``low`` .. ``high``, the last
    one within (``fallback`` before any), said in the reader's language by the message
    ``said`` (its ``{got}`` and ``{slot}``). The boxes carry no bounds of Streamlit's: it
    refused 150 in English and left it in red while the plan went on with the value before
    it, unsaid (the trainer walks)."""
    value = SS[key]
    if low <= value <= high:
        SS[_OK + key] = value
        return value
    kept = SS.get(_OK + key, fallback)
    shown = f"{kept:.1f}" if isinstance(kept, float) else f"{kept:,}"
    st.error(t(said, got=f"{value:g}", **{slot: shown}))
    return kept


def _goal() -> float:
    """The goal typed, or, typed outside -100..100, the last one within (said so)."""
    preset = P.get_preset("classic_30day")[0].goal
    return float(_within("plan_goal", -100.0, 100.0, preset, "plan.goal_out_of_range", "goal"))


def _base_boxes() -> tuple[float, int]:
    """The baseline NPS and the answers expected as the boxes hold them, or, typed outside
    their range, the last within (said so, under the boxes)."""
    b = SS["plan_base"]
    nps = _within("plan_base_nps", -100.0, 100.0, float(b["nps"]), "plan.base_out_of_range", "nps")
    n = _within("plan_n", 1, 1_000_000, int(b.get("n_expected", 1)), "plan.n_out_of_range", "n")
    return float(nps), int(n)


def _baseline(goal: float | None = None, boxes: tuple[float, int] | None = None) -> P.Baseline:
    """The plan's baseline as the boxes hold it (``goal``: :func:`_goal`'s, ``boxes``:
    :func:`_base_boxes`', when read)."""
    b = SS["plan_base"]
    typed, n = boxes if boxes is not None else (SS["plan_base_nps"], SS["plan_n"])
    # the box shows one decimal: typed back as it reads (71.954 shown and typed "72.0"),
    # it is the store's own baseline, not an edit (its real mix had become a made-up one)
    edited = f"{typed:.1f}" != f"{b['nps']:.1f}"
    counts = (None, None, None) if edited else (b["d"], b["pa"], b["p"])
    nps = typed if edited else b["nps"]
    return P.Baseline(
        nps, *counts, n_expected=n, goal=SS["plan_goal"] if goal is None else goal,
        budget=SS["plan_budget"], days=b["days"], pain_mix=b["pain_mix"],
    )  # fmt: skip


def _projects(table: pd.DataFrame, days: int) -> tuple[list[P.Project], list[int], list[str]]:
    """Projects from the edited table, the gain sliders and the toggles; bad rows reported."""
    out, uids, errors = [], [], []
    fresh = _next_uid(SS["plan_table_base"])  # rows added in the editor have no uid yet
    starts, ends = P.default_days(days)  # of a row whose days are left blank
    for pos, (_, row) in enumerate(table.iterrows(), start=1):
        if pos > P.MAX_PROJECTS:
            errors.append(t("plan.too_many_rows", most=P.MAX_PROJECTS, n=len(table)))
            break
        if pd.isna(row["uid"]):
            uid, fresh = fresh, fresh + 1
        else:
            uid = int(row["uid"])
        # a row left out of a run (a start day typed after its end) has no slider or
        # toggle drawn, and Streamlit forgets them once a run of the plan's fragment
        # ends: put right, it came back at +0.5 (its budget lines scaled down with it)
        # and the class's 72 -> 77 no longer added up; they come back as they were
        was = SS.setdefault(_WIDGETS, {}).get(uid, (0.5, True))
        SS.setdefault(f"plan_gain_{uid}", was[0])
        SS.setdefault(f"plan_on_{uid}", was[1])
        SS[_WIDGETS][uid] = (float(SS[f"plan_gain_{uid}"]), bool(SS[f"plan_on_{uid}"]))
        gain, ratio = float(SS[f"plan_gain_{uid}"]), SS["plan_meta"].get(uid)
        val = {c: (None if pd.isna(row[c]) else row[c]) for c in COLS}
        cost = float(val["cost"] or 0)
        lines, written_for = SS.get("plan_lines", {}).get(uid, ([], 0.0))
        lines = P.priced_lines(lines, cost)  # its cost's: a new cost scales what each buys
        lines = P.scaled_lines(lines, written_for, gain)  # the slider's gain, split alike
        try:
            proj = P.Project(
                # a Chinese name alone names it too (the editor had held such a row back,
                # the English name required, and the plan went on without it, unsaid)
                name=str(val["name"] or val["name_zh"] or t("plan.new_project", n=pos)).strip(),
                pain_point=str(val["pain_point"] or ""), cost=cost, lines=lines,
                gain=gain, low=gain * ratio[0] if ratio else None,
                high=gain * ratio[1] if ratio else None,
                start_day=int(val["start_day"] or starts), end_day=int(val["end_day"] or ends),
                owner=str(val["owner"] or ""), enabled=bool(SS[f"plan_on_{uid}"]),
                name_zh=str(val["name_zh"] or ""),
            )  # fmt: skip
            proj.validate(days)
        except (TypeError, ValueError) as exc:
            # named as the reader reads the row (the Chinese page had named it in English)
            names = (
                (val["name_zh"], val["name"]) if lang() == "zh" else (val["name"], val["name_zh"])
            )
            errors.append(t("plan.bad_row", n=pos, msg=said(exc, next(filter(None, names), None))))
            continue
        out.append(proj)
        uids.append(uid)
    return out, uids, errors


def said(exc: Exception, project: str | None = None) -> str:
    """A planner input error in the reader's language and the page's words
    (:class:`cx.planner.PlannerInputError`'s key), else its own message; ``project``:
    the project's name as the reader reads it."""
    key = getattr(exc, "key", None)
    if not key:  # a rarer mistake: a sentence of the page's, the parser's words inside
        return t("plan.err.other", detail=str(exc))
    fmt = dict(exc.fmt)
    if project and "project" in fmt:
        fmt["project"] = project
    if "button" in fmt:  # named as its label reads on the page
        fmt["button"] = t_plain(fmt["button"])
    if "field" in fmt:
        fmt["field"] = t_plain(fmt["field"])
        if lang() == "zh" and fmt["field"][-1:].isascii() and fmt["field"][-1:].isalnum():
            fmt["field"] += " "  # '目标 NPS 应在', as Latin meets Chinese elsewhere
    return t(key, **fmt)


_WHOLE_PAGE = "_plan_whole_page"  # a change inside the fragment the whole page shows


def _load_text(text: str, source: str, scope: str | None) -> None:
    """Install a scenario from JSON text, or keep the plan and show why not. ``scope``:
    where its numbers come from (a saved one's); a file's own ``origin`` says it for a
    file, else ``scope``."""
    try:
        name, base, projects = P.scenario_from_json(text)
    except ValueError as exc:
        _say("error", t("plan.scn.bad", source=source, msg=said(exc)), _SCN_MSG)
        return
    scope = P.scenario_origin(text) or scope
    if not readable(scope):
        _say("warning", not_yours("scn", scope, source=source), _SCN_MSG)
        return
    _install(base, projects, name, scope, loaded=name or source)
    SS[_WHOLE_PAGE] = True  # the pickers above the fragment say what is loaded
    origin = scope[len(PRESET_SCOPE) :] if scope and scope.startswith(PRESET_SCOPE) else None
    if origin in PRESETS:  # the picker shows the class preset the scenario was made from
        SS["plan_preset"] = origin  # (it kept the one picked before, and so did the link)
        SS["plan_source"] = (origin,)
    _say("success", t("plan.scn.loaded", name=name or source), _SCN_MSG)
    SS[_SCN_SCROLL] = True


_SCN_SCROLL = "_plan_scn_scroll"  # a scenario was loaded: its section brought into view
# (the whole page's run after a load left the window at the page's bottom, the sentence
# saying what was loaded a screen and a half above it)


def _on_load() -> None:
    SS.pop("_plan_delete", None)
    name = SS.get("plan_scn_pick")
    saved = load(q.scenario_payload, name, True) if name else None
    if saved is None:
        _say("error", t("plan.scn.none"), _SCN_MSG)
    else:  # saved again, it keeps the scope it was saved with
        _load_text(saved[0], name, saved[1])


def _on_upload() -> None:
    up = SS.get("plan_json_ul")
    if up is None:
        return
    try:
        text = up.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        _say("error", t("plan.scn.bad", source=up.name, msg=t("plan.scn.not_utf8")), _SCN_MSG)
        return
    # a file that does not say whose numbers it holds (made by hand): the network's for
    # someone who sees it, else theirs, as planned here
    _load_text(text, up.name, None if person().network else SS.get("plan_store"))


@refusable
def _on_save() -> None:
    name = (SS.get("plan_scn_name") or "").strip()
    if not name:
        _say("error", t("plan.scn.need_name"), _SCN_MSG)
        return
    # a name in use is replaced on a second press only (the first plan had gone
    # without a word)
    exists = load(q.scenario_payload, name) is not None
    if exists and SS.get("_plan_replace") != name:
        SS["_plan_replace"] = name
        _say("warning", t("plan.scn.exists", name=name, button=t("plan.scn.save")), _SCN_MSG)
        return
    SS.pop("_plan_replace", None)
    SS.pop("_plan_delete", None)
    write(q.save_scenario, name, SS["plan_json"], scope=SS.get("_plan_scope"))
    SS["plan_scn_pick"] = name
    _say("success", t("plan.scn.replaced" if exists else "plan.scn.saved", name=name), _SCN_MSG)


@refusable
def _on_delete() -> None:
    name = SS.get("plan_scn_pick")
    if not name:
        _say("error", t("plan.scn.none"), _SCN_MSG)
        return
    # asked first, as a replace is: a scenario a class relies on goes for everyone
    if SS.get("_plan_delete") != name:
        SS["_plan_delete"] = name
        _say("warning", t("plan.scn.delete_ask", name=name, button=t("plan.scn.delete")), _SCN_MSG)
        return
    SS.pop("_plan_delete", None)
    gone = write(q.delete_scenario, name)
    SS.pop("plan_scn_pick", None)
    _say("success" if gone else "warning",
         t("plan.scn.deleted" if gone else "plan.scn.gone", name=name), _SCN_MSG)  # fmt: skip


# ----------------------------------------------------------------------------- rendering
@st.fragment
def plan_panel(projector: bool) -> None:
    """Baseline, goal, budget, project table and sliders, then the results (a fragment;
    a scenario loaded in it runs the whole page, whose preset picker and caption above
    had gone on naming the preset until a reload)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if SS.pop(_WHOLE_PAGE, False) and ctx is not None and ctx.fragment_ids_this_run:
        st.rerun(scope="app")  # a run of the fragment alone: the whole page now
    lng = lang()
    _show_said("plan_msg")
    head = st.container()  # the projector view puts the odds, best plan and Gantt here
    with st.expander(t("plan.baseline"), key="plan_baseline_box"):  # open across languages
        b1, b2 = st.columns(2)
        # no bounds of Streamlit's in the boxes (_within says a value outside them)
        b1.number_input(t("plan.base_nps"), step=0.1, format="%.1f", key="plan_base_nps")
        b2.number_input(t("plan.n_expected"), step=10, key="plan_n")
        boxes = _base_boxes()
        if boxes[0] == SS["plan_base_nps"]:  # not beside a refused baseline: it said the
            st.caption(t("plan.baseline_note"))  # mix was worked out from one not used
    # the goal and the budget, which a class changes ("what if only ¥20k?"): on a narrow
    # projector at the top, above the odds they move (on a 1366 x 768 projector they sat a
    # screen below the odds; PROJECTOR_CSS places them)
    goal_box = head.container(key="plan_goal_box") if projector else st.container()
    g1, g2 = goal_box.columns(2)
    # no bounds in the box: Streamlit refused 150 in English and left it there in red while
    # the plan went on with the goal before it, unsaid (_goal); the page says it instead
    g1.number_input(t("plan.goal"), step=0.5, format="%.1f", key="plan_goal")
    # to every project's cost (the table as edited): a plan whose projects cost ¥180,000
    # could not be given a budget for them all, the slider stopping at ¥100,000
    most = max(SS["plan_budget"], _table_cost())
    top = max(100_000, int(math.ceil(most / 10_000) * 10_000))
    if SS.get(_BUDGET_TOP, top) != top:  # a slider of another range is another widget to
        SS["plan_budget"] = SS["plan_budget"]  # Streamlit: the budget kept, not reset to ¥0
    SS[_BUDGET_TOP] = top
    g2.slider(t("plan.budget"), 0.0, float(top), step=1000.0, key="plan_budget", format="¥%,d")
    with goal_box:
        _goal_caption()
        goal = _goal()
    base = _baseline(goal, boxes)
    if base.d is not None and base.d + base.pa + base.p < stats.LOW_N:
        # a store's own month of a few answers: said at the top, as every NPS of the
        # board is flagged (6 answers had read as firm as 800, the odds "52 %")
        head.warning(t("plan.few_answers", n=base.d + base.pa + base.p, low=stats.LOW_N))
    with st.expander(t("plan.table"), expanded=not projector):
        table = st.data_editor(
            SS["plan_table_base"], key="plan_table", num_rows="dynamic", hide_index=True,
            column_config=_table_config(base.days), width="stretch", placeholder=GAP,
            column_order=_table_order(),
        )  # fmt: skip
        # the editor puts a day outside the plan back within it as it is typed (an end
        # day of 40 read 30, unsaid): the rule said under the table
        st.caption(t("plan.table_days", days=base.days))
    projects, uids, errors = _projects(table, base.days)
    for err in errors:
        st.error(err)
    gmax = max([10.0] + [math.ceil(SS[f"plan_gain_{u}"]) for u in uids])
    for proj, uid in zip(projects, uids, strict=True):
        c_on, c_gain, c_info = st.columns([1, 4, 3], vertical_alignment="center")
        c_on.toggle(t("plan.on"), key=f"plan_on_{uid}")
        # a label is Markdown: the name typed in the table or brought by a link is text
        title = " · ".join(
            esc(x) for x in (proj.label(lng), _yuan(proj.cost), _pain(proj.pain_point))
        )
        c_gain.slider(title, 0.0, float(gmax), step=0.1, key=f"plan_gain_{uid}", format="+%.1f")
        move = P.gain_in_customers(proj.gain, base.n_expected)["detractor_to_passive"]
        flag = _credible_flag(proj, base, projects, " · ⚠️ ")
        c_info.caption(t("plan.customers", n=_people(move), half=_people(move / 2)) + flag)
    remember(table)
    plan_to_url(base, projects)
    _results(base, projects, uids, projector, head)


def _people(count: float) -> int:
    """Customers as whole people, the nearest (halves up: 4.5 reads 5, as a trainer
    rounds it); the counts themselves stay as worked out."""
    return math.floor(count + 0.5)


def _table_cost() -> float:
    """Every project's cost in the project table as it stands, its edits, added and
    deleted rows taken in (the editor's state: the table itself is drawn below the
    budget it bounds)."""
    costs = dict(enumerate(SS["plan_table_base"]["cost"].tolist()))
    edits = SS.get("plan_table") or {}
    for row, change in (edits.get("edited_rows") or {}).items():
        if "cost" in change and int(row) in costs:
            costs[int(row)] = change["cost"]
    for row in edits.get("deleted_rows") or []:
        costs.pop(int(row), None)
    added = [row.get("cost") for row in edits.get("added_rows") or []]
    values = [*costs.values(), *added]
    return float(sum(v for v in values if isinstance(v, int | float) and v == v and v > 0))


def _table_order() -> list[str]:
    """The project table's columns, the reader's name of a project first (on a Chinese
    projector the English names led the table)."""
    names = ["name_zh", "name"] if lang() == "zh" else ["name", "name_zh"]
    return [*names, *(c for c in COLS if c not in ("name", "name_zh"))]


def _table_config(days: int) -> dict:
    """The project table's columns (``days``: the plan's, the last day a project may
    end: a later one typed in had left the project out of the plan)."""
    first = _table_order()[0]  # the reader's name of a project: kept in view as the
    # table scrolls sideways (a projector's 1366 px shows it to the start day)
    return {
        "uid": None,
        "name": st.column_config.TextColumn(t("plan.col.name"), pinned=first == "name"),
        "name_zh": st.column_config.TextColumn(t("plan.col.name_zh"), pinned=first == "name_zh"),
        "pain_point": st.column_config.SelectboxColumn(
            t("plan.col.pain_point"),
            options=list(PAIN_POINTS),
            format_func={k: _pain(k) for k in PAIN_POINTS}.get,
        ),
        # its header says 元 / ¥, as the other tables' (a ¥ in each cell said it twice)
        "cost": st.column_config.NumberColumn(t("plan.col.cost"), min_value=0, format="%,d"),
        "start_day": st.column_config.NumberColumn(
            t("plan.col.start"), min_value=1, max_value=days, step=1
        ),
        "end_day": st.column_config.NumberColumn(
            t("plan.col.end"), min_value=1, max_value=days, step=1
        ),
        "owner": st.column_config.TextColumn(t("plan.col.owner")),
    }


def _metrics(
    base: P.Baseline, projects: list[P.Project], s: dict, sim: dict, projector: bool
) -> None:
    lng = lang()
    words = P.probability_words(sim["prob"], lng)
    # the projection and the goal with the decimals that tell them apart: 76.95 short of
    # 77 read "77.0 · gap 0.0" above "all projects together fall short (+5.0 needed)"
    d = digits_apart(s["projected"], base.goal, 1)
    projected, goal = fixed(s["projected"], d), fixed(base.goal, d)
    if projector:
        big = t("plan.big", nps=projected, goal=goal,
                prob=P.format_prob(sim["prob"], sim["prob_se"]), words=words)  # fmt: skip
        # where the plan starts and what it spends: the class read "¥45,000 -> 76.2" off the
        # best-for-the-budget line under it, another set of projects
        spent = t("plan.big_from", base=fixed(base.nps, digits_apart(base.nps, base.goal, 1)),
                  used=_yuan(s["budget_used"]), budget=_yuan(base.budget))  # fmt: skip
        st.markdown(
            f"<div style='font-size:1.6rem;line-height:1.3'>{big}</div>"
            f"<div style='font-size:1.1rem;line-height:1.3;margin-bottom:0.5rem'>{spent}</div>",
            unsafe_allow_html=True,
        )
        if s["over_budget"]:
            st.warning(t("plan.over_budget", over=_yuan(-s["budget_left"])))
        return  # the credibility check under the Gantt (_results): above it, it pushed
        # the Gantt off the projector's first screen
    m = [*st.columns(3), *st.columns(3)]
    m[0].metric(t("plan.m.projected"), projected, f"{s['total_gain']:+.1f}")
    gap = float(projected) - float(goal)  # as the two read
    if gap > 0:  # say what it means: above the goal by so much (not "gap -0.5")
        m[1].metric(t("plan.m.above"), fixed(gap, d), help=t("plan.m.above_help"))
    else:
        m[1].metric(t("plan.m.gap"), fixed(-gap, d), help=t("plan.m.gap_help"))
    m[2].metric(t("plan.m.budget"), f"{_yuan(s['budget_used'])} / {_yuan(base.budget)}")
    cpp = s["cost_per_point"]
    m[3].metric(
        t("plan.m.cpp"),
        _yuan(cpp) if cpp is not None else t("fmt.no_data"),
        help=t("plan.m.cpp_help"),
    )
    m[4].metric(t("plan.m.bought"), f"{s['gain_paid']:+.1f} / {s['gain_free']:+.1f}")
    odds = P.format_prob(sim["prob"], sim["prob_se"])  # to the simulation's precision
    m[5].metric(t("plan.m.prob"), odds)
    st.markdown(t("plan.odds", goal=goal, prob=odds,
                  words=words, draws=f"{DRAWS:,}", p5=f"{sim['p5']:.1f}", p95=f"{sim['p95']:.1f}"))  # fmt: skip
    if s["over_budget"]:
        st.warning(t("plan.over_budget", over=_yuan(-s["budget_left"])))
    _beyond_credible(base, projects, s)
    if s["gap"] > 0:
        st.caption(t("plan.gap_note"))
    else:
        st.caption(t("plan.goal_met_over_budget" if s["over_budget"] else "plan.goal_met"))


def _credible_flag(proj: P.Project, base: P.Baseline, projects: list[P.Project], mark: str) -> str:
    """'' for a credible project, else ``mark`` and why not (its pain point's projects
    or the whole plan win back more than the detractors there are)."""
    why = P.not_credible_why(proj, base, projects)
    if why is None:
        return ""
    return mark + t("plan.not_credible" if why == "pain" else "plan.not_credible_plan")


def _beyond_credible(base: P.Baseline, projects: list[P.Project], s: dict) -> None:
    """The projection counts every slider's gain; when the projects on one pain point, or
    all of them together, win back more detractors than there are, say by how much and
    what the plan reaches within the ceilings (the sliders say which ones)."""
    beyond = P.beyond_credible(base, projects)
    if beyond > 0.05:  # shown to one decimal: less reads as +0.0
        capped = min(100.0, base.nps + s["total_gain"] - beyond)
        whole = P.beyond_credible_whole(base, projects)
        key = "plan.beyond_credible_plan" if whole else "plan.beyond_credible"
        said = t(key, beyond=f"{beyond:.1f}", capped=f"{capped:.1f}")
        if capped < base.goal - 1e-9:  # the odds beside it (38 %) read as reachable
            # Chinese sentences follow each other without a space ('81.1。 这低于')
            gap = "" if lang() == "zh" else " "
            said += gap + t("plan.beyond_goal", goal=f"{base.goal:.1f}")
        st.warning(said)


def _apply(uids_on: list[int], uids: list[int]) -> None:
    for uid in uids:
        SS[f"plan_on_{uid}"] = uid in uids_on


def _apply_button(where, key: str, uids_on: list[int], uids: list[int]) -> None:
    """'Switch to this set', or, when the plan is that set already, a button that says so
    and does nothing (a click that changed nothing on the screen looked broken)."""
    on = {u for u in uids if SS.get(f"plan_on_{u}", True)}
    if on == set(uids_on):
        where.button(t("plan.applied"), key=key, disabled=True)
    else:
        where.button(t("plan.apply"), key=key, on_click=_apply, args=(uids_on, uids))


def _plans(
    base: P.Baseline, projects: list[P.Project], uids: list[int], projector: bool = False
) -> None:
    lng = lang()
    by_name = {p.name: (p, u) for p, u in zip(projects, uids, strict=True)}

    def names(chosen: list[str]) -> str:
        sep = "、" if lng == "zh" else ", "
        return sep.join(by_name[n][0].label(lng) for n in chosen) or t("plan.nothing")

    def beyond(where, chosen: list[str], gain: float) -> None:
        """A set whose gains the detractors cannot give (the page's own credibility
        check): said beside it (it had been offered at its full gain, +6.5 where the
        page said at most 78.0 was credible)."""
        picked = [replace(p, enabled=p.name in chosen) for p in projects]
        excess = P.beyond_credible(base, picked)
        if excess > 0.05:
            where.caption(
                t("plan.set_beyond", excess=f"{excess:.1f}", gain=f"{gain - excess:+.1f}")
            )

    chosen, gain, cost = P.best_plan(projects, base.budget)
    if projector:  # one column beside the Gantt: the best plan only
        st.markdown(t("plan.best", budget=_yuan(base.budget), names=names(chosen),
                      gain=f"{gain:+.1f}", cost=_yuan(cost)))  # fmt: skip
        beyond(st, chosen, gain)
        _apply_button(st, "plan_apply_best", [by_name[n][1] for n in chosen], uids)
        return
    c1, c2 = st.columns(2)
    c1.markdown(t("plan.best", budget=_yuan(base.budget), names=names(chosen),
                  gain=f"{gain:+.1f}", cost=_yuan(cost)))  # fmt: skip
    beyond(c1, chosen, gain)
    _apply_button(c1, "plan_apply_best", [by_name[n][1] for n in chosen], uids)
    need = base.goal - base.nps
    cheap = P.cheapest_plan_to_goal(projects, need) if need > 0 else ([], 0.0, 0.0)
    if need <= 0:  # nothing to buy: said so, without a button that switches all off
        c2.markdown(t("plan.cheapest_met", nps=f"{base.nps:.1f}", goal=f"{base.goal:.1f}"))
    elif cheap is None:
        every = sum(max(p.gain, 0.0) for p in projects)  # the need beside all projects'
        # gain with the decimals that tell them apart ("needs +5.0" beside +5.0 in all)
        c2.markdown(t("plan.cheapest_none", need=f"+{fixed(need, digits_apart(need, every, 1))}"))
    else:
        c2.markdown(t("plan.cheapest", need=f"{max(need, 0):+.1f}", names=names(cheap[0]),
                      gain=f"{cheap[1]:+.1f}", cost=_yuan(cheap[2])))  # fmt: skip
        beyond(c2, cheap[0], cheap[1])
        if cheap[2] > base.budget:  # reaching the goal costs more than the budget: say so
            c2.markdown(t("plan.cheapest_over", over=_yuan(cheap[2] - base.budget),
                          budget=_yuan(base.budget)))  # fmt: skip
        _apply_button(c2, "plan_apply_cheapest", [by_name[n][1] for n in cheap[0]], uids)


def _range(low: float, high: float) -> str:
    """A gain's low-high range with the decimals it needs: ±50 % of +1.5 is 0.75–2.25
    (one decimal had shown 0.8–2.2, off-centre to a trainer explaining it)."""
    places = 1 if all(math.isclose(v, round(v, 1)) for v in (low, high)) else 2
    return f"{low:.{places}f}–{high:.{places}f}"


def _project_view(base: P.Baseline, projects: list[P.Project]) -> None:
    lng = lang()
    quads = P.priority_table(projects)
    qnames = {k: t(f"plan.q.{k}") for k in charts.QUADRANT_COLORS}
    rows = []
    for proj, quad in zip(projects, quads, strict=True):
        move = P.gain_in_customers(proj.gain, base.n_expected)
        limit = P.max_credible_gain(base.d, base.pain_share(proj.pain_point), base.n_base)
        rows.append({
            t("plan.col.project"): proj.label(lng), t("plan.col.on"): proj.enabled,
            t("plan.col.pain_point"): _pain(proj.pain_point), t("plan.col.cost"): proj.cost,
            t("plan.col.gain"): proj.gain, t("plan.col.range"): _range(proj.low, proj.high),
            t("plan.col.d2pa"): _people(move["detractor_to_passive"]),
            t("plan.col.d2p"): _people(move["detractor_to_promoter"]),
            t("plan.col.max_gain"): round(limit, 1),
            t("plan.col.credible"): _credible_flag(proj, base, projects, "⚠️ ") or "✓",
            t("plan.col.quadrant"): qnames[quad["quadrant"]],
        })  # fmt: skip
    # one decimal throughout a column of points: a credible limit of 6 read "6" beside
    # "6.2"; customers are whole people, as the sliders' captions count them (the table
    # had read 4.5 beside a caption's 5), and so is the download
    one = st.column_config.NumberColumn(format="%.1f")
    dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="plan_projects_view",
        pin=1,  # the project
        download=_plan_file("plan_projects"),
        column_config={t(key): one for key in ("plan.col.gain", "plan.col.max_gain")},
    )
    _budget_lines(projects)
    if projects:
        frame = pd.DataFrame(
            {"label": [p.label(lng) for p in projects], "cost": [p.cost for p in projects],
             "gain": [p.gain for p in projects], "quadrant": [r["quadrant"] for r in quads]}
        )  # fmt: skip
        _chart(
            st, charts.priority_matrix, frame, statistics.median(frame["cost"]),
            statistics.median(frame["gain"]), qnames, t("plan.col.cost"), t("plan.col.gain"),
        )  # fmt: skip
        st.caption(t("plan.q.note"))


def _budget_lines(projects: list[P.Project]) -> None:
    """What the money buys line by line, and each project's free (process) part."""
    rows = [
        {t("plan.col.project"): r["project"],
         t("plan.lines.line"): t("plan.lines.free") if r["free"] else r["line"],
         t("plan.col.cost"): r["cost"], t("plan.col.gain"): r["gain"]}
        for r in P.budget_lines(projects, lang())
    ]  # fmt: skip
    if rows:
        st.caption(t("plan.lines.title"))
        dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            key="plan_budget_lines",
            download=_plan_file("plan_budget_lines"),
        )


def _gantt(base: P.Baseline, projects: list[P.Project], projector: bool = False) -> None:
    marks = P.milestones(base.nps, base.goal, base.days)
    rows = P.gantt(projects, base.days, lang())
    # A name over its bar, or on the projector beside it (24 px names; its charts sit at
    # zoom 0.5 inside the 2x page: the chart's own pixels), the whole chart on the first
    # screen.
    step = 35 if projector else 36
    _chart(st, charts.gantt_chart, rows, marks, base.days, t("plan.day"), step, not projector,
           projector=projector)  # fmt: skip


def _pace(base: P.Baseline, projects: list[P.Project]) -> None:
    lng = lang()
    marks = P.milestones(base.nps, base.goal, base.days)
    _gantt(base, projects)
    (w2, _), (w3, _), _ = marks
    w1 = round(7 * base.days / 30)  # end of week 1 (diagnosis), as in cx.planner
    path = dict(P.planned_path(base.nps, base.goal, base.days))
    per_day = base.n_expected / base.days
    rows = []
    late = P.check_day(base.days)  # day 28 of 30: two days before the end
    for day in sorted({w1, w2, w3, late}):
        so_far = round(per_day * day)
        need = P.required_nps_remaining(base.goal, path[day], so_far, base.n_expected - so_far)
        rows.append({t("plan.day"): day, t("plan.planned_mtd"): round(path[day], 1),
                     t("plan.need_rest"): None if need is None else round(need, 1)})  # fmt: skip
    ms = ("；" if lng == "zh" else "; ").join(
        t("plan.milestone", day=d, nps=f"{v:.1f}") for d, v in marks
    )
    st.markdown(t("plan.milestones", marks=ms))
    # numbers (sorted as numbers); a day with nothing left to need says '—'
    dataframe(
        pd.DataFrame(rows), hide_index=True, key="plan_pace_view", download=_plan_file("plan_pace")
    )
    # the two models side by side, said (a trainer read odds of 51 % for 77.0 above a path
    # whose answers after the first week need 78.5 to 80.1)
    st.caption(t("plan.path_vs_odds", w1=w1, base=f"{base.nps:.1f}", goal=f"{base.goal:.1f}"))
    # the late check's month to date starts a point under the goal and follows the goal
    # until typed in (a goal moved to 70 had left it at 76.0: 'the last answers need
    # NPS -14.0 to reach 70.0')
    default = _d28_default(base.goal)
    if "plan_d28_mtd" not in SS or SS["plan_d28_mtd"] == SS.get("_plan_d28_auto"):
        SS["plan_d28_mtd"] = default  # not typed: the last run's default still there
    SS["_plan_d28_auto"] = default
    st.number_input(t("plan.d28_mtd", day=late), step=0.5, format="%.1f", key="plan_d28_mtd")
    mtd = float(_within("plan_d28_mtd", -100.0, 100.0, default, "plan.mtd_out_of_range", "nps"))
    so_far = round(per_day * late)
    check = P.day28_check(base.goal, mtd, so_far, per_day, base.days, late)
    _day28_note(check, mtd, base.goal, late)


def _scenarios() -> None:
    with st.container(key="plan_scenarios"):  # its heading too: brought into view whole
        st.subheader(t("plan.h.scenarios"))
        st.caption(t("plan.url.note"))
        _scenario_boxes()
    if SS.pop(_SCN_SCROLL, False):
        st.html(scroll_script("plan_scenarios"), unsafe_allow_javascript=True)


def _scenario_boxes() -> None:
    _show_said(_SCN_MSG)
    c1, c2, c3 = st.columns(3)  # the plan's JSON: made this run by plan_to_url
    c1.text_input(t("plan.scn.name"), key="plan_scn_name")
    c1.button(
        t("plan.scn.save"),
        key="plan_scn_save",
        on_click=_on_save,
        disabled=not can("scenarios.save"),
        help=None if can("scenarios.save") else t("access.denied.role"),
    )
    saved = list(load(q.scenarios)["name"])
    # none saved: the picker says so and does not open (opened, it showed Streamlit's
    # English "No results" on the Chinese page after the last one was deleted)
    c2.selectbox(
        t("plan.scn.pick"), saved, key="plan_scn_pick", placeholder=t("plan.scn.empty"),
        disabled=not saved,
    )  # fmt: skip
    buttons = c2.container(horizontal=True)  # Delete beside Load, not half a column away
    buttons.button(t("plan.scn.load"), key="plan_scn_load", on_click=_on_load, disabled=not saved)
    buttons.button(
        t("plan.scn.delete"),
        key="plan_scn_delete",
        on_click=_on_delete,
        disabled=not saved or not can("scenarios.save"),
        help=None if can("scenarios.save") else t("access.denied.role"),
    )
    file_name = (
        f"{_plan_file('scenario_' + export.file_stem(SS.get('plan_scn_name'), 'plan'))}.json"
    )
    c3.download_button(t("plan.scn.download"), SS["plan_json"].encode("utf-8"), file_name=file_name,
                       mime="application/json", key="plan_json_dl", on_click="ignore")  # fmt: skip
    with c3:
        uploader(t("plan.scn.upload"), ["json"], "plan_json_ul", on_change=_on_upload)


def _results(
    base: P.Baseline, projects: list[P.Project], uids: list[int], projector: bool, head=None
) -> None:
    lng = lang()
    s = P.summarise(base, projects)
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    if projector and head is not None:  # the class's first screen, above the sliders:
        with head:  # the odds, the best plan and the Gantt
            _metrics(base, projects, s, sim, projector)
            _plans(base, projects, uids, projector=True)
            _gantt(base, projects, projector=True)
            _beyond_credible(base, projects, s)
    else:
        _metrics(base, projects, s, sim, projector)
        if projector:
            _beyond_credible(base, projects, s)
    steps = [(p.label(lng), p.gain) for p in projects if p.enabled]
    frame = charts.waterfall_frame(base.nps, steps, t("plan.wf.base"), t("plan.wf.total"))
    left, right = st.container(key="plan_charts").columns(2)
    wf_step = 2 * charts.WATERFALL_STEP if projector else charts.WATERFALL_STEP  # see _gantt
    _chart(left, charts.waterfall, frame, base.goal, "NPS", t("plan.goal_short"), wf_step,
           projector=projector)  # fmt: skip
    _chart(right, charts.outcome_histogram, sim["samples"], base.goal, t("plan.hist.x"),
           t("plan.hist.y"), t("plan.goal_short"), (t("plan.hist.hit"), t("plan.hist.miss")),
           HIST_HEIGHT_PROJECTOR if projector else 300, projector=projector)  # fmt: skip
    if projector:
        return
    st.subheader(t("plan.h.plans"))
    _plans(base, projects, uids)
    st.subheader(t("plan.h.projects"))
    _project_view(base, projects)
    st.subheader(t("plan.h.pace", days=base.days))
    _pace(base, projects)
    _scenarios()


@st.fragment
def pain_panel(v: PlannerView) -> None:
    """Detractors by pain point last month and the NPS gain from converting a share."""
    if v.store is None:  # no store to read (no answers at all): the page's caption says so
        return
    st.subheader(t("plan.h.convert"))
    c = v.convert
    if c is None:
        st.info(t("plan.convert_none", store=v.store, month=f"{v.period:%Y-%m}") if v.period
                else t("plan.convert_empty", store=v.store))  # fmt: skip
        return
    share = st.slider(t("plan.convert"), 0, 100, 50, step=5, key="plan_convert", format="%d%%")
    rows = c.rows[share]
    st.caption(t("plan.convert_note", store=v.store, month=f"{v.period:%Y-%m}", n=c.n,
                 d=c.d, share=share))  # fmt: skip
    dataframe(
        pd.DataFrame({t("plan.col.det_pain"): [_pain(r["pain_point"]) for r in rows],
                      t("plan.col.detractors"): [int(r["detractors"]) for r in rows],
                      t("plan.col.gain_at", share=share): [round(r["gain"], 2) for r in rows],
                      t("plan.col.max_gain"): [round(r["max_gain"], 2) for r in rows]}),
        hide_index=True, key="plan_convert_view", download=_plan_file("plan_conversion"),
    )  # fmt: skip


def tracking(v: PlannerView) -> None:
    """The store's actual MTD NPS in a month against the path from its month before to
    its own goal for the month (its target): the store's month, not the plan above."""
    if v.store is None:  # no store to read (no answers at all): the page's caption says so
        return
    st.subheader(t("plan.h.tracking"))
    if not v.months:
        st.info(t("plan.track_none", store=v.store))
        return
    hold_choice("plan_track_month", v.track_month)
    st.selectbox(t("plan.track_month"), list(v.months), key=relabelled("plan_track_month"),
                 format_func=lambda m: f"{m:%Y-%m}")  # fmt: skip
    tr = v.tracking
    if tr is None:
        st.info(t("plan.track_no_start"))
        return
    if tr.stopped is not None:  # its figures stop with its answers: said first
        st.warning(t("board.store_stopped", latest=tr.stopped[0], last=tr.stopped[1]))
    d = digits_apart(tr.mtd, tr.goal, 1)  # 71.95 beside a goal of 72: not "72.0" twice
    # whose month against whose goal: the store's, not the plan above (the section had
    # said "the plan worked" against the store's 77 beside a plan aiming at 78, from
    # another preset's start or for another store). Outside the plan's fragment, it does
    # not name the plan's goal, which a move of the goal box would leave stale here.
    st.caption(t("plan.track.whose" if tr.targeted else "plan.track.whose_no_target",
                 store=store_list().label(v.store), month=f"{tr.month:%Y-%m}",
                 goal=fixed(tr.goal, d), start=f"{tr.start:.1f}"))  # fmt: skip
    row = st.container(horizontal=True, gap="medium")  # wraps instead of cutting names
    w = {"width": "content"}
    row.metric(t("plan.track.start", month=f"{tr.prev:%Y-%m}"), f"{tr.start:.1f}", **w)
    row.metric(t("plan.track.goal"), fixed(tr.goal, d), **w)
    # against the path with the decimals that tell the two apart (71.954 on a path at 72
    # read "-0.0" in red); one that reads zero is neither up nor down
    gap = fixed(tr.mtd - tr.planned_now, digits_apart(tr.mtd, tr.planned_now, 1), sign=True)
    flat = not gap.strip("+-0.")
    row.metric(t("plan.track.mtd", day=tr.day_no), fixed(tr.mtd, d), gap,
               delta_color="off" if flat else "normal", delta_arrow="off" if flat else "auto",
               help=t("plan.track.mtd_help"), **w)  # fmt: skip
    row.metric(t("plan.track.n"), f"{tr.cum_n:,}", **w)
    row.metric(
        t("plan.need_rest"), fmt_num(tr.need) if tr.need is not None else t("plan.track.complete"),
        **w,
    )  # fmt: skip
    _chart(st, charts.tracking_chart, tr.path, tr.actual, tr.goal, t("plan.day"), "NPS",
           t("plan.track.plan"), t("plan.track.actual"), t("plan.goal_short"), d)  # fmt: skip
    if tr.day28 is not None:  # the goal as the card writes it
        _day28_note(tr.day28, tr.mtd28, tr.goal, digits=d)
    if tr.done:
        st.markdown(t("plan.track.hit" if tr.hit else "plan.track.miss",
                      nps=fixed(tr.mtd, d), goal=fixed(tr.goal, d)))  # fmt: skip


def render(v: PlannerView, preset: str, projector: bool) -> None:
    """The plan (installed from the preset or the view's "my store" plan when the choice
    changed), its interactive panel, and, outside the projector view, the pain-point
    conversion and the tracking."""
    sync_plan(preset, v)
    _plan_from_url_installed()
    goal_origin(preset, v)
    plan_panel(projector)
    if not projector:
        pain_panel(v)
        tracking(v)
