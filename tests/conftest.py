"""Shared fixtures: a small demo database per test (copied from one built per session),
``CX_DB`` pointed at it, the data caches cleared, and an AppTest factory."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Visitors of the real server see no error details (.streamlit/config.toml); tests do.
from streamlit import config as _st_config  # noqa: E402

from cx import db, demo  # noqa: E402

_st_config.set_option("client.showErrorDetails", "full")

# Every cached load marked cx.queries.no_followups runs with the follow-up tables hidden:
# a marked function that reads them fails its page's tests (cx.config.check_loads).
os.environ.setdefault("CX_CHECK_LOADS", "1")
# One DuckDB thread per connection (cx.config.duckdb_threads), in the workers and every
# process they start: three workers, their app servers and Chromium share two cores, and
# the test databases are too small for a second thread to pay for its hand-offs (a tenth
# of the CPU of the upload modules). tests/test_ingest.py reads its files with DuckDB's
# default, as a deployment does.
os.environ.setdefault("CX_THREADS", "1")


def _scan_components_once() -> None:
    """AppTest scans every installed package's metadata for Streamlit components on
    each first run (a third of a second, ~300 times a suite); the installed packages do
    not change during a test run, so scan once."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found: list = []

    def once(max_workers: int | None = None):
        if not found:
            found.append(scan(max_workers))
        return list(found[0])

    manifest_scanner.scan_component_manifests = once


_scan_components_once()


def _give_the_file_back_after_each_run() -> None:
    """The frame gives the kept database file back when a page run ends
    (:func:`cx.ui.run_page`); after ``switch_page`` AppTest reruns the page without the
    frame, so the harness does the same after every AppTest run: a test may then open
    the file directly, or another program may take it."""
    from streamlit.testing.v1.app_test import AppTest

    from cx import ui

    run = AppTest._run

    def run_then_release(self, *args, **kwargs):
        try:
            return run(self, *args, **kwargs)
        finally:
            ui.release_all(every=True)  # the run is over: its readers too

    AppTest._run = run_then_release


_give_the_file_back_after_each_run()


