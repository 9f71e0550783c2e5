"""The Access page's Streamlit pieces: the grant form, the grant table and the revoke
pickers (from :class:`cx.views.access.AccessView`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import access
from cx.ui import auth_configured, can, dataframe, lang, relabelled, t, t_plain, write
from cx.views.access import AccessView

_GRANTED = "_access_granted"
"""Session key of the grant's success sentence, shown under the form after the rerun."""
_FLASH = "_access_flash"
"""Session key of the revoke's success sentence, shown at the foot after the rerun."""
_REFUSED = "_access_revoke_refused"
"""Session key of a refused revoke's sentence, shown after the rerun that drops the question."""
_PENDING = "_access_revoke_pending"
"""Session key: the (email, role, (store_id, region) pairs) a click asked to revoke, until
confirmed or cancelled."""


_PLACES_FOR = "_access_revoke_places_for"
"""Session key: the (email, role) the revoke's places picker was filled for."""
_CLEAR_PICK = "_access_clear_pick"
"""Session key: a revoke went through, so the revoke's email picker starts empty."""
_EMPTY_FORM = "_access_empty_form"
"""Session key: the last grant was given, so the form starts empty on this run."""
_FORM_EMPTY = {"access_email": "", "access_role": None, "access_stores": [], "access_regions": []}


def role_label(role: str) -> str:
    """A role's name on the page; one this version does not know (a grant written into the
    table by hand, 'manager') as written, said to give nothing: its name had failed the
    page, and the admin could not see or revoke it."""
    if role in access.ROLES:
        return t(f"access.role.{role}")
    return t("access.role.unknown", role=role)


def _role(role: str) -> str:
    """A role's name inside a sentence ("the store role": the pickers' "Store" is a label;
    an unknown one "the unknown 'manager' role", which had read "role" twice)."""
    if role not in access.ROLES:
        return t("access.role.unknown_in_sentence", role=role)
    name = role_label(role)
    return name.lower() if lang() == "en" else name


def _refusal(exc: access.GrantRefused) -> str:
    """A refused grant's or revoke's reason, its role named as the page's other sentences
    name it ("the analyst role covers every store": it read "the Analyst role")."""
    fmt = dict(exc.fmt)
    if fmt.get("role"):
        fmt["role"] = _role(fmt["role"])
    return t(exc.key, **fmt)


def _places(pairs) -> str:
    """The stores and regions of (store_id, region) pairs, as a sentence lists them."""
    return t_plain("fmt.sep_list").join(x for pair in pairs for x in pair if x)


def _grant_form(v: AccessView) -> None:
    if st.session_state.pop(_EMPTY_FORM, False):
        # set, not removed, before the widgets draw: the browser then shows them empty and
        # sends them so (removed, the browser kept the last grant's picks in the form and
        # sent them with the next grant: a store grant took the region grant's region)
        st.session_state.update(_FORM_EMPTY)
    with st.form("access_grant_form", clear_on_submit=False):
        c1, c2 = st.columns([2, 1])
        email = c1.text_input(t("access.email"), key="access_email")
        role = c2.selectbox(  # no role picked for the admin: a grant is chosen, never defaulted
            t("access.role"),
            access.ROLES,
            index=None,
            format_func=lambda r: t(f"access.role.{r}"),
            placeholder=t("access.pick"),
            key=relabelled("access_role"),
        )
        c3, c4 = st.columns(2)
        picked_stores = c3.multiselect(
            t("access.stores"),
            list(v.store_ids),
            key="access_stores",
            placeholder=t("access.pick"),
        )
        picked_regions = c4.multiselect(
            t("access.regions"),
            list(v.regions),
            key="access_regions",
            placeholder=t("access.pick"),
        )
        submitted = st.form_submit_button(t("access.grant"), type="primary")
    if submitted and role is None:
        st.error(t("access.invalid", reason=t("access.no_role")))
    elif submitted:
        try:
            added = write(access.grant, email, role, tuple(picked_stores), tuple(picked_regions))
        except access.GrantRefused as exc:
            st.error(t("access.invalid", reason=_refusal(exc)))
        else:
            # Run again so the table below (loaded before the grant) lists it, with the
            # form empty for the next grant (its stores kept refused an analyst's grant).
            # the places added (one held already keeps its time), else those asked for
            asked = [(x, None) for x in picked_stores] + [(None, x) for x in picked_regions]
            places = _places(added or asked)
            st.session_state[_GRANTED] = t(
                "access.granted" if added else "access.already",
                email=access.normalise_email(email),
                role=_role(role),
                places=t("access.places", places=places) if places else "",
            )
            st.session_state[_EMPTY_FORM] = True
            st.rerun()
    if _GRANTED in st.session_state:
        st.success(st.session_state.pop(_GRANTED))


