"""Altair chart builders: DataFrame in, ``alt.Chart`` out (no streamlit), one module per area."""

SEGMENT_COLORS = {"detractor": "#d9534f", "passive": "#f0ad4e", "promoter": "#2e8b57"}
