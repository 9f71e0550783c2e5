"""Upload: pick a CSV/XLSX export, check the mapping and the preview, commit, undo."""

import streamlit as st

from cx.ui import require, t, uploader
from cx.ui import upload as up

require("upload")
st.title(t("up.title"))
st.caption(t("up.intro"))
up.template_downloads()
up.flash()

uploaded = uploader(
    t("up.pick", mb=st.get_option("server.maxUploadSize")),
    ["csv", "txt", "tsv", "xlsx"],
    "up_file",
    also=("xls", "xml"),  # refused in a sentence that says what to do (an HTML "xls" too)
)
if uploaded is not None:
    info = up.inspect(uploaded)  # once per file, kept across reruns
    mapping = up.mapping_editor(info)
    result = up.dry_run(info, mapping)
    # the picker keeps a committed file: its heading then says it was written
    written = up.just_written(result.earlier)
    st.subheader(t("up.written" if written else "up.preview"))
    if written or result.duplicate_of is not None:
        up.same_file(result.earlier)
    else:
        up.show_preview(result)
        if result.writes:  # else the preview says nothing would change
            up.commit_button(info, mapping, result)

st.divider()
up.history()
up.demo_removal()
