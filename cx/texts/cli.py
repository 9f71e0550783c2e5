"""Texts of the command line (``python -m cx``): its lines in the language of
``CX_LANG`` (else ``LC_ALL``, else ``LANG``). Its numbers stay plain (no thousands
separators) for the scripts that read them."""

TEXTS = {
    "cli.busy_wait": {
        "zh": "数据库正忙（另一个程序正在写入），等待中…",
        "en": "database busy (another program is writing); waiting…",
    },
    "cli.demo_exists": {
        "zh": "{path} 已存在（{n} 条答卷、{uploads} 次上传、{grants} 条权限）；demo 会用演示数据"
        "替换它，这些都会丢失。确定要替换，请加 --force。",
        "en": "{path} already exists ({n} answer{n:s}, {uploads} upload{uploads:s},"
        " {grants} access grant{grants:s});"
        " demo would replace it with the demo data and lose them. Add --force to replace it.",
    },
    "cli.demo_done": {
        "zh": "演示数据库 {path}：{n} 条答卷",
        "en": "demo database {path}: {n} answers",
    },
    "cli.ingest.upload": {"zh": "上传 #{id}：", "en": "upload #{id}: "},
    # its counts are what a commit would do: said once, before them
    "cli.ingest.dry_run": {
        "zh": "试运行（未写入，以下为提交后的结果）：",
        "en": "dry run (nothing written; a commit would give): ",
    },
    "cli.ingest.nothing": {
        "zh": "无需写入（每一行都已在库中且内容相同）：",
        "en": "nothing to write (every row is already there as it is): ",
    },
    "cli.ingest.saved_mapping": {
        "zh": "注意：按上次保存的列对应读取（同样表头的导出）。",
        "en": "Note: read with the column mapping saved for exports with these headers.",
    },
    "cli.ingest.unmatched": {
        "zh": "注意：{n} 列未读取（不对应任何字段）：{headers}；若应读取，请按模板命名或在上传页面手动对应。",
        "en": "Note: {n} column{n:s} not read (no field of the data): {headers}; if one should"
        " be, name it as the template does or map it on the Upload page.",
    },
    "cli.ingest.ambiguous": {
        "zh": "注意：{headers} 都可能是 {col}，一列也没有读；请在上传页面手动对应。",
        "en": "Note: {headers} could each be {col}; none was read as it. Map it on the Upload"
        " page.",
    },
    "cli.ingest.doubled": {
        "zh": "注意：{headers} 都是 {col}，读的是最左边的“{first}”；若应读另一列，请在上传页面手动对应。",
        "en": "Note: {headers} all name {col}; the leftmost, {first}, was read. If it should"
        " be another, map it on the Upload page.",
    },
    # --help, in the command line's language
    "cli.help.tools": {"zh": "cx-dashboard 数据工具", "en": "cx-dashboard data tools"},
    # an argument refused as typed ({text}: as typed, quoted)
    "cli.arg.upload": {"zh": "{text} 不是上传编号", "en": "not an upload number: {text}"},
    "cli.arg.whole": {
        "zh": "{text} 不是 {least} 或更大的整数",
        "en": "{text} is not a whole number of {least} or more",
    },
    "cli.arg.port": {
        "zh": "{text} 不是端口号（1 到 65535）",
        "en": "{text} is not a port (1 to 65535)",
    },
    "cli.arg.demo_rows": {
        "zh": "{text}：演示数据至少需要 {least} 行",
        "en": "{text}: the demo needs {least} rows or more",
    },
    "cli.help.bench": {
        "zh": "测量每个页面的数据、导入和内存（--help）",
        "en": "measure every page's data, ingest and memory (--help)",
    },
    "cli.help.serve": {
        "zh": "在本机用 nginx 带多个应用进程（--help）",
        "en": "several app processes behind nginx on loopback (--help)",
    },
    "cli.help.demo": {
        "zh": "生成演示数据库（已有文件：加 --force）",
        "en": "build the demo database (an existing file: --force)",
    },
    "cli.help.db": {
        "zh": "数据库文件（默认：$CX_DB 或 data/cx.duckdb）",
        "en": "database file (default: $CX_DB or data/cx.duckdb)",
    },
    "cli.help.force": {
        "zh": "替换已有的数据库、上传和授权",
        "en": "replace an existing database, uploads and grants",
    },
    "cli.help.scale": {
        "zh": "其他门店按全量的比例生成（1 约 30 万份答卷）；示例门店 HZ01 保留全部答卷，0.1 约 3.9 万份",
        "en": "the other stores' share of their full volume (~300k answers at 1); the story"
        " store HZ01 keeps all of its answers, so 0.1 gives about 39k",
    },
    "cli.help.rows": {
        "zh": "大约这么多份答卷，至少 {least}（超过约 30 万：门店更多）",
        "en": "about this many answers, {least} or more (more than ~300k: more stores)",
    },
    "cli.help.ingest": {"zh": "导入 CSV/XLSX 问卷导出文件", "en": "load CSV/XLSX survey exports"},
    "cli.help.dry_run": {"zh": "只检查并计数，不写入", "en": "check and count, write nothing"},
    "cli.help.show": {"zh": "显示多少条被拒行", "en": "how many rejects to print"},
    "cli.help.undo": {
        "zh": "撤销一次上传（编号见 uploads）",
        "en": "undo one upload (its number: `uploads` lists them)",
    },
    "cli.help.upload_id": {"zh": "上传编号：2 或 #2", "en": "the upload's number: 2 or #2"},
    "cli.help.uploads": {
        "zh": "最近的上传，最新的在前（撤销用它们的编号）",
        "en": "the latest uploads, newest first (their numbers for undo)",
    },
    "cli.help.limit": {"zh": "列出多少条（至少 1）", "en": "how many (1 or more)"},
    "cli.help.access": {
        "zh": "谁能看什么、做什么（grant、revoke、list）",
        "en": "who may see and do what (grant, revoke, list)",
    },
    "cli.help.grant": {"zh": "给 EMAIL 一个角色", "en": "give EMAIL a role"},
    "cli.help.store": {"zh": "门店角色的门店", "en": "a store of a store role"},
    "cli.help.region": {"zh": "区域角色的区域", "en": "a region of a region role"},
    "cli.help.revoke": {
        "zh": "收回 EMAIL 的一个角色（或全部授权），或该角色的部分门店或区域",
        "en": "take a role (or every grant) from EMAIL, or some of the role's stores or regions",
    },
    "cli.help.revoke_store": {
        "zh": "只收回门店角色的这个门店（其余门店保留）",
        "en": "take only this store of the store role (the others stay)",
    },
    "cli.help.revoke_region": {
        "zh": "只收回区域角色的这个区域（其余区域保留）",
        "en": "take only this region of the region role (the others stay)",
    },
    "cli.help.list": {"zh": "列出全部授权", "en": "every grant"},
    "cli.help.digest": {
        "zh": "晨报：超出波动的下滑、待复核的分数异常、超时未回访",
        "en": "the morning digest: drops beyond noise, score patterns to review, overdue callbacks",
    },
    "cli.help.date": {
        "zh": "计入答卷的最后一天（YYYY-MM-DD）",
        "en": "last day whose answers count (YYYY-MM-DD)",
    },
    "cli.help.one_store": {"zh": "一家门店的编号", "en": "one store id"},
    "cli.help.one_region": {"zh": "一个区域", "en": "one region"},
    "cli.help.lang": {
        "zh": "默认：CX_LANG / LC_ALL / LANG 以 zh 开头时为中文",
        "en": "default: zh when CX_LANG / LC_ALL / LANG start with zh",
    },
    "cli.ingest.note": {"zh": "注意：{text}", "en": "Note: {text}"},
    "cli.ingest.moved": {
        "zh": "注意：{n} 行替换了其他门店（{stores}）的同编号答卷；若答卷编号列是问卷工具的序号，请撤销本次上传。",
        "en": "Note: {n} row{n:s} replaced answers of another store ({stores}) with the same id;"
        " if the id column is a survey tool's row number, undo this upload.",
    },
    "cli.ingest.reverted": {
        "zh": "注意：{n} 行把答卷改回了上传 {uploads} 更正之前的样子；若这是一份较早的导出，请撤销本次上传。",
        "en": "Note: {n} row{n:s} put answers back as they were before upload {uploads}"
        " corrected them; if this is an older export, undo this upload.",
    },
    "cli.ingest.would_revert": {
        "zh": "注意：{n} 行将把答卷改回上传 {uploads} 更正之前的样子；这是不是一份较早的导出？",
        "en": "Note: {n} row{n:s} would put answers back as they were before upload {uploads}"
        " corrected them; is this an older export?",
    },
    "cli.ingest.would_move": {
        "zh": "注意：{n} 行将替换其他门店（{stores}）的同编号答卷；答卷编号列是否为问卷工具的序号？",
        "en": "Note: {n} row{n:s} would replace answers of another store ({stores}) with the"
        " same id; is the id column a survey tool's row number?",
    },
    "cli.ingest.counts": {
        "zh": "{file}：读取 {read}，新增 {added}，替换 {replaced}，未变 {unchanged}，"
        "拒绝 {rejected}，忽略 {ignored}，重复编号合并 {collapsed}",
        "en": "{file}: read {read}, added {added}, replaced {replaced}, unchanged {unchanged},"
        " rejected {rejected}, ignored {ignored}, repeated ids collapsed {collapsed}",
    },
    "cli.ingest.duplicate": {
        "zh": "{file}：与上传 #{id} 完全相同；没有任何改动",
        "en": "{file}: identical to upload #{id}; nothing changed",
    },
    "cli.ingest.reject": {"zh": "  第 {line} 行：{reason}", "en": "  line {line}: {reason}"},
    "cli.ingest.more_rejects": {
        "zh": "  另有 {n} 行被拒绝（--show N 显示更多；上传页面可下载全部）",
        "en": "  and {n} more rejected (--show N prints more; the Upload page downloads all)",
    },
    "cli.digest_no_answers": {
        "zh": "注意：{date} 没有答卷（有答卷的最近一天：{latest}）",
        "en": "Note: no answers on {date} (the latest day with answers: {latest})",
    },
    "cli.digest_no_answers_day": {
        "zh": "注意：{date} 没有答卷（数据已到 {latest}）",
        "en": "Note: no answers on {date} (the data runs to {latest})",
    },
    "cli.digest_silent": {
        "zh": "注意：{date} 没有答卷、平时每天都有的门店（{k} 家）：{stores}",
        "en": "Note: stores without answers on {date} that usually have them ({k}): {stores}",
    },
    "cli.undone.callbacks": {
        "zh": "；它移到其他门店的答卷此后做的 {n} 条回访随其删除，原门店的回访已恢复",
        "en": "; {n} callback{n:s} made since on the answers it had moved to another store"
        " went with them, the original store's callbacks are back",
    },
    "cli.undone": {
        "zh": "上传 #{id} 已撤销：移除它新增的 {added} 行，恢复它替换的 {restored} 行",
        "en": "upload #{id} undone: {added} added row{added:s} removed,"
        " {restored} replaced row{restored:s} restored",
    },
    "cli.uploads.committed": {"zh": "生效中", "en": "in effect"},
    "cli.uploads.undone": {"zh": "已撤销", "en": "undone"},
    "cli.uploads.counts": {
        # as ingest prints them: a 65-row file read '新增 3、替换 3、拒收 0', 59 rows unsaid
        "zh": "读取 {read}、新增 {added}、替换 {replaced}、未变 {unchanged}、拒绝 {rejected}",
        "en": "read {read}, added {added}, replaced {replaced}, unchanged {unchanged},"
        " rejected {rejected}",
    },
    "cli.uploads.none": {"zh": "还没有上传", "en": "no uploads yet"},
    "cli.granted": {"zh": "已授予 {email} {role} 角色", "en": "granted {role} to {email}"},
    "cli.grant_held": {
        "zh": "{email} 已有 {role} 角色，未作更改",
        "en": "{email} holds {role} already; nothing changed",
    },
    "cli.grant_unknown_store": {
        "zh": "注意：数据库里还没有门店 {name}（拼写有误，或其答卷尚未上传）；权限已记下，"
        "有了它的答卷才会生效。",
        "en": "note: the database has no store {name} yet (a typo, or its answers are not"
        " uploaded); the grant is kept and takes effect once they are.",
    },
    "cli.grant_unknown_region": {
        "zh": "注意：数据库里还没有区域 {name} 的门店（拼写有误，或其答卷尚未上传）；权限已记下，"
        "有了它的门店才会生效。",
        "en": "note: the database has no store in region {name} yet (a typo, or its answers"
        " are not uploaded); the grant is kept and takes effect once it has.",
    },
    "cli.revoked": {
        "zh": "已收回 {email} 的授权：{n} 条",
        "en": "grants of {email} revoked: {n}",
    },
    "cli.no_grants": {
        "zh": "没有任何授权（配置了 [auth] 后，还没有人能使用本应用）",
        "en": "no grants (with [auth] configured, nobody can use the app yet)",
    },
    "cli.not_a_date": {
        "zh": "--date {value} 不是日期（YYYY-MM-DD）",
        "en": "--date {value} is not a date (YYYY-MM-DD)",
    },
    "cli.no_database": {"zh": "{path} 没有数据库", "en": "no database at {path}"},
    "cli.new_database": {
        "zh": "{path} 还没有数据库：新建一个空的（应用首次启动时不会在其中生成演示数据）",
        "en": "no database at {path} yet: an empty one is made (the app builds no demo in it"
        " on its first start)",
    },
    "cli.no_demo": {"zh": "数据库里没有演示数据", "en": "the database holds no demo data"},
    "cli.demo_removed": {
        "zh": "演示数据已移除：{n} 条答卷、{stores} 家门店，连同它们的回访和目标",
        "en": "demo data removed: {n} answers and {stores} stores, with their callbacks and"
        " targets",
    },
}
