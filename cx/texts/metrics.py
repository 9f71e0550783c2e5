"""Texts of the metric registry (cx.metrics): each metric's label, formula and
description as ``metric.<key>.label`` / ``.formula`` / ``.description``, and the
words of the README's metric tables.

Placeholders are filled by ``cx.metrics`` from the thresholds the rollup binds
(``{promoters}``, ``{wait_long}``, ...), so the prose and the SQL cannot drift.
"""

TEXTS = {
    # ------------------------------------------------------------------ the overview's
    "metric.nps.label": {"zh": "NPS 净推荐值", "en": "NPS"},
    "metric.nps.formula": {
        "zh": "(推荐者 {promoters} 分 − 贬损者 {detractors} 分) ÷ 答卷数 × 100",
        "en": "(promoters {promoters} − detractors {detractors}) / answers × 100",
    },
    "metric.nps.description": {
        "zh": "客户向亲友推荐本店的意愿，-100 到 100。",
        "en": "How likely customers are to recommend the store, -100 to 100.",
    },
    "metric.promoters.label": {"zh": "推荐者占比", "en": "Promoter share"},
    "metric.promoters.formula": {
        "zh": "{promoters} 分答卷 ÷ 答卷数",
        "en": "answers {promoters} / answers",
    },
    "metric.promoters.description": {
        "zh": "打 {promoter_min} 或 {nps_top} 分的客户占比。",
        "en": "Share of customers scoring {promoter_min} or {nps_top}.",
    },
    "metric.detractors.label": {"zh": "贬损者占比", "en": "Detractor share"},
    "metric.detractors.formula": {
        "zh": "{detractors} 分答卷 ÷ 答卷数",
        "en": "answers {detractors} / answers",
    },
    "metric.detractors.description": {
        "zh": "打 0 到 {detractor_max} 分的客户占比，越低越好。",
        "en": "Share of customers scoring 0 to {detractor_max}; lower is better.",
    },
    "metric.csat.label": {"zh": "满意度 CSAT", "en": "CSAT"},
    "metric.csat.formula": {
        "zh": "CSAT {csat_top} 分答卷 ÷ 回答 CSAT 的答卷（前两项占比，不是平均分）",
        "en": "answers {csat_top} / answers to CSAT on 1-{csat_max} (top-2 box, not the mean)",
    },
    "metric.csat.description": {
        "zh": "满意（{csat_top2_min} 分）或非常满意（{csat_max} 分）的客户占比。",
        "en": "Share of customers satisfied ({csat_top2_min}) or very satisfied ({csat_max}).",
    },
    "metric.ces.label": {"zh": "客户费力度 CES", "en": "CES"},
    "metric.ces.formula": {
        "zh": "CES 1-{ces_max} 分的平均值（1 非常容易，{ces_max} 非常费力；越低越好）",
        "en": "mean of CES on 1-{ces_max} (1 very easy, {ces_max} very hard; lower is better)",
    },
    "metric.ces.description": {
        "zh": "办成这件事有多费力；分数下降是改善。",
        "en": "How much effort the visit took; a fall is an improvement.",
    },
    "metric.ces_easy.label": {
        "zh": "省力占比（CES 1-{ces_easy_max}）",
        "en": "Easy share (CES 1-{ces_easy_max})",
    },
    "metric.ces_easy.formula": {
        "zh": "CES 1-{ces_easy_max} 分答卷 ÷ 回答 CES 的答卷",
        "en": "answers 1-{ces_easy_max} / answers to CES",
    },
    "metric.ces_easy.description": {
        "zh": "觉得很容易（1 到 {ces_easy_max} 分）的客户占比。",
        "en": "Share of customers who found it easy (1 to {ces_easy_max}).",
    },
    "metric.cji.label": {"zh": "客户旅程指数 CJI", "en": "CJI"},
    "metric.cji.formula": {
        "zh": "七个触点平均分（0-10）的加权平均（按热力图的默认触点权重，缺项的权重按比例分给其余触点）",
        "en": "weighted mean of the seven touchpoint means (0-10, the heatmap's default"
        " touchpoint weights, a missing one's weight shared out among the others)",
    },
    "metric.cji.description": {
        "zh": "整个服务旅程（预约到回访）的综合体验分。",
        "en": "The whole service journey, appointment to follow-up, in one score.",
    },
    "metric.csi.label": {"zh": "客户满意指数 CSI", "en": "CSI"},
    "metric.csi.formula": {
        "zh": "五个维度平均分（1-10）的加权平均 × 100（按 CSI 的固定维度权重）",
        "en": "weighted mean of the five dimension means (1-10) × 100 (CSI's fixed dimension weights)",
    },
    "metric.csi.description": {
        "zh": "服务满意度指数，1000 分制；800 分为“优秀”档下限。",
        "en": "Service satisfaction index out of 1000; 800 starts the 'very good' tier.",
    },
    "metric.ftf.label": {"zh": "一次修复率", "en": "First-time-fix rate"},
    "metric.ftf.formula": {
        "zh": "一次修好的答卷 ÷ 回答了是否一次修好的答卷",
        "en": "answers fixed first time / answers that say",
    },
    "metric.ftf.description": {
        "zh": "车辆第一次进店就修好的比例。",
        "en": "Share of vehicles fixed on the first visit.",
    },
    "metric.wait_median.label": {"zh": "等待时长中位数", "en": "Waiting, median"},
    "metric.wait_median.formula": {
        "zh": "等待时长（分钟）的中位数（连续插值）",
        "en": "median of wait_minutes (continuous)",
    },
    "metric.wait_median.description": {
        "zh": "一半客户的等待时间不超过此值；目标 2 小时以内。",
        "en": "Half of the customers waited no longer than this; target under 2 h.",
    },
    "metric.wait_p90.label": {"zh": "等待时长 P{p90}", "en": "Waiting, {p90}th percentile"},
    "metric.wait_p90.formula": {
        "zh": "等待时长（分钟）的第 {p90} 百分位（连续插值）",
        "en": "{p90}th percentile of wait_minutes (continuous)",
    },
    "metric.wait_p90.description": {
        "zh": "九成客户的等待时间不超过此值；默认目标 4 小时。",
        "en": "Nine in ten customers waited no longer than this; default target 4 h.",
    },
    "metric.wait_over_2h.label": {
        "zh": "等待超 {long_h} 小时占比",
        "en": "Share waiting over {long_h} h",
    },
    "metric.wait_over_2h.formula": {
        "zh": "等待时长超过 {wait_long} 分钟的答卷 ÷ 有等待时长的答卷",
        "en": "answers with wait_minutes > {wait_long} / answers with a waiting time",
    },
    "metric.wait_over_2h.description": {
        "zh": "等待超过 {long_h} 小时的客户占比（典型痛点）；默认目标不超过 25%。",
        "en": "Share of customers waiting over {long_h} h (the classic pain point);"
        " default at most 25 %.",
    },
    "metric.repeat_fault.label": {"zh": "返修/未解决占比", "en": "Repeat-fault share"},
    "metric.repeat_fault.formula": {
        "zh": "痛点为“{repeat_pain_label}”（{repeat_pain}）的答卷 ÷ 答卷数",
        "en": "answers with pain_point = {repeat_pain} / answers",
    },
    "metric.repeat_fault.description": {
        "zh": "反映问题未解决或需要返修的答卷占比；默认目标不超过 10%。",
        "en": "Share of answers reporting an unresolved or repeat fault; default at most 10 %.",
    },
    # ------------------------------------------------------------------ the other pages'
    "metric.answers.label": {"zh": "答卷数", "en": "Answers"},
    "metric.answers.formula": {
        "zh": "所选门店和日期内的答卷数（daily_rollup.n 之和）",
        "en": "answers of the chosen stores and days (sum of daily_rollup.n)",
    },
    "metric.answers.description": {
        "zh": "每个 NPS 都带着它的样本量；样本少于 {low_n} 时提示，少于 {min_n} 时不比较、不排名。",
        "en": "Every NPS carries its n; below {low_n} it is flagged, below"
        " {min_n} neither compared nor ranked.",
    },
    "metric.mtd_nps.label": {"zh": "本月至今 NPS", "en": "Month-to-date NPS"},
    "metric.mtd_nps.formula": {
        "zh": "本月 1 日至所选日期的答卷上：{nps_formula}",
        "en": "on the answers from the 1st of the month to the chosen day: {nps_formula}",
    },
    "metric.mtd_nps.description": {
        "zh": "本月到目前为止的 NPS，与月度目标比较。",
        "en": "The month's NPS so far, against the monthly target.",
    },
    "metric.required_nps.label": {
        "zh": "剩余天数需达到的 NPS",
        "en": "NPS needed on the remaining days",
    },
    "metric.required_nps.formula": {
        "zh": "(目标 × (已有答卷 + 预计答卷) − 本月至今 NPS × 已有答卷) ÷ 预计答卷；"
        "预计答卷 = 近 28 天日均答卷 × 剩余天数；≤ −100 为目标已稳，> 100 为已无法达到；"
        "月末最后一天无剩余天数",
        "en": "(target × (answers so far + answers expected) − MTD NPS × answers so far)"
        " / answers expected; answers expected = the last 28 days' answers a day ×"
        " days left; ≤ −100 already secured, > 100 out of reach; none on the month's last"
        " day (no days left)",
    },
    "metric.required_nps.description": {
        "zh": "剩下的答卷平均要达到多少 NPS，月底才能达标（配速）。",
        "en": "What the answers still to come must average for the month to end on"
        " target (the pace).",
    },
    "metric.target_odds.label": {"zh": "按当前水平达标概率", "en": "Chance of ending on target"},
    "metric.target_odds.formula": {
        "zh": "剩余答卷按本月至今的推荐者 / 中立者 / 贬损者比例抽样，月底 NPS ≥ 目标的概率"
        "（本月答卷不足 30 份时看板不显示；月末最后一天看板改为显示本月是否已达标）",
        "en": "probability that the month ends at or above target when the answers still to"
        " come share this month's promoter / passive / detractor mix (the board shows none"
        " while the month has fewer than 30 answers, and on the month's last day whether the"
        " month ended on target instead)",
    },
    "metric.target_odds.description": {
        "zh": "假设剩余答卷与本月至今结构相同时的达标可能性。",
        "en": "How likely the month ends on target if the remaining answers look like this"
        " month's so far.",
    },
    "metric.segment_nps.label": {"zh": "客群 NPS", "en": "Segment NPS"},
    "metric.segment_nps.formula": {
        "zh": "同一客群（服务类型、车型、渠道、客户等级、服务顾问）的答卷上：{nps_formula}",
        "en": "on the answers of one segment (service type, model, channel, tier, advisor):"
        " {nps_formula}",
    },
    "metric.segment_nps.description": {
        "zh": "一个客群的 NPS 及其 95% 区间，与上期比较。",
        "en": "One segment's NPS with its 95 % interval, against the period before.",
    },
    "metric.share_top.label": {"zh": "{nps_top} 分占比", "en": "Share of {nps_top}s"},
    "metric.share_top.formula": {
        "zh": "{nps_top} 分答卷 ÷ 答卷数",
        "en": "answers {nps_top} / answers",
    },
    "metric.share_top.description": {
        "zh": "打满分 {nps_top} 的客户占比；审查刷分时与本店其他日子比较。",
        "en": "Share of customers scoring {nps_top}; the gaming review compares it with the"
        " store's other days.",
    },
    # one per touchpoint score (tp_<key>): {item} its label, {col} its column
    "metric.tp.label": {"zh": "触点：{item}", "en": "Touchpoint: {item}"},
    "metric.tp.formula": {
        "zh": "“{item}”触点评分的平均分（0-10；有分数的答卷）",
        "en": "mean of the {item} touchpoint's score (0-10, answers with a score)",
    },
    "metric.tp.description": {
        "zh": "热力图的一格：一个触点的平均分；CJI 按热力图的默认触点权重加权。",
        "en": "One heatmap cell: a touchpoint's mean; CJI weights them by the heatmap's default touchpoint weights.",
    },
    "metric.plan_gain.label": {"zh": "预期提升", "en": "Expected gain"},
    "metric.plan_gain.formula": {
        "zh": "启用项目的预期提升之和（NPS 分）",
        "en": "sum of the enabled projects' expected gains (NPS points)",
    },
    "metric.plan_gain.description": {
        "zh": "所选改进项目合计能把 NPS 提高多少分。",
        "en": "How many NPS points the chosen projects add together.",
    },
    "metric.plan_projected.label": {"zh": "预计 NPS", "en": "Projected NPS"},
    "metric.plan_projected.formula": {
        "zh": "min(100, 基准 NPS + 预期提升)",
        "en": "min(100, baseline NPS + expected gain)",
    },
    "metric.plan_projected.description": {
        "zh": "按预期提升推算的月底 NPS，与目标比较。",
        "en": "The month's NPS at the expected gains, against the goal.",
    },
    "metric.plan_budget.label": {"zh": "已用预算", "en": "Budget used"},
    "metric.plan_budget.formula": {
        "zh": "启用项目的费用之和（元）",
        "en": "sum of the enabled projects' costs (yuan)",
    },
    "metric.plan_budget.description": {
        "zh": "所选项目花掉的钱；超出可用预算时页面提示。",
        "en": "What the chosen projects cost; the page warns when it exceeds the budget.",
    },
    # ------------------------------------------------------------------ registry words
    "metric.layer.outcome": {"zh": "结果", "en": "Outcome"},
    "metric.layer.perception": {"zh": "感知", "en": "Perception"},
    "metric.layer.operations": {"zh": "运营", "en": "Operations"},
    "metric.layer.planning": {"zh": "计划", "en": "Planning"},
    "metric.test.nps": {"zh": "NPS 两样本 z 检验", "en": "two-sample NPS z test"},
    "metric.test.proportion": {"zh": "两比例 z 检验", "en": "two-proportion z test"},
    "metric.test.mean": {
        "zh": "两样本均值 z 检验（和与平方和）",
        "en": "two-sample mean z test (sums, sums of squares)",
    },
    "metric.test.index": {
        "zh": "加权均值 z 检验（保守：假设各项完全相关）",
        "en": "weighted-mean z test (conservative: items assumed fully correlated)",
    },
    "metric.test.quantile": {
        "zh": "Mood 分位数检验（高于合并分位数的比例）",
        "en": "Mood's quantile test (share above the pooled quantile)",
    },
    "metric.test.none": {
        "zh": "不做检验（推算或计划值）",
        "en": "none (a derived or planned figure)",
    },
    "metric.unit.nps": {"zh": "分（-100~100）", "en": "points (-100..100)"},
    "metric.unit.share": {"zh": "%", "en": "%"},
    "metric.unit.ces": {"zh": "1~7 分", "en": "1..7"},
    "metric.unit.score10": {"zh": "0~10 分", "en": "0..10"},
    "metric.unit.csi": {"zh": "1000 分制", "en": "points of 1000"},
    "metric.unit.minutes": {"zh": "分钟", "en": "minutes"},
    "metric.unit.count": {"zh": "份", "en": "answers"},
    "metric.unit.yuan": {"zh": "元", "en": "yuan"},
    "metric.better.higher": {"zh": "越高越好", "en": "higher"},
    "metric.better.lower": {"zh": "越低越好", "en": "lower"},
    "metric.target.store_targets": {
        "zh": "门店月度目标（月度目标表；没有单店目标时用全网默认目标）",
        "en": "monthly store target (the monthly targets table; the network default where a store has none)",
    },
    "metric.target.settable": {"zh": "无（可在页面设置）", "en": "none (set on the page)"},
    "metric.target.none": {"zh": "无", "en": "none"},
    "metric.target.from_monthly": {
        "zh": "无（由月度目标推出）",
        "en": "none (follows from the monthly target)",
    },
    "metric.target.plan": {"zh": "改进计划里设定的目标", "en": "the goal set in the plan"},
    "metric.target.budget": {
        "zh": "可用预算（在页面填写）",
        "en": "the budget available (typed on the page)",
    },
    "metric.head.label": {"zh": "指标", "en": "Metric"},
    "metric.head.key": {"zh": "键", "en": "Key"},
    "metric.head.layer": {"zh": "层级", "en": "Layer"},
    "metric.head.pages": {"zh": "页面", "en": "Pages"},
    "metric.head.formula": {"zh": "公式", "en": "Formula"},
    "metric.head.unit": {"zh": "单位", "en": "Unit"},
    "metric.head.better": {"zh": "方向", "en": "Better"},
    "metric.head.target": {"zh": "默认目标", "en": "Default target"},
    "metric.head.test": {"zh": "变化检验", "en": "Real-change test"},
    "metric.head.description": {"zh": "说明", "en": "Description"},
}
