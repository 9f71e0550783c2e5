"""Texts of sign-in, access management, the audit log and refusals."""

TEXTS = {
    "app.error": {
        "zh": "页面出错了，已记录到服务器日志。请刷新页面；如果仍然出错，请联系管理员。",
        "en": "Something went wrong on this page; the server log has the details."
        " Refresh the page, and tell your admin if it happens again.",
    },
    "access.open_mode": {
        "zh": "开放模式：未配置登录，所有能访问本机的人都是管理员。仅限单机演示和课堂使用。",
        "en": "Open mode: sign-in is not configured, so everyone who can reach this app is"
        " an admin. For one machine, demos and classes only.",
    },
    "access.open_mode_who": {"zh": "开放模式", "en": "open mode"},
    "access.signin.title": {"zh": "请登录", "en": "Please sign in"},
    "access.signin.text": {
        "zh": "本驾驶舱包含客户数据，请使用公司账号登录。",
        "en": "This cockpit holds customer data; sign in with your company account.",
    },
    # [auth] is there but Streamlit would refuse it: said instead of a redacted error
    "access.signin.other_name": {
        "zh": "你是在 {here} 打开的本页，登录后会回到 {there}：浏览器把这两个地址当作不同的网站，"
        "登录会回到这里。请改用 {there} 打开本页再登录。",
        "en": "This page was opened at {here}, and signing in returns to {there}: to a browser"
        " these are different sites, and signing in ends back here. Open the page at {there}"
        " and sign in there.",
    },
    "access.secrets_unreadable": {
        "zh": "无法读取登录设置（{problem}）。请在服务器上修正该文件后重新加载本页；在此之前谁也进不来，"
        "应用不会改为开放模式。",
        "en": "The sign-in settings cannot be read ({problem}). Fix the file on the server and"
        " reload this page: until then nobody gets in, and the app does not fall back to open"
        " mode.",
    },
    "access.signin.incomplete": {
        "zh": "登录配置不完整：.streamlit/secrets.toml 的 [auth] 缺少 {keys}。请管理员按"
        " README“Sign-in”一节补全，然后刷新本页。",
        "en": "Sign-in is not set up completely: [auth] in .streamlit/secrets.toml lacks"
        " {keys}. The administrator completes it as the README's 'Sign-in' section says;"
        " then reload this page.",
    },
    "access.not_yours": {
        "zh": "这个页面只对以下角色开放：{roles}。如果工作需要，请联系管理员。",
        "en": "This page is for these roles: {roles}. Ask your admin if your work needs it.",
    },
    "access.signin.button": {"zh": "使用公司账号登录", "en": "Sign in with your company account"},
    "access.signout": {"zh": "退出登录", "en": "Sign out"},
    "access.signed_in": {"zh": "已登录：{email}", "en": "Signed in as {email}"},
    "access.none.title": {"zh": "没有访问权限", "en": "No access"},
    "access.none.text": {
        "zh": "账号 {email} 已登录，但目前没有任何门店或角色的授权（尚未开通，或已被收回）。"
        "请联系管理员为你开通权限。",
        "en": "You are signed in as {email}, but hold no store or role now (not granted yet,"
        " or revoked). Ask your admin to give you access.",
    },
    "access.region": {"zh": "区域 {region}", "en": "region {region}"},
    "url.outside_regions": {
        "zh": "链接里的这些门店不在链接所选的区域（{regions}）内：{stores}。区域和门店同时选时，只计区域内的门店，下面的数据不含它们。",
        "en": "The link names stores outside its regions ({regions}): {stores}. With regions"
        " and stores both picked, only the stores within the regions count; they are left"
        " out below.",
    },
    "access.unknown": {
        "zh": "链接里的这些门店或区域不在数据中：{places}。下面的数据不含它们。",
        "en": "The link names stores or regions the data does not hold: {places}. They are"
        " left out below.",
    },
    "access.outside": {
        "zh": "你没有查看这些门店或区域的权限：{stores}。下面只显示你有权查看的数据。",
        "en": "You have no access to: {stores}. Only data you may see is shown below.",
    },
    "access.denied.role": {
        "zh": "你的角色不能执行此操作（权限可能刚被更改），未做任何更改。如需权限，请联系管理员。",
        "en": "Your role cannot do this (your access may have just changed); nothing was"
        " changed. Ask your admin if you need it.",
    },
    "access.denied.store": {
        "zh": "你没有门店 {store} 的权限，未做任何更改。",
        "en": "You have no access to store {store}; nothing was changed.",
    },
    "access.denied.unknown_write": {
        "zh": "这个操作没有登记为允许的写入，未做任何更改。",
        "en": "This change is not a registered write; nothing was changed.",
    },
    "access.title": {"zh": "权限管理", "en": "Access"},
    "access.caption": {
        "zh": "谁能看到哪些门店、能做什么。角色：管理员（全部，管理权限）、分析师（全部门店，上传与撤销）、"
        "区域（所辖区域的门店）、门店（本店：看板、回访、目标）、培训师（改进计划与方案，只读数据）。",
        "en": "Who sees which stores and may do what. Roles: admin (everything, manages"
        " access), analyst (all stores, uploads and undo), region (the stores of their"
        " regions), store (their stores: board, callbacks, targets), trainer (the planner"
        " and its scenarios, read-only data).",
    },
    "access.grants": {"zh": "当前授权", "en": "Grants"},
    "access.pick": {"zh": "请选择", "en": "Choose"},
    "access.open_note": {
        "zh": "当前是开放模式：授权会保存，但要在配置登录（secrets.toml 中的 [auth]）之后才生效。",
        "en": "Open mode: grants are saved, and take effect once sign-in is configured"
        " ([auth] in secrets.toml).",
    },
    "access.none_yet": {"zh": "还没有任何授权。", "en": "No grants yet."},
    "access.email": {"zh": "邮箱", "en": "Email"},
    "access.role": {"zh": "角色", "en": "Role"},
    "access.stores": {"zh": "门店（门店角色）", "en": "Stores (store role)"},
    "access.regions": {"zh": "区域（区域角色）", "en": "Regions (region role)"},
    "access.grant": {"zh": "授权", "en": "Grant"},
    "access.revoke": {"zh": "收回该角色", "en": "Revoke this role"},
    "access.granted": {
        "zh": "已授予 {email} {role}角色{places}。",
        "en": "Granted the {role} role to {email}{places}.",
    },
    "access.already": {
        "zh": "{email} 已有{role}角色{places}，未作更改。",
        "en": "{email} holds the {role} role{places} already; nothing changed.",
    },
    "access.places": {"zh": "（{places}）", "en": " ({places})"},
    "access.revoked": {
        "zh": "已收回 {email} 的 {n} 条授权。",
        "en": "Grants of {email} revoked: {n}.",
    },
    "access.invalid": {"zh": "未授权：{reason}", "en": "Not granted: {reason}"},
    "access.no_stores": {
        "zh": "你的权限（区域：{regions}）目前不含任何门店，所以各页都没有答卷。请联系管理员。",
        "en": "Your access (regions: {regions}) holds no store yet, so no page has answers."
        " Ask your admin.",
    },
    "access.not_revoked": {"zh": "未收回：{reason}", "en": "Not revoked: {reason}"},
    "access.refused.no_email": {"zh": "请填写邮箱地址。", "en": "Enter an email address."},
    # one store of a person who holds several: the others stay
    "access.revoke_places": {
        "zh": "收回该角色的这些门店或区域（其余保留）",
        "en": "Take away these of the role's stores or regions (the others stay)",
    },
    "access.revoke_pick_places": {
        "zh": "请至少选择一个要收回的门店或区域。",
        "en": "pick at least one store or region to take away.",
    },
    "access.revoke_confirm_some": {
        "zh": "收回 {email} 的{role}角色中的 {what}？保留：{kept}。",
        "en": "Take {what} from the {role} role of {email}? It keeps {kept}.",
    },
    "access.revoke_confirm": {
        "zh": "收回 {email} 的{role}角色（{what}）？",
        "en": "Revoke the {role} role of {email} ({what})?",
    },
    "access.revoke_all_stores": {"zh": "全部门店", "en": "every store"},
    "access.revoke_gone": {
        "zh": "请先选择邮箱和角色（所选的授权若刚被另一位管理员或命令行更改，需要重新选择）。",
        "en": "pick an email and a role first (a grant changed meanwhile by another admin or"
        " the command line is to be picked again).",
    },
    "access.refused.changed": {
        "zh": "{email} 的这项授权刚被更改（另一位管理员或命令行）：没有收回任何授权，请重新选择。",
        "en": "this grant of {email} changed meanwhile (another admin or the command line):"
        " nothing was revoked; pick it again.",
    },
    "access.grants_unknown": {
        "zh": "这些授权的门店或区域不在数据中（拼写有误，或其答卷尚未上传），在它们之下看不到任何答卷：{grants}。",
        "en": "These grants name a store or region the data does not hold (a typo, or its"
        " answers not uploaded yet), and show their holders nothing: {grants}.",
    },
    "access.revoke_yes": {"zh": "确认收回", "en": "Yes, revoke"},
    "access.revoke_cancel": {"zh": "取消", "en": "Cancel"},
    "access.refused.email": {
        "zh": "“{email}”不是邮箱地址。",
        "en": "“{email}” is not an email address.",
    },
    "access.refused.stores": {
        "zh": "门店角色至少要选一家门店。",
        "en": "a store role needs at least one store.",
    },
    "access.refused.regions": {
        "zh": "区域角色至少要选一个区域。",
        "en": "a region role needs at least one region.",
    },
    "access.refused.network": {
        "zh": "{role}角色覆盖全部门店，请清空所选门店和区域。",
        "en": "the {role} role covers every store; clear the stores and regions picked.",
    },
    "access.refused.store_regions": {
        "zh": "门店角色只取门店，请清空所选区域。",
        "en": "a store role takes stores only; clear the regions picked.",
    },
    "access.refused.region_stores": {
        "zh": "区域角色只取区域，请清空所选门店。",
        "en": "a region role takes regions only; clear the stores picked.",
    },
    "access.refused.none_held": {
        "zh": "{email} 没有{role}授权。",
        "en": "{email} holds no {role} grant.",
    },
    "access.refused.places_not_held": {
        "zh": "{email} 的{role}角色不含：{places}。",
        "en": "{email}'s {role} role does not hold {places}.",
    },
    "access.refused.last_admin": {
        "zh": "{email} 是最后一位管理员：请先给另一个人授予管理员角色。",
        "en": "{email} is the last admin: grant another person the admin role first.",
    },
    "access.no_role": {"zh": "请选择一个角色", "en": "choose a role"},
    "access.role.admin": {"zh": "管理员", "en": "Admin"},
    "access.role.analyst": {"zh": "分析师", "en": "Analyst"},
    "access.role.region": {"zh": "区域", "en": "Region"},
    "access.role.store": {"zh": "门店", "en": "Store"},
    # a role written into the table by hand that this version does not know
    "access.role.unknown_in_sentence": {"zh": "未知的“{role}”", "en": "unknown '{role}'"},
    "access.role.unknown": {
        "zh": "未知角色“{role}”（不授予任何权限）",
        "en": "unknown role '{role}' (gives no access)",
    },
    "access.role.trainer": {"zh": "培训师", "en": "Trainer"},
    "access.col.email": {"zh": "邮箱", "en": "Email"},
    "access.col.role": {"zh": "角色", "en": "Role"},
    "access.col.store_id": {"zh": "门店", "en": "Store"},
    "access.col.region": {"zh": "区域", "en": "Region"},
    "access.col.granted_at": {"zh": "授权时间", "en": "Granted at"},
    "access.col.granted_by": {"zh": "授权人", "en": "Granted by"},
    "audit.title": {"zh": "操作日志", "en": "Audit log"},
    "audit.caption": {
        "zh": "每一次写入（上传、撤销、回访、目标、方案、权限、查看联系方式）由谁在何时完成。",
        "en": "Every write (upload, undo, callback, target, scenario, access, contact"
        " reveal): who and when.",
    },
    "audit.none": {"zh": "还没有操作记录。", "en": "No changes recorded yet."},
    "audit.action.upload": {"zh": "上传", "en": "upload"},
    "audit.action.callback": {"zh": "回访", "en": "callback"},
    "audit.action.target": {"zh": "NPS 目标", "en": "NPS target"},
    "audit.action.metric_target": {"zh": "指标目标", "en": "metric target"},
    "audit.action.metric_target_reset": {"zh": "指标目标恢复默认", "en": "metric target reset"},
    "audit.action.scenario": {"zh": "保存方案", "en": "scenario saved"},
    "audit.action.scenario_delete": {"zh": "删除方案", "en": "scenario deleted"},
    "audit.action.undo": {"zh": "撤销上传", "en": "upload undone"},
    "audit.action.mapping": {"zh": "保存列对应", "en": "column mapping saved"},
    "audit.action.remove_demo": {"zh": "删除演示数据", "en": "demo data removed"},
    "audit.action.reveal": {"zh": "查看联系方式", "en": "contact details revealed"},
    "audit.action.access_grant": {"zh": "授权", "en": "access granted"},
    "audit.action.access_revoke": {"zh": "收回授权", "en": "access revoked"},
    "audit.detail.upload": {
        "zh": "新增 {added}，替换 {replaced}，拒绝 {rejected}",
        "en": "{added} added, {replaced} replaced, {rejected} rejected",
    },
    "audit.detail.upload_read": {
        "zh": "读取 {read}：新增 {added}，替换 {replaced}，未变 {unchanged}，拒绝 {rejected}",
        "en": "{read} read: {added} added, {replaced} replaced, {unchanged} unchanged,"
        " {rejected} rejected",
    },
    "audit.detail.undo": {
        "zh": "移除它新增的 {added} 行，恢复它替换的 {restored} 行",
        "en": "{added} added row{added:s} removed, {restored} replaced row{restored:s} restored",
    },
    "audit.detail.undo_callbacks": {
        "zh": "；移走的答卷上此后做的 {callbacks} 条回访随其删除",
        "en": "; {callbacks} callback{callbacks:s} made since on the answers it had moved"
        " went with them",
    },
    "audit.detail.mapping": {"zh": "对应 {n} 列", "en": "{n} column{n:s} mapped"},
    "audit.detail.callback": {"zh": "根本原因：{cause}", "en": "Root cause: {cause}"},
    "audit.detail.callback_undo": {"zh": "撤销了“{status}”", "en": "undid '{status}'"},
    "audit.detail.callback_undo_kept": {
        "zh": "撤销未执行：之后已有人更改",
        "en": "undo not done: changed since by someone else",
    },
    "audit.detail.callback_note": {
        "zh": "根本原因：{cause}；备注：{note}",
        "en": "Root cause: {cause}; note: {note}",
    },
    "audit.download": {"zh": "下载操作日志（CSV）", "en": "Download the audit log (CSV)"},
    "audit.col.logged_at": {"zh": "时间", "en": "When"},
    "audit.col.who": {"zh": "操作人", "en": "Who"},
    "audit.col.action": {"zh": "操作", "en": "Action"},
    "audit.col.target": {"zh": "对象", "en": "Target"},
    "audit.col.detail": {"zh": "详情", "en": "Detail"},
    "reveal.button": {
        "zh": "查看此客户的联系方式（将记录日志）",
        "en": "Show this customer's contact details (logged)",
    },
    "reveal.customer_name": {"zh": "姓名", "en": "Name"},
    "reveal.phone": {"zh": "电话", "en": "Phone"},
    "reveal.plate": {"zh": "车牌", "en": "Plate"},
}
