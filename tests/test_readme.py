"""The README is the user's manual: it must stay true to the code."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "docs"))

import readme_metrics  # noqa: E402


def test_metric_section_is_generated_from_the_registry():
    assert readme_metrics.current(README) == readme_metrics.block()


def test_every_metric_is_in_the_readme_with_the_pages_that_show_it():
    from cx import i18n, metrics

    for key, m in metrics.every().items():
        for lang in ("en", "zh"):
            rows = [
                ln
                for ln in README.splitlines()
                if f"`{key}`" in ln and m.label(lang) in ln and m.formula(lang) in ln
            ]
            assert len(rows) == 1, (key, lang)
            for page in m.pages:
                assert i18n.t(metrics.PAGES[page], lang) in rows[0], (key, page, lang)


def test_every_setting_is_documented():
    config = (ROOT / "cx" / "config.py").read_text(encoding="utf-8")
    for name in set(re.findall(r"\bCX_[A-Z_]+\b", config)):
        assert f"`{name}`" in README, f"{name} is not documented in the README"


def test_the_two_commands_and_ci_agree():
    run_app = (
        "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
        " && .venv/bin/streamlit run app.py"
    )
    run_tests = (
        "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt"
        " && .venv/bin/python -m pytest -n 3 --dist loadgroup"
    )
    assert run_app in README and run_tests in README
    assert run_tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_page_is_described():
    from cx.i18n import t
    from cx.ui.pages import PAGES

    for _section, path, title_key, _icon, _url in PAGES:
        if (ROOT / path).exists():
            assert t(title_key, "en") in README, title_key
            assert t(title_key, "zh") in README, title_key


def test_cli_commands_documented():
    for command in ("python -m cx demo", "python -m cx ingest", "python -m cx undo", "--dry-run"):
        assert command in README


def test_sign_in_and_access_documented():
    for text in (
        "python -m cx access grant",
        "python -m cx access revoke",
        "python -m cx access list",
        "[auth]",
        "redirect_uri",
        "cookie_secret",
        "client_id",
        "client_secret",
        "server_metadata_url",
        "--server.address 0.0.0.0",
        "open mode",
    ):
        assert text in README, text
    from cx.access import ROLES

    for role in ROLES:
        assert f"| `{role}` |" in README, role


def test_the_data_contract_is_in_the_repository_and_names_the_schema():
    contract = (ROOT / "docs" / "DATA-CONTRACT.md").read_text(encoding="utf-8")
    from cx import db

    for column in db.RESPONSE_COLUMNS:
        assert column in contract, column
    for table in ("access_grants", "audit_log", "duration_seconds", "CX_START_EMPTY"):
        assert table in contract, table
    assert "docs/DATA-CONTRACT.md" in README
