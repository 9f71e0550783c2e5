"""Access (admins): who sees which stores and may do what; grant and revoke."""

import streamlit as st

from cx import access, queries
from cx.ui import auth_configured, load, require, t, write

require("access.manage")
st.title(t("access.title"))
st.caption(t("access.caption"))
if not auth_configured():
    st.info(t("access.open_note"))

stores = load(queries.stores)
with st.form("access_grant_form", clear_on_submit=False):
    c1, c2 = st.columns([2, 1])
    email = c1.text_input(t("access.email"), key="access_email")
    role = c2.selectbox(
        t("access.role"),
        access.ROLES,
        format_func=lambda r: t(f"access.role.{r}"),
        key="access_role",
    )
    c3, c4 = st.columns(2)
    picked_stores = c3.multiselect(
        t("access.stores"),
        list(stores["store_id"]),
        key="access_stores",
        placeholder=t("access.pick"),
    )
    picked_regions = c4.multiselect(
        t("access.regions"),
        sorted(stores["region"].dropna().unique()),
        key="access_regions",
        placeholder=t("access.pick"),
    )
    submitted = st.form_submit_button(t("access.grant"), type="primary")
if submitted:
    try:
        write(access.grant, email, role, tuple(picked_stores), tuple(picked_regions))
        st.success(t("access.granted", email=access.normalise_email(email), role=role))
    except ValueError as exc:
        st.error(t("access.invalid", reason=str(exc)))

st.subheader(t("access.grants"))
current = load(access.grants)
if current.empty:
    st.info(t("access.none_yet"))
else:
    st.dataframe(
        current.rename(columns={c: t(f"access.col.{c}") for c in current.columns}),
        hide_index=True,
        key="access_table",
    )
    r1, r2, r3 = st.columns([2, 1, 1])
    who = r1.selectbox(
        t("access.email"), sorted(current["email"].unique()), key="access_revoke_email"
    )
    roles = sorted(current.loc[current["email"] == who, "role"].unique())
    which = r2.selectbox(
        t("access.role"),
        roles,
        format_func=lambda r: t(f"access.role.{r}"),
        key="access_revoke_role",
    )
    if r3.button(t("access.revoke"), key="access_revoke"):
        n = write(access.revoke, who, which)
        st.session_state["_access_flash"] = t("access.revoked", email=who, n=n)
        st.rerun()
if "_access_flash" in st.session_state:
    st.success(st.session_state.pop("_access_flash"))
