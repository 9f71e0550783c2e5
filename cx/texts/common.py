"""Texts of the app frame, the sidebar filters and shared formatting."""

TEXTS = {
    "url.bad_choice": {
        "zh": "链接中的 {param}={value} 无法识别（可用：{options}），页面使用当前选择。",
        "en": "The link's {param}={value} is not one this page knows ({options}); the current"
        " choice stays.",
    },
    # The multiselects' bulk options, which Streamlit writes in English only: redrawn on
    # a Chinese page by cx.ui.streamlit_words ("Select 3 matches" loses its count there)
    "st.select_all": {"zh": "全选", "en": "Select all"},
    # Streamlit writes "Press Ctrl+Enter to apply" (⌘ on a Mac) and "Press Enter to apply"
    "st.apply_area": {"zh": "按 Ctrl（Mac 为 ⌘）+ 回车键确认", "en": "Press Ctrl+Enter to apply"},
    "st.apply_input": {"zh": "按回车键确认", "en": "Press Enter to apply"},
    "st.select_matches": {"zh": "全选匹配项", "en": "Select the matches"},
    "chart.swipe": {
        "zh": "这张图比屏幕宽：在图上左右滑动可看到全部。",
        "en": "This chart is wider than the screen: swipe it sideways to see all of it.",
    },
    "app.section.daily": {"zh": "每日", "en": "Daily"},
    "app.section.analysis": {"zh": "分析", "en": "Analysis"},
    "app.section.plan": {"zh": "改进", "en": "Improve"},
    "app.section.data": {"zh": "数据", "en": "Data"},
    "app.building_demo": {
        "zh": "首次启动：正在生成演示数据（约 10 秒）…",
        "en": "First start: building the demo data (about 10 s)…",
    },
    "app.building_demo_stage": {
        "zh": "首次启动：正在生成演示数据（约 5–10 秒）· {stage}",
        "en": "First start: building the demo data (about 5–10 s) · {stage}",
    },
    "app.demo_note.upload": {
        "zh": "演示数据：这里的数字包含生成的示例答卷，不是真实客户的。"
        "可在「{page}」页的「{section}」中移除。",
        "en": "Demo data: these figures include generated sample answers, not real"
        " customers'. Remove them under “{section}” on the {page} page.",
    },
    "app.demo_note.ask": {
        "zh": "演示数据：这里的数字包含生成的示例答卷，不是真实客户的。管理员或分析员可以移除它们。",
        "en": "Demo data: these figures include generated sample answers, not real"
        " customers'. An admin or analyst can remove them.",
    },
    "app.demo_stage.generate": {"zh": "生成答卷", "en": "generating answers"},
    "app.demo_stage.load": {"zh": "写入数据库", "en": "writing the database"},
    "app.demo_stage.save": {"zh": "保存", "en": "saving"},
    "app.busy": {
        "zh": "数据库正忙（可能有上传正在写入），正在等待…",
        "en": "The database is busy (an upload is being written); waiting…",
    },
    "app.busy_failed": {
        "zh": "数据库一直被占用，请稍后刷新页面。{detail}",
        "en": "The database stayed busy; refresh the page in a minute. {detail}",
    },
    "filter.header": {"zh": "筛选", "en": "Filters"},
    "filter.region": {"zh": "区域", "en": "Region"},
    "filter.stores": {"zh": "门店", "en": "Store(s)"},
    "filter.dates": {"zh": "日期范围", "en": "Date range"},
    "filter.all": {"zh": "全部", "en": "All"},
    "filter.all_stores": {"zh": "全部门店", "en": "All stores"},
    "filter.all_my_stores": {"zh": "我的全部门店", "en": "All my stores"},
    "filter.url_dates_bad": {
        "zh": "链接中的日期 {start} 至 {end} 无法使用：不是 2025-10-01 这样的日期，或不在数据的"
        "日期范围（{first} 至 {last}）内。日期筛选未按链接更改。",
        "en": "The link's dates, {start} to {end}, cannot be used: they are not dates like"
        " 2025-10-01, or lie outside the data's days ({first} to {last}). The date filter"
        " was left as it was.",
    },
    "filter.no_data": {
        "zh": "数据库里还没有答卷。请到“上传”页导入问卷导出文件。",
        "en": "The database holds no answers yet. Load a survey export on the Upload page.",
    },
    "filter.nothing_to_filter": {
        "zh": "还没有可筛选的门店和日期。",
        "en": "No stores or dates to filter yet.",
    },
    "filter.none_chosen": {
        "zh": "侧栏所选的门店和日期里没有答卷。请放宽日期，或换选门店、区域。",
        "en": "The stores and dates chosen in the sidebar hold no answers. Widen the dates or"
        " pick other stores or regions.",
    },
    "filter.no_data_scoped": {
        "zh": "你可查看的门店还没有答卷。",
        "en": "The stores you may see have no answers yet.",
    },
    # a Chinese month without the zero a date pads it with ('2025年1月', not '2025年01月')
    "fmt.month": {"zh": "{month.year}年{month.month}月", "en": "{month:%Y-%m}"},
    "fmt.n": {"zh": "样本 {n}", "en": "n = {n}"},
    # a 95 % interval, as the board's ranking writes it
    "fmt.interval": {"zh": "{low} ~ {high}", "en": "{low} to {high}"},
    "fmt.no_data": {"zh": "无数据", "en": "no data"},
    "fmt.minutes": {"zh": "{x} 分钟", "en": "{x} min"},
    # separators: between clauses of one line, and between the items of a list
    "fmt.sep_clause": {"zh": "；", "en": "; "},
    # a true/false cell in a table's download (a checkbox on the page)
    "fmt.yes": {"zh": "是", "en": "yes"},
    "fmt.no": {"zh": "否", "en": "no"},
    "fmt.sep_list": {"zh": "、", "en": ", "},
    "fmt.and_more_stores": {
        "zh": "{names}及另外 {n} 家门店",
        "en": "{names} and {n} more store{n:s}",
    },
    "fmt.and_more_columns": {
        "zh": "{names}及另外 {n} 列",
        "en": "{names} and {n} more column{n:s}",
    },
    "fmt.and_more_uploads": {
        "zh": "{names}及另外 {n} 次上传",
        "en": "{names} and {n} more upload{n:s}",
    },
    # under a table: its rows as a CSV file (cx.ui.dataframe)
    "table.download": {"zh": "下载此表（CSV）", "en": "Download this table (CSV)"},
    # cx.db: why the database file cannot be used (one sentence; nothing was changed)
    "db.read_only": {
        "zh": "数据库 {name} 在这里是只读的：可以查看所有内容，但不能修改；"
        "请联系管理员让该文件及其文件夹可写。",
        "en": "The database {name} is read-only here: you can look at everything, but nothing"
        " can be changed; ask the administrator to make the file and its folder writable.",
    },
    "db.disk_full": {
        "zh": "磁盘已满，没有任何改动；请清理空间或联系管理员后重试。",
        "en": "The disk is full, so nothing was changed; free some space or ask the"
        " administrator, then try again.",
    },
    "db.unreadable": {
        "zh": "无法读取数据库 {name}（{reason}）；请检查文件权限。",
        "en": "The database {name} cannot be read ({reason}); check its permissions.",
    },
    "db.sqlite": {
        "zh": "{name} 是 SQLite 文件，不是本应用的 DuckDB 数据库；没有写入任何内容。"
        "请把 CX_DB（或 --db）指向另一个文件。",
        "en": "{name} is a SQLite file, not this app's DuckDB database; nothing was"
        " written to it. Point CX_DB (or --db) at another file.",
    },
    "db.damaged": {
        "zh": "数据库 {name} 已损坏或不完整（或根本不是数据库）；没有写入任何内容。"
        "请恢复备份，或将其移走后重新开始。",
        "en": "The database {name} is damaged or truncated (or not a database at all);"
        " nothing was written to it. Restore a backup, or move it away to start afresh.",
    },
    "db.cannot_create": {
        "zh": "数据库 {name} 不存在，而其文件夹是只读的，无法创建；"
        "请用 CX_DB（或 --db）指定一个可写的位置。",
        "en": "The database {name} does not exist and its folder is read-only,"
        " so it cannot be created; choose a writable place with CX_DB (or --db).",
    },
    "db.other_settings": {
        "zh": "本进程已用其他设置（只读或可写、内存上限）打开数据库 {name}，文件本身没有问题；"
        "请关闭那个连接，或重新启动应用。",
        "en": "This process already has the database {name} open with other settings"
        " (read-only or not, its memory limit); the file itself is fine. Close that"
        " connection, or restart the app.",
    },
    "db.busy": {
        "zh": "数据库 {name} 正忙（另一个程序正在写入），已等待 {waited:.0f} 秒。请一分钟后再试。",
        "en": "The database {name} is busy (another program is writing to it);"
        " waited {waited:.0f} s. Try again in a minute.",
    },
    "db.foreign": {
        "zh": "{name} 是其他程序的 DuckDB 数据库（表 {tables}）；没有写入任何内容。"
        "请把 CX_DB（或 --db）指向另一个文件。",
        "en": "{name} is a DuckDB database of another program (tables {tables}); nothing was"
        " written to it. Point CX_DB (or --db) at another file.",
    },
    "db.newer": {
        "zh": "{name} 由更新版本的本应用写入（结构版本 {version}，本版本只认识 {known}）；"
        "没有写入任何内容。请更新应用。",
        "en": "{name} was written by a newer version of this app (schema {version}; this one"
        " knows {known}); nothing was written to it. Update the app.",
    },
    "db.read_only_upgrade": {
        "zh": "数据库 {name} 是只读的，且需要一次本应用无法写入的升级"
        "（结构版本 {version} -> {known}）；请让它可写后重新启动应用。",
        "en": "The database {name} is read-only and needs an update this app cannot"
        " write (schema {version} -> {known}); make it writable once and"
        " start the app again.",
    },
    "db.read_only_rollup": {
        "zh": "数据库 {name} 是只读的，缺少本应用要读取的汇总列（{columns}）；"
        "请让它可写后重新启动应用。",
        "en": "The database {name} is read-only and lacks rollup columns this app"
        " reads ({columns}); make it writable once and start the app again.",
    },
    "db.write_turn": {
        "zh": "另一位用户的修改仍在写入；请一分钟后再试。",
        "en": "Another visitor's change is still being written; try again in a minute.",
    },
}