def _grants(v: AccessView) -> None:
    st.subheader(t("access.grants"))
    if v.empty:
        st.info(t("access.none_yet"))
        return
    grants = v.grants.assign(
        role=[role_label(r) for r in v.grants["role"]],
        granted_by=[access.who_shown(w, lang()) for w in v.grants["granted_by"]],
    )
    dataframe(
        grants.rename(columns={c: t(f"access.col.{c}") for c in grants.columns}),
        hide_index=True,
        key="access_table",
        download="access_grants",
        pin=1,  # the person's e-mail, as the table scrolls on a phone
    )
    # a grant naming a store or region the data lacks (a typo on the command line): its
    # holder saw only "no answers", and the table listed it as any other
    stores, regions = set(v.store_ids), set(v.regions)
    lacking = [
        f"{e} · {sid if isinstance(sid, str) else reg}"
        for e, sid, reg in zip(
            v.grants["email"], v.grants["store_id"], v.grants["region"], strict=True
        )
        if (isinstance(sid, str) and sid not in stores)
        or (isinstance(reg, str) and reg not in regions)
    ]
    if lacking:
        st.warning(t("access.grants_unknown", grants=t_plain("fmt.sep_list").join(lacking)))
    # nothing picked to start with, and a click asks first, naming the grant: the pickers
    # had opened on the first grant, and when the grants changed while the page was open
    # they fell back to it, so a click revoked another person's role without a word
    r1, r2, r3 = st.columns([2, 1, 1])
    if st.session_state.pop(_CLEAR_PICK, False):
        # set, not removed, before the picker draws: removed, the browser kept showing the
        # email just revoked, which was no longer an option (a click then said "pick an
        # email and a role first")
        st.session_state["access_revoke_email"] = None
        st.session_state.pop(_PLACES_FOR, None)  # the next pick lists its places, all picked
    who = r1.selectbox(
        t("access.email"),
        list(v.emails),
        index=None,
        placeholder=t("access.pick"),
        key="access_revoke_email",
    )
    which = r2.selectbox(
        t("access.role"),
        list(v.roles_of.get(who, ())),
        index=None,
        format_func=role_label,
        placeholder=t("access.pick"),
        key=relabelled("access_revoke_role"),
    )
    held = v.grants[(v.grants["email"] == who) & (v.grants["role"] == which)]
    pairs = tuple(
        (None if pd.isna(s) else s, None if pd.isna(r) else r)
        for s, r in zip(held["store_id"], held["region"], strict=True)
    )
    places = [x for pair in pairs for x in pair if x]
    chosen = places
    if len(places) > 1:  # some of them may go, the others stay
        if st.session_state.get(_PLACES_FOR) != (who, which):  # all, for a new pick
            st.session_state[_PLACES_FOR] = (who, which)
            st.session_state["access_revoke_places"] = places
        chosen = st.multiselect(
            t("access.revoke_places"), places, key="access_revoke_places", width="stretch"
        )
    if r3.button(t("access.revoke"), key="access_revoke"):
        if who is None or which is None:  # none picked, or the one picked went meanwhile
            st.error(t("access.not_revoked", reason=t("access.revoke_gone")))
        elif places and not chosen:
            st.error(t("access.not_revoked", reason=t("access.revoke_pick_places")))
        else:  # the grants asked about, as they are now: exactly these go, or none
            some = tuple(p for p in pairs if not places or (p[0] or p[1]) in chosen)
            st.session_state[_PENDING] = (who, which, pairs, None if some == pairs else some)
    if _REFUSED in st.session_state:
        st.error(st.session_state.pop(_REFUSED))
    pending = st.session_state.get(_PENDING)
    if pending is None:
        return
    email, role, pairs, only = pending
    if only is None:
        what = _places(pairs) or t("access.revoke_all_stores")
        st.warning(t("access.revoke_confirm", email=email, role=_role(role), what=what))
    else:
        kept = _places(p for p in pairs if p not in only)
        st.warning(
            t("access.revoke_confirm_some", email=email, role=_role(role), what=_places(only),
              kept=kept)
        )  # fmt: skip
    yes, no = st.columns(2)
    if no.button(t("access.revoke_cancel"), key="access_revoke_cancel"):
        st.session_state.pop(_PENDING, None)
        st.rerun()
    if yes.button(t("access.revoke_yes"), key="access_revoke_yes", type="primary"):
        st.session_state.pop(_PENDING, None)
        try:  # exactly the grant named above: none left of it is said, nothing else goes
            more = {} if only is None else {"only": only}
            n = write(access.revoke, email, role, expected=pairs, **more)
        except access.GrantRefused as exc:  # the last admin, or no such grant any more
            # said after a run without the question (it stayed, its buttons doing nothing)
            st.session_state[_REFUSED] = t("access.not_revoked", reason=_refusal(exc))
            st.rerun()
        else:
            st.session_state[_FLASH] = t("access.revoked", email=email, n=n)
            st.session_state[_CLEAR_PICK] = True
            st.rerun()


def flash_own_revoke() -> None:
    """The revoke's sentence, shown first when the person revoked their own admin role:
    the page then refuses them, and they read only "your role cannot do this; nothing
    was changed" over a revoke that had gone through."""
    if _FLASH in st.session_state and not can("access.manage"):
        st.success(st.session_state.pop(_FLASH))


def render(v: AccessView) -> None:
    """The whole page below its title and caption."""
    if not auth_configured():
        st.info(t("access.open_note"))
    _grant_form(v)
    _grants(v)
    if _FLASH in st.session_state:
        st.success(st.session_state.pop(_FLASH))
