"""Texts of the app frame, the sidebar filters and shared formatting."""

TEXTS = {
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
    "filter.no_data": {
        "zh": "数据库里还没有答卷。请到“上传”页导入问卷导出文件。",
        "en": "The database holds no answers yet. Load a survey export on the Upload page.",
    },
    "fmt.month": {"zh": "{month:%Y年%m月}", "en": "{month:%Y-%m}"},
    "fmt.n": {"zh": "样本 {n}", "en": "n = {n}"},
    "fmt.no_data": {"zh": "无数据", "en": "no data"},
    # separators: between clauses of one line, and between the items of a list
    "fmt.sep_clause": {"zh": "；", "en": "; "},
    "fmt.sep_list": {"zh": "、", "en": ", "},
}
