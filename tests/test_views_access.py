"""The Access page's view: pickers and grants equal the stores and access_grants rows."""

from __future__ import annotations

import pandas as pd

from cx import access
from cx.views import access as access_view


def test_view_lists_the_stores_and_every_grant_from_the_tables(con):
    access.grant(con, "b@x.com", "store", stores=["HZ02", "HZ01"])
    access.grant(con, "b@x.com", "trainer")
    access.grant(con, "A@X.com", "region", regions=["华东"])
    v = access_view.view(con)
    stores = con.execute("SELECT store_id, region FROM stores ORDER BY region, store_id").fetchall()
    rows = con.execute(
        "SELECT email, role, store_id, region, granted_at, granted_by FROM access_grants"
        " ORDER BY email, role, store_id, region"
    ).fetchall()
    assert v.store_ids == tuple(s for s, _ in stores)
    assert v.regions == tuple(sorted({r for _, r in stores if r is not None}))
    assert list(v.grants.columns) == list(access_view.GRANT_COLUMNS)
    got = [
        tuple(None if pd.isna(x) else x for x in r)  # NaN/NaT: no store or region
        for r in v.grants.astype(object).itertuples(index=False)
    ]
    assert got == rows
    assert v.emails == tuple(sorted({r[0] for r in rows})) == ("a@x.com", "b@x.com")
    assert v.roles_of == {e: tuple(sorted({r[1] for r in rows if r[0] == e})) for e in v.emails}
    assert v.roles_of["b@x.com"] == ("store", "trainer") and not v.empty


def test_view_without_grants_is_empty(con):
    v = access_view.view(con)
    (n,) = con.execute("SELECT count(*) FROM access_grants").fetchall()[0]
    assert n == 0 and v.empty
    assert v.emails == () and v.roles_of == {}
    assert len(v.store_ids) == con.execute("SELECT count(*) FROM stores").fetchall()[0][0]
