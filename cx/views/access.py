"""The Access page's view: the stores to pick from and the current grants, as plain data.

The Access page manages the whole grant table (only admins open it), so :func:`view`
takes no Scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from cx import access, queries
from cx.queries import no_followups

GRANT_COLUMNS = ("email", "role", "store_id", "region", "granted_at", "granted_by")
"""The grant table's columns, as the page shows them (headers from ``access.col.<column>``)."""


@dataclass(frozen=True)
class AccessView:
    store_ids: tuple[str, ...]  # the store picker's options, by region then id
    regions: tuple[str, ...]  # the region picker's options, sorted
    grants: pd.DataFrame  # GRANT_COLUMNS, by email, role, store, region
    emails: tuple[str, ...]  # who holds a grant, sorted
    roles_of: dict[str, tuple[str, ...]]  # each email's roles, sorted

    @property
    def empty(self) -> bool:
        """No grant at all."""
        return self.grants.empty


@no_followups
def view(con: duckdb.DuckDBPyConnection) -> AccessView:
    """The stores and regions a grant can name, every grant, and each email's roles."""
    stores = queries.stores(con)
    grants = access.grants(con)[list(GRANT_COLUMNS)].reset_index(drop=True)
    emails = tuple(sorted(grants["email"].unique()))
    return AccessView(
        store_ids=tuple(stores["store_id"]),
        regions=tuple(sorted(stores["region"].dropna().unique())),
        grants=grants,
        emails=emails,
        roles_of={
            e: tuple(sorted(grants.loc[grants["email"] == e, "role"].unique())) for e in emails
        },
    )
