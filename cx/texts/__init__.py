"""The translation table, one module per area: ``TEXTS = {key: {"zh": ..., "en": ...}}``
(merged and read by :mod:`cx.i18n`)."""
