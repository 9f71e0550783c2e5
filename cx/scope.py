"""Which stores and days a page asks for: one type, parsed once from the sidebar.

:class:`Scope` is what every query takes. It narrows; it never widens: who may see
which stores is enforced on the connection by :func:`cx.access.apply_scope`, so a
Scope naming a store outside a person's grant reads nothing.

The sidebar's regions and stores, the board's store picker and the planner's store
picker are one state (``flt_regions`` / ``flt_stores``): :attr:`Scope.key` is how a
picker and the board's ``?store=`` URL parameter spell a Scope (``'*'`` the network,
``'region:<name>'`` one region, a store id, or several of these joined by commas) and
:meth:`Scope.from_key` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

NETWORK = "*"
"""The key of every store the person may see (and the target table's network row)."""
REGION_PREFIX = "region:"
"""A key part naming a region: ``'region:华东'``."""
KINDS = ("network", "region", "store", "stores")


@dataclass(frozen=True)
class Scope:
    """Which stores and which days: empty tuples mean every store the person may see,
    ``None`` dates mean no bound. Hashable, so cached loaders key on it."""

    regions: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    # ----------------------------------------------------------------- constructors

    @classmethod
    def network(cls) -> Scope:
        return cls()

    @classmethod
    def of_store(cls, store_id: str) -> Scope:
        return cls(stores=(store_id,))

    @classmethod
    def of_region(cls, region: str) -> Scope:
        return cls(regions=(region,))

    @classmethod
    def from_key(cls, key: str | None) -> Scope:
        """``'*'`` or '' -> the network; ``'region:华东'`` -> one region; ``'HZ01'`` -> one
        store; ``'region:华东,HZ01,SH03'`` -> those regions and stores."""
        regions: list[str] = []
        stores: list[str] = []
        for part in (key or "").split(","):
            part = part.strip()
            if not part or part == NETWORK:
                continue
            if part.startswith(REGION_PREFIX):
                name = part[len(REGION_PREFIX) :]
                if name and name not in regions:
                    regions.append(name)
            elif part not in stores:
                stores.append(part)
        return cls(tuple(regions), tuple(stores))

    # ----------------------------------------------------------------- what it names

    @property
    def kind(self) -> str:
        """'network' (no store named), 'region' (one region), 'store' (one store) or
        'stores' (any other set of regions and stores)."""
        if not self.regions and not self.stores:
            return "network"
        if len(self.stores) == 1 and not self.regions:
            return "store"
        if len(self.regions) == 1 and not self.stores:
            return "region"
        return "stores"

    @property
    def store(self) -> str | None:
        """The one store, when the scope is one store."""
        return self.stores[0] if self.kind == "store" else None

    @property
    def region(self) -> str | None:
        """The one region, when the scope is one region."""
        return self.regions[0] if self.kind == "region" else None

    @property
    def key(self) -> str:
        """The scope's stores as one string (:meth:`from_key` reads it back); no dates."""
        parts = [REGION_PREFIX + r for r in self.regions] + list(self.stores)
        return ",".join(parts) or NETWORK

    def places(self) -> Scope:
        """The same stores, every day."""
        return Scope(self.regions, self.stores)

    def days(self, start: date | None, end: date | None) -> Scope:
        """The same stores over ``start`` .. ``end``."""
        return replace(self, start=start, end=end)

    # ----------------------------------------------------------------- SQL

    def where(
        self, date_expr: str | None = "day", store_expr: str = "store_id", moment: bool = False
    ) -> tuple[str, list]:
        """A WHERE clause body and its parameters (``TRUE`` when nothing is filtered).

        ``date_expr`` None: the stores only (a query that sets its own day ranges).
        ``moment``: ``date_expr`` is a timestamp (``responded_at``), bounded by the first
        moment of the start day and before the day after the end: DuckDB then skips the
        row groups outside the dates, which a cast to a date hides from it."""
        if moment and date_expr:
            bounds = Scope(self.regions, self.stores)
            where, params = bounds.where(None, store_expr)
            parts = [] if where == "TRUE" else [where]
            if self.start:
                parts.append(f"{date_expr} >= ?")
                params.append(datetime.combine(self.start, time()))
            if self.end:
                parts.append(f"{date_expr} < ?")
                params.append(datetime.combine(self.end + timedelta(days=1), time()))
            return (" AND ".join(parts) or "TRUE"), params
        parts: list[str] = []
        params: list = []
        if self.regions:
            marks = ", ".join("?" for _ in self.regions)
            parts.append(f"{store_expr} IN (SELECT store_id FROM stores WHERE region IN ({marks}))")  # noqa: S608
            params += list(self.regions)
        if self.stores:
            parts.append(f"{store_expr} IN ({', '.join('?' for _ in self.stores)})")
            params += list(self.stores)
        if self.start and date_expr:
            parts.append(f"{date_expr} >= ?")
            params.append(self.start)
        if self.end and date_expr:
            parts.append(f"{date_expr} <= ?")
            params.append(self.end)
        return (" AND ".join(parts) or "TRUE"), params
