"""Texts of the CX overview page (metric names and formulas live in cx.metrics)."""

TEXTS = {
    "ov.title": {
        "zh": "体验总览：结果、感知与运营",
        "en": "CX overview: outcome, perception, operations",
    },
    "ov.caption": {
        "zh": "{scope} · {month} · 与上月（{prev}）比较；箭头加粗表示变化超出正常波动（p < 0.05，样本 ≥ {min_n}）。",
        "en": "{scope} · {month} · compared with {prev}; a bold arrow means the change is "
        "beyond noise (p < 0.05, n ≥ {min_n} in both months).",
    },
    # the data's first month: no month before it to compare with (it read "compared with
    # 2024-09", a month without answers)
    "ov.caption_first": {
        "zh": "{scope} · {month} · 数据从这个月开始，没有上月可比较。",
        "en": "{scope} · {month} · the data start this month: there is no month before it"
        " to compare with.",
    },
    "ov.empty_scoped": {
        "zh": "你可查看的门店还没有答卷，暂无可衡量的内容。",
        "en": "The stores you may see have no answers yet, so there is nothing to measure.",
    },
    "ov.month": {"zh": "月份", "en": "Month"},
    "ov.stores_so_far": {
        "zh": "{month} 目前只有 {n} 家门店有答卷（{prev} 有 {m} 家）：本月的数字和与上月的比较只代表这些门店，其余门店的答卷可能还没上传。",
        "en": "{month} has answers from {n} store{n:s} so far ({prev}: {m}): its figures and"
        " the comparison with {prev} stand for the stores with answers only; the others'"
        " may not be uploaded yet.",
    },
    "ov.dates_apart": {
        "zh": "总览按整月计算：{month} 按 {start} 至 {end} 计，不按侧栏的日期（{first} 至"
        " {last}），侧栏日期只用来选默认月份。要看这段日期，请用客群分布、四象限或热力图。",
        "en": "The overview counts whole months: {month} counts {start} to {end}, not the"
        " sidebar's dates ({first} to {last}), which only pick the month it opens on. For"
        " those dates, see the segments, the quadrant or the heatmap.",
    },
    "ov.scope.all": {"zh": "全部门店", "en": "All stores"},
    "ov.scope.regions": {"zh": "区域：{regions}", "en": "Region: {regions}"},
    "ov.scope.stores": {"zh": "门店：{stores}", "en": "Stores: {stores}"},
    "ov.empty": {
        "zh": "数据库里还没有答卷，无法计算指标。",
        "en": "The database holds no answers yet, so there is nothing to measure.",
    },
    "ov.layer.outcome": {"zh": "结果层：NPS 及其构成", "en": "Outcome: NPS and its mix"},
    "ov.layer.perception": {
        "zh": "感知层：满意度、费力度、旅程与满意指数",
        "en": "Perception: satisfaction, effort, journey and satisfaction indices",
    },
    "ov.layer.operations": {
        "zh": "运营层：一次修复、等待与返修",
        "en": "Operations: first-time fix, waiting, repeat faults",
    },
    "ov.state.green": {"zh": "达标", "en": "On target"},
    # below the target within its tolerance: 'near target' beside the board's 'missed' for
    # the same closed month read as two verdicts
    "ov.state.amber": {"zh": "略低于目标", "en": "Just below target"},
    "ov.state.red": {"zh": "未达标", "en": "Off target"},
    "ov.state.no_data": {"zh": "无数据", "en": "No data"},
    "ov.state.no_target": {"zh": "未设目标", "en": "No target"},
    # "target ≥ 54.4" one piece on a card's narrow line (no-break spaces): it broke after
    # "target" or "≥"
    "ov.card.meta": {
        "zh": "样本 {n} · 目标\u00a0{target}",
        "en": "n = {n} · target\u00a0{target}",
    },
    "ov.card.low_n": {"zh": "（样本偏少）", "en": " (low sample)"},
    "ov.change.real": {
        "zh": "较上月 {diff}（超出正常波动）",
        "en": "{diff} vs last month (beyond noise)",
    },
    "ov.change.noise": {
        "zh": "较上月 {diff}（在正常波动内）",
        "en": "{diff} vs last month (within noise)",
    },
    "ov.change.none": {"zh": "上月无数据，无法比较", "en": "no data last month to compare"},
    "ov.month_outside": {
        "zh": "链接里的月份 {month} 没有数据（有数据的月份：{first} 至 {last}），未采用。",
        "en": "The link's month {month} has no data (months with data: {first} to {last}) and"
        " was not used.",
    },
    "ov.tp_no_prev": {"zh": "（上月无数据）", "en": "(no last month)"},
    "ov.change.none_now": {"zh": "本月无数据，无法比较", "en": "no data this month to compare"},
    "ov.dir.up": {"zh": "上升", "en": "up"},
    "ov.dir.down": {"zh": "下降", "en": "down"},
    "ov.dir.flat": {"zh": "持平", "en": "flat"},
    "ov.unit.points": {"zh": "{x} 分", "en": "{x} pts"},
    "ov.unit.pp": {"zh": "{x} 个百分点", "en": "{x} pp"},
    "ov.list_sep": {"zh": "，", "en": ", "},
    "ov.tp.title": {"zh": "七个触点得分（0-10）", "en": "The seven touchpoint scores (0-10)"},
    "ov.tp.caption": {
        "zh": "与上月相比；“持平”表示变化在正常波动内。",
        "en": "Against last month; 'flat' means any change is within noise.",
    },
    "ov.tp_label": {"zh": "触点“{tp}”", "en": "Touchpoint '{tp}'"},
    "ov.moved.title": {
        "zh": "本月变化最明显的（最多三项）",
        "en": "What moved most clearly (up to three)",
    },
    "ov.moved.none": {
        "zh": "本月没有超出正常波动的变化。",
        "en": "Nothing moved beyond noise this month.",
    },
    "ov.moved.none_first": {
        "zh": "数据从这个月开始，没有上月可比较。",
        "en": "The data start this month: there is no month before it to compare with.",
    },
    "ov.moved.better": {"zh": "改善", "en": "improved"},
    "ov.moved.worse": {"zh": "变差", "en": "worsened"},
    "ov.moved.latin_label": {"zh": "{label} ", "en": "{label}"},
    "ov.moved.sentence": {
        "zh": "{label}{verdict}：{dir} {size}，至 {value}（上月 {prev}）。",
        "en": "{label} {verdict}: {dir} {size} to {value} (last month {prev}).",
    },
    "ov.targets.title": {"zh": "指标目标", "en": "Metric targets"},
    "ov.targets.metric": {"zh": "指标", "en": "Metric"},
    "ov.targets.value": {"zh": "目标值（{unit}）", "en": "Target ({unit})"},
    "ov.targets.save": {"zh": "保存目标", "en": "Save target"},
    "ov.targets.reset": {"zh": "恢复默认", "en": "Back to default"},
    "ov.targets.scope_store": {
        "zh": "保存到门店 {store}（仅该门店）。",
        "en": "Saved for store {store} only.",
    },
    "ov.targets.scope_all": {
        "zh": "保存为全网默认目标（多门店或区域视图都使用它；单店目标优先）。",
        "en": "Saved as the network-wide default target (used by multi-store and region views; "
        "a store's own target wins).",
    },
    "ov.targets.direction_hib": {
        "zh": "越高越好：达到或超过目标为达标。",
        "en": "Higher is better: at or above the target is on target.",
    },
    "ov.targets.direction_lib": {
        "zh": "越低越好：不超过目标为达标。",
        "en": "Lower is better: at or below the target is on target.",
    },
    "ov.targets.saved": {
        "zh": "已保存：{metric} 目标 {target}",
        "en": "Saved: {metric} target {target}",
    },
    "ov.targets.was_reset": {"zh": "已恢复默认：{metric}", "en": "Back to default: {metric}"},
    "ov.targets.invalid": {"zh": "目标无效：{reason}", "en": "Target not saved: {reason}"},
    "ov.targets.nps_note": {
        "zh": "NPS 目标来自月度门店目标表，不在这里修改（在看板上设置）。",
        "en": "The NPS target comes from the monthly store targets (targets table), not from here.",
    },
    "ov.targets.empty_value": {"zh": "请输入目标值。", "en": "Enter a target value."},
    "ov.spark.month": {"zh": "月份", "en": "Month"},
}
