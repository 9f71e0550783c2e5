"""Upload: pick a CSV/XLSX export, check the mapping and the preview, commit, undo."""

import streamlit as st

from cx.ui import require, t
from cx.ui import upload as up

require("upload")
st.title(t("up.title"))
st.caption(t("up.intro"))
up.template_downloads()
up.flash()

uploaded = st.file_uploader(t("up.pick"), type=["csv", "txt", "tsv", "xlsx"], key="up_file")
if uploaded is not None:
    data = uploaded.getvalue()
    digest = up.file_digest(data)
    info = up.inspect(data, uploaded.name)
    mapping = up.mapping_editor(info)
    result = up.dry_run(data, uploaded.name, digest, mapping)
    st.subheader(t("up.preview"))
    if result.duplicate_of is not None:
        st.info(t("up.same_file", id=result.duplicate_of))
    else:
        up.show_preview(result)
        up.commit_button(data, info, mapping)

st.divider()
up.history()
