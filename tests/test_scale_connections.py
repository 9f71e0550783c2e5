"""The schema is checked once per file: a replaced or rewritten file is checked again."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from cx import db


def test_a_file_replaced_after_its_check_is_checked_again(demo_db, tmp_path):
    with db.connect(demo_db) as con:  # checked: this app's file, schema current
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > 0
    foreign = tmp_path / "foreign.duckdb"
    other = duckdb.connect(str(foreign))
    other.execute("CREATE TABLE invoices (id INTEGER)")
    other.close()
    shutil.copy(foreign, demo_db)  # a restore of the wrong file, in place
    with pytest.raises(db.DatabaseRefused, match="another program"), db.connect(demo_db):
        pass


def test_a_newer_schema_written_after_the_check_is_refused(demo_db):
    with db.connect(demo_db):
        pass
    other = duckdb.connect(str(demo_db))  # another (newer) app writes the file
    other.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    other.close()
    with pytest.raises(db.DatabaseRefused, match="newer version"), db.connect(demo_db):
        pass


def test_a_rebuilt_demo_gets_its_schema_checked_and_reads(tmp_path):
    from cx import demo

    path = tmp_path / "cx.duckdb"
    demo.build(path, scale=0.01, force=True)
    with db.connect(path) as con:
        first = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
    demo.build(path, scale=0.02, force=True)  # a new file under the same name
    with db.connect(path) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > first
