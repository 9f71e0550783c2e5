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
        # on the network, a loopback redirect sends each browser back to its own machine:
        # said by test_a_redirect_other_machines_cannot_follow_is_named
        ("http://localhost:8080/oauth2callback", "0.0.0.0", None),
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
    if warned is None:
        return
    assert (said is not None) == warned, said
    if warned:
        assert "different sites" in said and f"http://{host}:8080" in said


@pytest.mark.parametrize(
    ("uri", "host", "words"),
    [
        # other machines' browsers would be sent back to themselves
        ("http://127.0.0.1:8080/oauth2callback", "0.0.0.0", "for other machines"),
        ("http://localhost:8080/oauth2callback", "192.168.1.10", "for other machines"),
        # sign-in answers at /oauth2callback only: it had ended at /?code=…
        ("http://127.0.0.1:8080/", "127.0.0.1", "its path must be /oauth2callback"),
        ("https://cx.example.com/callback", "0.0.0.0", "its path must be /oauth2callback"),
        # nginx speaks plain http here
        ("https://127.0.0.1:8080/oauth2callback", "127.0.0.1", "nginx serves plain http"),
    ],
)
def test_a_redirect_other_machines_cannot_follow_is_named(tmp_path, uri, host, words):
    """Three redirect_uri mistakes cx serve let pass: a loopback name while nginx listens
    for other machines, another path than /oauth2callback, https to a plain-http nginx."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH.format(uri=uri), encoding="utf-8")
    said = serve.redirect_mismatch(secrets, 8080, host)
    assert said is not None and words in said, said


def test_the_app_processes_run_one_duckdb_thread_unless_told_otherwise(monkeypatch):
    """The README advises CX_THREADS=1 for app processes behind nginx; serve gives it."""
    monkeypatch.delenv("CX_THREADS", raising=False)
    assert serve.app_env()["CX_THREADS"] == "1"
    monkeypatch.setenv("CX_THREADS", "4")
    assert serve.app_env()["CX_THREADS"] == "4"


def test_secrets_that_are_not_toml_refuse_to_start(tmp_path, monkeypatch, capsys):
    """One typo in secrets.toml: Streamlit read no secrets, and the app started in open mode
    (everyone an admin), the parser's complaint in an app log only."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://127.0.0.1:8080/oauth2callback\n')
    monkeypatch.setattr(serve, "SECRETS", secrets)
    assert serve.main(["--port", "8623"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"refused: {secrets} cannot be read (") and "line 2" in err, err


def test_a_port_in_use_or_no_nginx_refuses_in_a_sentence(tmp_path, monkeypatch, capsys):
    """A port already taken: nginx failed in its own log while serve waited two minutes,
    then ended with a traceback; without nginx, a traceback at once."""
    import socket

    monkeypatch.setattr(serve, "SECRETS", tmp_path / "absent.toml")
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert serve.main(["--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"refused: 127.0.0.1:{port} cannot be listened on (") and (
        "choose another --port" in err
    ), err
    monkeypatch.setattr(serve, "NGINX", str(tmp_path / "no-nginx"))
    assert serve.main(["--port", str(port)]) == 2
    assert capsys.readouterr().err.startswith("refused: nginx is not installed")


def test_an_app_process_that_stops_is_started_again(tmp_path, monkeypatch, capsys):
    """One app process killed (or out of memory) had stopped nginx and every other process:
    the whole site down for one. It starts again; one that stops again at once ends it."""
    import subprocess
    import sys

    def proc(code: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", code])

    cluster = serve.Cluster(1, "127.0.0.1", 8080, tmp_path)
    cluster.procs = [proc("import time; time.sleep(0.6)"), proc("import time; time.sleep(30)")]
    restarted = []
    monkeypatch.setattr(
        cluster, "_app", lambda i, mode="wb": restarted.append((i, mode)) or proc("pass")
    )
    try:
        said = cluster.watch(pause=0.1, again_within=0.4)
    finally:
        cluster.stop()
    assert restarted == [(0, "ab")]  # started again once, its log kept
    assert "app process 0 stopped (exit 0); starting it again" in capsys.readouterr().err
    assert said.startswith("app process 0 stopped again (exit 0)"), said


def test_its_arguments_are_checked_in_one_line_each(tmp_path, monkeypatch, capsys):
    """``--workers 0`` had printed "0 app processes" and started one; a port past 65535
    and a mistyped ``--db`` (the app processes would have built a demo there) started
    nothing useful either."""
    monkeypatch.setattr(serve, "SECRETS", tmp_path / "absent.toml")
    for argv, said in (
        (["--workers", "0"], "'0' is not a whole number of 1 or more"),
        (["--port", "70000"], "'70000' is not a port (1 to 65535)"),
    ):
        with pytest.raises(SystemExit) as ended:
            serve.main([*argv, "--print-config"])
        assert ended.value.code == 2
        err = capsys.readouterr().err
        assert err == f"python -m cx serve: argument {argv[0]}: {said}\n", err
    typo = tmp_path / "typo.duckdb"
    assert serve.main(["--db", str(typo), "--print-config"]) == 2
    assert capsys.readouterr().err == f"refused: no database at {typo}\n"
    assert not typo.exists()


def test_a_relative_db_names_one_file_to_every_process(tmp_path, monkeypatch, capsys):
    """The app processes run in the project's folder: ``CX_DB=x.duckdb`` had named one
    file to ``cx serve`` (its readers' copy) and another to them."""
    monkeypatch.setattr(serve, "SECRETS", tmp_path / "absent.toml")
    monkeypatch.setenv("CX_DB", "elsewhere.duckdb")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.duckdb").write_bytes(b"")
    assert serve.main(["--db", "x.duckdb", "--print-config"]) == 0
    assert serve.app_env()["CX_DB"] == str(tmp_path / "x.duckdb")
    monkeypatch.setenv("CX_DB", "rel.duckdb")
    assert serve.main(["--print-config"]) == 0
    assert serve.app_env()["CX_DB"] == str(tmp_path / "rel.duckdb")


def test_a_logs_folder_is_kept_and_added_to(tmp_path, monkeypatch, capsys):
    """Each start had written its logs to a new temporary folder, so a service manager's
    restart left the crash's log in a folder nobody knew; ``--logs`` keeps one, and an
    app process's log after a restart keeps what it held."""
    import sys

    monkeypatch.setattr(serve, "SECRETS", tmp_path / "absent.toml")
    logs = tmp_path / "logs" / "cx"
    assert serve.main(["--logs", str(logs), "--print-config", "--port", "8624"]) == 0
    assert f"error_log {logs / 'error.log'}" in capsys.readouterr().out
    assert logs.is_dir()  # made, and not removed after printing
    monkeypatch.setattr(serve, "app_command", lambda port: [sys.executable, "-c", "print('run')"])
    for kept, lines in ((True, 2), (False, 1)):
        folder = tmp_path / f"kept-{kept}"
        folder.mkdir()
        cluster = serve.Cluster(1, "127.0.0.1", 8080, folder, kept=kept)
        for _ in range(2):
            cluster._app(0).wait()
        assert (folder / "app0.log").read_text().splitlines() == ["run"] * lines
