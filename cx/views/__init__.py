"""One view per page: everything a page shows, computed in one call, as plain data.

The page pattern: a page reads its widgets, builds the :class:`cx.scope.Scope` from
``cx.ui.filters()``, calls one ``cx.views.<area>.view(con, scope, <options>)`` through the
cached loader (``cx.ui.load(view, scope, ...)``, on a connection already cut to the
person's stores) and hands the result to ``cx.ui.<area>.render``. A view returns a frozen
dataclass of plain data (DataFrames, numbers, strings, tuples) built from the area's
queries (``cx.queries.<area>``) and pure functions (``cx.<area>``, ``cx.analysis``,
``cx.rules``); every rule and threshold lives there, none in a page. No streamlit here.
"""