def _wait_for_the_run_without_polling() -> None:
    """AppTest waits for a script run by waking every millisecond to look for its end;
    each wake takes the interpreter's lock from the script's thread. Wait on the runner's
    own end-of-run signal instead (same timeout, same error)."""
    import threading

    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.testing.v1 import local_script_runner as lsr

    init = lsr.LocalScriptRunner.__init__

    def init_with_signal(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self._cx_stopped = threading.Event()

        def on_event(sender, event, **_):
            if event == ScriptRunnerEvent.SHUTDOWN:
                self._cx_stopped.set()

        self.on_event.connect(on_event, weak=False)

    original = lsr.require_widgets_deltas

    def wait(runner, timeout: float = 3) -> None:
        stopped = getattr(runner, "_cx_stopped", None)
        if stopped is not None and not stopped.wait(timeout) and not runner.script_stopped():
            runner.request_stop()  # as AppTest does on a timeout, with its sentence
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")
        return original(runner, timeout)  # the run has ended: its first look returns

    lsr.LocalScriptRunner.__init__ = init_with_signal
    lsr.require_widgets_deltas = wait


_wait_for_the_run_without_polling()


def _validate_every_chart_drawn() -> None:
    """Pages draw their charts from unvalidated Vega-Lite specs (:func:`cx.ui.chart`);
    in the tests every chart's shape is validated against the schema as its spec is
    made, once per shape: the schema does not constrain the rows of inline datasets, so
    a spec without them (datasets renamed by position) stands for every spec like it.

    The spec itself is validated, its datasets emptied, against the schema of its kind of
    top-level spec (a layer, a concatenation, a single view): ``chart.to_dict(validate=
    True)`` made the whole spec again from the frames and took a fifth of the page tests'
    run time (the whole schema at once: ten times as long as one kind)."""
    import json

    from altair.vegalite.v6.schema import core

    import cx.charts

    plain = cx.charts.to_spec
    valid: set[str] = set()
    kinds = {
        "layer": core.TopLevelLayerSpec,
        "hconcat": core.TopLevelHConcatSpec,
        "vconcat": core.TopLevelVConcatSpec,
        "concat": core.TopLevelConcatSpec,
        "facet": core.TopLevelFacetSpec,
        "repeat": core.TopLevelRepeatSpec,
    }

    def validate(spec: dict) -> None:
        """Raise on a spec Vega-Lite would not draw."""
        bare = {**spec, "datasets": dict.fromkeys(spec.get("datasets", {}), [])}
        kind = next((cls for key, cls in kinds.items() if key in spec), core.TopLevelUnitSpec)
        kind.validate(bare)

    def validated(chart):
        spec = plain(chart)
        shape = json.dumps(
            {k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True, default=str
        )
        for i, name in enumerate(spec.get("datasets", {})):
            shape = shape.replace(name, f"dataset-{i}")
        if shape not in valid:
            validate(spec)
            valid.add(shape)
        return spec

    cx.charts.to_spec = validated


_validate_every_chart_drawn()

DEMO_SCALE = 0.1


def built_once(tmp_path_factory, name: str, build) -> Path:
    """``build(path)`` run once for the whole test run: with pytest-xdist the first worker
    that asks builds (the others wait on a file lock) and every worker reads the file."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker's base folder lives in
    path = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            part = base / f"{name}.part"
            build(part)
            part.rename(path)
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A demo database at 10 % scale (the HZ01 story holds at every scale), built once."""
    return built_once(
        tmp_path_factory,
        "template.duckdb",
        lambda path: demo.build(path, scale=DEMO_SCALE, force=True),
    )


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one per test session (per worker)."""
    from browser_support import close_tabs, launch, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        close_tabs(b)
        b.close()


@pytest.fixture(scope="session")
def server(demo_template, tmp_path_factory):
    """One ``streamlit run app.py`` over a copy of the small demo, shared by every browser
    test that only reads (a test that writes starts its own server)."""
    from browser_support import demo_database, running_server

    path = demo_database(tmp_path_factory.mktemp("browser"), demo_template)
    with running_server(path) as base:
        yield base


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory) -> Path:
    """The demo at full scale (seed and scale of ``python -m cx demo``), built once per
    session for every test that needs real volumes; read it, never write it."""

    def build(path: Path) -> None:
        start = time.perf_counter()
        demo.build(path, force=True)
        print(f"\nfull demo built in {time.perf_counter() - start:.1f} s")

    return built_once(tmp_path_factory, "full.duckdb", build)


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    """Never touch the real data/ file; start every test with empty data caches."""
    monkeypatch.setenv("CX_DB", str(tmp_path / "cx.duckdb"))
    monkeypatch.setenv("CX_LOCK_TIMEOUT", "20")
    monkeypatch.setenv("CX_USER", "tester")
    import streamlit as st

    from cx import ui

    # The data caches (keyed by the database file, which is the test's own); a chart's
    # spec is made from its arguments alone, so those made by earlier tests are kept.
    ui._cached.clear()
    ui._resolve.clear()
    st.cache_resource.clear()
    ui.invalidate()
    yield
    ui.release_all(every=True)


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    """A private copy of the demo database, set as ``CX_DB``."""
    path = tmp_path / "cx.duckdb"
    shutil.copy(demo_template, path)
    return path


def _schema_only(path: Path) -> None:
    with db.connect(path):
        pass


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    """A database with the schema and no rows, made once (making one takes 0.15-0.3 s,
    copying it a tenth of that; ~175 tests start from one)."""
    return built_once(tmp_path_factory, "empty.duckdb", _schema_only)


@pytest.fixture
def empty_db(empty_template, tmp_path) -> Path:
    """A private database with the schema and no rows, set as ``CX_DB``."""
    path = tmp_path / "cx.duckdb"
    assert not path.exists(), "the test's database was made already (demo_db and empty_db?)"
    shutil.copy(empty_template, path)
    return path


@pytest.fixture
def con(demo_db):
    """An open connection to the private demo database."""
    with db.connect(demo_db) as c:
        yield c


def first_page(module) -> str | None:
    """The page an ``app`` opens on for a test module: its ``APP_PAGE``, else
    ``pages/<name>.py`` for ``test_<name>_page.py``, else None (the default page, the board)."""
    page = getattr(module, "APP_PAGE", None)
    if page is None and module.__name__.rsplit(".", 1)[-1].endswith("_page"):
        name = module.__name__.rsplit(".", 1)[-1].removeprefix("test_").removesuffix("_page")
        page = f"pages/{name}.py" if (ROOT / "pages" / f"{name}.py").exists() else None
    return page


@pytest.fixture
def app(demo_db, request):
    """An AppTest of the whole app over the private demo database (already run once).

    The first run goes through ``app.py`` (the frame) straight to the test module's page
    (:func:`first_page`), so a page test does not render the board first.

    AppTest 1.67 quirk: with ``st.navigation``, only the first run's tree holds the
    frame's sidebar widgets (language, filters); after a rerun or ``switch_page`` the
    tree holds the page's own elements. Drive sidebar filters by setting
    ``at.session_state["flt_regions" | "flt_stores" | "flt_dates" | "ui_lang"]`` and
    rerunning; page widgets are driven by key as usual.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    page = first_page(request.module)
    if page is not None:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def pytest_configure(config):
    """Markers (the README's test command runs everything; ``-m "not browser"`` skips the
    Chromium tests when iterating on one module). Refuses a pytest whose node ids
    pytest-xdist cannot group (see :func:`_groups_lost`)."""
    if _groups_lost(config):
        raise pytest.UsageError(
            f"pytest {pytest.__version__} with pytest-xdist {_version('pytest-xdist')}: "
            "--dist loadgroup would spread each group over the workers; install the "
            "versions in requirements-dev.txt"
        )
    config.addinivalue_line("markers", "browser: drives Debian's Chromium against a real server")
    config.addinivalue_line(
        "markers", "slow: takes more than a few seconds (a demo build, a server)"
    )
    # Authlib's notices about its own modules, raised inside the test OpenID provider
    # (oidc-provider-mock) and Authlib itself: nothing of this project's to change, and 21
    # of them hid any warning that is this project's. Authlib puts its own "always show"
    # filter first when its notices module is imported: imported here, before the filters
    # of each collection and test are set up, that filter comes after these.
    with contextlib.suppress(ImportError):
        import authlib.deprecate  # noqa: F401
    for line in (
        "ignore:authlib.jose module is deprecated:DeprecationWarning",
        "ignore:The httpx module is deprecated:DeprecationWarning",
        r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning",
    ):
        config.addinivalue_line("filterwarnings", line)


def _version(name: str) -> tuple[int, ...]:
    from importlib.metadata import version

    return tuple(int(p) for p in version(name).split(".")[:2] if p.isdigit())


def _groups_lost(config) -> bool:
    """pytest-xdist 3.8 groups tests by suffixing ``Item._nodeid``, which pytest 9.2 no
    longer reads: every group's tests would run on several workers, each building the
    module's fixtures again, with no error."""
    if config.getoption("dist", None) != "loadgroup":
        return False
    return _version("pytest") >= (9, 2) and _version("pytest-xdist") <= (3, 8)


# Modules whose tests share a module-scoped fixture (a server, a provider, a demo build):
# with ``--dist loadgroup`` their tests stay on one worker, so it is set up once; the
# other tests are spread one by one over the workers.
SHARED_MODULES = {
    "test_browser_auth.py",
    "test_browser_upload.py",
    "test_deploy_nginx.py",
    "test_demo_data.py",
    "test_digest.py",
    "test_scale_demo.py",
}

# The browser modules that only read through the session's ``server``: one group, so one
# worker starts one app server and one Chromium for all of them (spread over three workers
# each started its own, and each server computed every page's data again): their CPU 40 s
# instead of 65 s (the four modules alone, the same hour).
SERVER_GROUP = "browser_server"
SERVER_MODULES = {
    "test_browser.py",
    "test_browser_board.py",
    "test_browser_projector.py",
    "test_browser_walk.py",
}

# The order of collection, longest first (wall per module or group with three workers).
# pytest-xdist hands out its groups first, the one of most tests first (its default
# --loadscope-reorder), then the single tests in this order: the long ones start early
# instead of ending a run on one worker while the others wait. The rest follow in file
# order; a module's own tests keep their order.
LONG_FIRST = [
    *sorted(SERVER_MODULES),  # ~125 s together
    "test_browser_auth.py",  # ~85 s, one group
    "test_browser_upload.py",  # ~45 s, one group
    "test_scale_demo.py",  # ~40 s, one group (a 330,000-answer build)
    "test_deploy_nginx.py",  # ~38 s, one test
    "test_browser_first_start.py",  # ~15 s, one test (the full demo built by a server)
    "test_snapshot.py",  # one test ~30 s
    "test_digest.py",  # ~27 s, one group (the full demo)
    "test_demo_data.py",  # ~24 s, one group
    "test_cli.py",
    "test_db_files.py",
    "test_ingest_lock.py",
    "test_derived.py",
    "test_heatmap_page.py",
    "test_upload_files.py",
    "test_upload_faults.py",
    "test_upload_page.py",
    "test_upload_session.py",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the end of each app server's log of this worker (a
    traceback of a deferred download, say, goes there and not to the page)."""
    report = yield
    if report.failed and item.get_closest_marker("browser"):
        from browser_support import SERVER_LOGS

        for path in SERVER_LOGS:
            if path.exists():
                tail = path.read_text(encoding="utf-8", errors="replace")[-4000:]
                report.sections.append((f"app server log {path.name}", tail))
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in a ``test_browser*.py`` module is a browser test, and slow; the tests
    of a module in :data:`SHARED_MODULES` form one group for pytest-xdist, those of
    :data:`SERVER_MODULES` another; the modules of :data:`LONG_FIRST` come first. First
    among the hooks: pytest-xdist's own reads the group marks (and ignores marks added
    after it)."""
    for item in items:
        if item.path.name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        if item.path.name in SHARED_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        elif item.path.name in SERVER_MODULES:
            item.add_marker(pytest.mark.xdist_group(SERVER_GROUP))
    # the order pytest-xdist hands out the single tests in (every worker collects the same)
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
