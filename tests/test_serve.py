"""``python -m cx serve`` before it starts anything: sign-in's redirect back past nginx."""

from __future__ import annotations

import pytest

from cx import serve

AUTH = """[auth]
redirect_uri = "{uri}"
cookie_secret = "s"
client_id = "cx"
client_secret = "c"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.mark.parametrize(
    ("uri", "warned"),
    [
        ("http://localhost:8621/oauth2callback", True),  # the single app's port, kept
        ("http://127.0.0.1:8080/oauth2callback", False),  # nginx's own
        ("http://127.0.0.1/oauth2callback", True),  # port 80
        ("https://cx.example.com/oauth2callback", False),  # a proxy's public name
        ("http://[::1]:8501/oauth2callback", True),  # IPv6 loopback
    ],
)
def test_a_redirect_to_another_loopback_port_than_nginx_is_named(tmp_path, uri, warned):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH.format(uri=uri), encoding="utf-8")
    said = serve.redirect_mismatch(secrets, 8080)
    assert (said is not None) == warned
    if warned:
        assert uri in said and ":8080/oauth2callback" in said
        assert "http://[::1]:8080/" in said or "::1" not in uri  # brackets kept


def test_no_secrets_or_no_auth_says_nothing(tmp_path):
    assert serve.redirect_mismatch(tmp_path / "absent.toml", 8080) is None
    other = tmp_path / "secrets.toml"
    other.write_text('[other]\nkey = "v"\n', encoding="utf-8")
    assert serve.redirect_mismatch(other, 8080) is None
    other.write_text("not = [toml", encoding="utf-8")
    assert serve.redirect_mismatch(other, 8080) is None


def test_serve_says_so_before_it_starts(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH.format(uri="http://localhost:8621/oauth2callback"), encoding="utf-8")
    monkeypatch.setattr(serve, "SECRETS", secrets)
    assert serve.main(["--port", "8623", "--print-config"]) == 0
    err = capsys.readouterr().err
    assert err.startswith(
        f"sign-in: redirect_uri in {secrets} is http://localhost:8621/oauth2callback, but"
        " nginx listens on port 8623; set it to http://localhost:8623/oauth2callback"
    ), err


def test_serve_on_a_network_address_without_sign_in_refuses_to_start(tmp_path, monkeypatch, capsys):
    """Open mode makes everyone who reaches the app an admin: ``--host 0.0.0.0`` without
    ``[auth]`` had started and listened on every address without a word. Loopback still
    starts in open mode, and with sign-in configured any address does."""
    monkeypatch.setattr(serve, "SECRETS", tmp_path / "absent.toml")
    assert serve.main(["--host", "0.0.0.0", "--port", "8623", "--print-config"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refused: sign-in is not configured ([auth] in"), err
    assert "on 0.0.0.0 everyone who reaches the app would be an admin" in err
    assert serve.main(["--port", "8623", "--print-config"]) == 0  # loopback
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH.format(uri="https://cx.example.com/oauth2callback"), "utf-8")
    monkeypatch.setattr(serve, "SECRETS", secrets)
    assert serve.main(["--host", "0.0.0.0", "--port", "8623", "--print-config"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("uri", "host", "warned"),
    [
        ("http://localhost:8080/oauth2callback", "127.0.0.1", True),
        ("http://127.0.0.1:8080/oauth2callback", "localhost", True),
        ("http://localhost:8080/oauth2callback", "localhost", False),
        ("http://127.0.0.1:8080/oauth2callback", "127.0.0.1", False),
        ("http://localhost:8080/oauth2callback", "0.0.0.0", False),  # a name on the network
    ],
)
def test_a_redirect_to_another_loopback_name_than_the_printed_address_is_named(
    tmp_path, uri, host, warned
):
    """``redirect_uri = http://localhost:8080/…`` behind ``cx serve`` printing
    ``http://127.0.0.1:8080``: signing in at the printed address ends back at 'Please
    sign in' (the browser's cookie is for the other name); only the port was checked."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH.format(uri=uri), encoding="utf-8")
    said = serve.redirect_mismatch(secrets, 8080, host)
    assert (said is not None) == warned, said
    if warned:
        assert "different sites" in said and f"http://{host}:8080" in said


def test_the_app_processes_run_one_duckdb_thread_unless_told_otherwise(monkeypatch):
    """The README advises CX_THREADS=1 for app processes behind nginx; serve gives it."""
    monkeypatch.delenv("CX_THREADS", raising=False)
    assert serve.app_env()["CX_THREADS"] == "1"
    monkeypatch.setenv("CX_THREADS", "4")
    assert serve.app_env()["CX_THREADS"] == "4"
