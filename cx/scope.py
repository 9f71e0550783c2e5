"""Which stores and days a page asks for: one type, parsed once from the sidebar.

:class:`Scope` is what every query takes. It narrows; it never widens: who may see
which stores is enforced on the connection by :func:`cx.access.apply_scope`, so a
Scope naming a store outside a person's grant reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Scope:
    """Which stores and which days: empty tuples mean every store the person may see,
    ``None`` dates mean no bound. Hashable, so cached loaders key on it."""

    regions: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def where(self, date_expr: str = "day", store_expr: str = "store_id") -> tuple[str, list]:
        """A WHERE clause body and its parameters (``TRUE`` when nothing is filtered)."""
        parts: list[str] = []
        params: list = []
        if self.regions:
            marks = ", ".join("?" for _ in self.regions)
            parts.append(f"{store_expr} IN (SELECT store_id FROM stores WHERE region IN ({marks}))")  # noqa: S608
            params += list(self.regions)
        if self.stores:
            parts.append(f"{store_expr} IN ({', '.join('?' for _ in self.stores)})")
            params += list(self.stores)
        if self.start:
            parts.append(f"{date_expr} >= ?")
            params.append(self.start)
        if self.end:
            parts.append(f"{date_expr} <= ?")
            params.append(self.end)
        return (" AND ".join(parts) or "TRUE"), params
