"""Texts of the NPS x CSI quadrant page."""

TEXTS = {
    "quad.title": {"zh": "NPS × CSI 四象限", "en": "NPS × CSI quadrant"},
    "quad.intro": {
        "zh": "每个气泡是一家门店：横轴 CSI（千分制），纵轴 NPS，大小为答卷数，颜色为区域，"
        "竖线为 NPS 95% 置信区间，横线为 CSI 95% 置信区间；箭头从上一周期指向本周期。",
        "en": "Each bubble is a store: x = CSI (1000-point scale), y = NPS, size = answers,"
        " colour = region, vertical whisker = 95 % NPS interval, horizontal whisker = 95 %"
        " CSI interval; arrows run from the previous period to the current one.",
    },
    "quad.period": {"zh": "周期", "en": "Period"},
    "quad.period.quarter": {"zh": "季度", "en": "Quarter"},
    "quad.period.month": {"zh": "月", "en": "Month"},
    "quad.cross": {"zh": "分界线", "en": "Crosshairs"},
    # the median of the stores on the map (a region's, when the sidebar picks a region)
    "quad.cross.median": {"zh": "所示门店的中位数", "en": "Median of the stores shown"},
    "quad.cross.fixed": {"zh": "固定（NPS 50，CSI 800）", "en": "Fixed (NPS 50, CSI 800)"},
    "quad.cross.targets": {"zh": "目标值", "en": "Targets"},
    "quad.window": {
        "zh": "本周期 {label}：{start} 至 {end}（截至筛选结束日）；对比上一周期 {prev}：{pstart} 至 {pend}。",
        "en": "Current period {label}: {start} to {end} (up to the filter's end date);"
        " compared with {prev}: {pstart} to {pend}.",
    },
    "quad.cuts": {
        "zh": "分界线：NPS {nps}，CSI {csi}（{how}）",
        "en": "Crosshairs: NPS {nps}, CSI {csi} ({how})",
    },
    "quad.how.median": {
        "zh": "图中样本≥10 且有 CSI 的 {n} 家门店的中位数",
        "en": "median of the {n} stores shown with 10+ answers and a CSI",
    },
    "quad.how.median_missing": {
        "zh": "样本≥10 且有 CSI 的门店少于 3 家，中位数没有意义，改用固定分界线",
        "en": "fewer than 3 stores with 10+ answers and a CSI for a median; fixed lines used",
    },
    "quad.how.fixed": {"zh": "固定值", "en": "fixed values"},
    "quad.how.target_default": {
        "zh": "NPS 为全部门店通用目标（本周期各月平均），CSI {csi_src}",
        "en": "NPS = the default target for every store (mean over the period's months),"
        " CSI {csi_src}",
    },
    "quad.how.target_store": {
        "zh": "NPS 为该门店自己的目标（本周期各月平均），CSI {csi_src}",
        "en": "NPS = the store's own target (mean over the period's months), CSI {csi_src}",
    },
    "quad.how.target_region": {
        "zh": "NPS 为区域自己的目标（本周期各月平均），CSI {csi_src}",
        "en": "NPS = the region's own target (mean over the period's months), CSI {csi_src}",
    },
    "quad.how.target_network": {
        "zh": "NPS 为全网目标（本周期各月平均），CSI {csi_src}",
        "en": "NPS = the network's own target (mean over the period's months), CSI {csi_src}",
    },
    "quad.how.target_stores": {
        "zh": "NPS 为所选门店目标按答卷数（截至周期末）加权的平均值（本周期各月平均），CSI {csi_src}",
        "en": "NPS = the selected stores' targets weighted by their answers up to the period's"
        " end (mean over the period's months), CSI {csi_src}",
    },
    "quad.how.target_none": {
        "zh": "本周期没有 NPS 目标，NPS 用固定值 50；CSI {csi_src}",
        "en": "no NPS target for the period, NPS fixed at 50; CSI {csi_src}",
    },
    "quad.csi_src.table": {"zh": "为设定目标", "en": "from the CSI target"},
    "quad.csi_src.default": {
        "zh": "为默认目标 {target}（总览页的 CSI 目标；未另设）",
        "en": "the default target of {target} (the overview's CSI target; none set apart)",
    },
    "quad.zone.dream": {"zh": "梦想区", "en": "Dream"},
    "quad.zone.surprise": {"zh": "惊喜区", "en": "Surprise"},
    "quad.zone.danger": {"zh": "危险区", "en": "Danger"},
    "quad.zone.disaster": {"zh": "灾难区", "en": "Disaster"},
    "quad.zone.no_csi": {"zh": "无 CSI", "en": "no CSI"},
    "quad.zone.on_line": {
        "zh": "压线（偏{zone}）",
        "en": "On the line (leans {zone})",
    },
    "quad.on_line_note": {
        "zh": "压线：NPS 或 CSI 的 95% 区间跨过分界线，样本还不足以确定它在哪一侧（图上为区域颜色的空心大圆）。"
        "无 CSI：有 NPS 答卷但没有 CSI 评分的门店，只列在表中。CSI 区间按各维度一起波动估算，宁宽勿窄。",
        "en": "On the line: the 95 % interval of NPS or CSI crosses a line, so the answers do"
        " not yet say which side the store is on (a ring in its region's colour on the chart). No CSI: stores with"
        " NPS answers but no CSI ratings are listed in the table only. The CSI interval"
        " assumes the dimensions move together, so it errs on the wide side.",
    },
    "quad.tip.csi_interval": {"zh": "CSI 95% 区间", "en": "CSI 95% interval"},
    "quad.advice.dream": {
        "zh": "流程与口碑俱佳：固化做法，向其他门店推广。",
        "en": "Process and loyalty both strong: codify what works and share it.",
    },
    "quad.advice.surprise": {
        "zh": "客户愿意推荐但流程评分偏低：补齐流程短板，别让好感被消耗。",
        "en": "Customers recommend despite weak process scores: fix the process before goodwill runs out.",
    },
    "quad.advice.danger": {
        "zh": "流程达标但客户不推荐：找出没被问到的痛点，重点回访贬损者。",
        "en": "Process scores fine but nobody recommends: find the pain the survey misses; call detractors back.",
    },
    "quad.advice.disaster": {
        "zh": "流程与口碑双低：立即制定整改计划，每周跟踪。",
        "en": "Both low: start a recovery plan now and review it weekly.",
    },
    "quad.zones_header": {"zh": "四个象限区", "en": "The four zones"},
    "quad.table": {"zh": "门店列表", "en": "Stores"},
    "quad.col.store": {"zh": "门店", "en": "Store"},
    "quad.col.region": {"zh": "区域", "en": "Region"},
    "quad.col.zone": {"zh": "所在象限", "en": "Zone"},
    "quad.col.nps": {"zh": "NPS（95% 区间）", "en": "NPS (95 % interval)"},
    # the store list's download: the figures and their intervals in columns of their own
    "quad.col.nps_value": {"zh": "NPS", "en": "NPS"},
    "quad.col.nps_low": {"zh": "NPS 95% 区间下限", "en": "NPS 95 % interval, low"},
    "quad.col.nps_high": {"zh": "NPS 95% 区间上限", "en": "NPS 95 % interval, high"},
    "quad.col.csi_low": {"zh": "CSI 95% 区间下限", "en": "CSI 95 % interval, low"},
    "quad.col.csi_high": {"zh": "CSI 95% 区间上限", "en": "CSI 95 % interval, high"},
    "quad.col.csi": {"zh": "CSI", "en": "CSI"},
    # the download: the crosshairs its zones were read against, on every row
    "quad.col.nps_cut": {"zh": "NPS 分界线", "en": "NPS crosshair"},
    "quad.col.csi_cut": {"zh": "CSI 分界线", "en": "CSI crosshair"},
    "quad.col.n": {"zh": "答卷数", "en": "Answers"},
    "quad.col.csi_n": {"zh": "CSI 答卷", "en": "CSI answers"},
    "quad.col.nps_tier": {"zh": "NPS 等级", "en": "NPS tier"},
    "quad.col.csi_tier": {"zh": "CSI 等级", "en": "CSI tier"},
    # the tiers' names (their bounds: cx.stats.NPS_TIERS / CSI_TIERS)
    "quad.tier.nps.excellent": {"zh": "卓越", "en": "Excellent"},
    "quad.tier.nps.very_good": {"zh": "优秀", "en": "Very good"},
    "quad.tier.nps.pass": {"zh": "及格", "en": "Pass"},
    "quad.tier.nps.warning": {"zh": "警戒", "en": "Warning"},
    "quad.tier.nps.crisis": {"zh": "危机", "en": "Crisis"},
    "quad.tier.csi.benchmark": {"zh": "标杆", "en": "Benchmark"},
    "quad.tier.csi.very_good": {"zh": "优秀", "en": "Very good"},
    "quad.tier.csi.good": {"zh": "良好", "en": "Good"},
    "quad.tier.csi.pass": {"zh": "及格", "en": "Pass"},
    "quad.tier.csi.improve": {"zh": "需改进", "en": "Needs improvement"},
    "quad.col.flag": {"zh": "提示", "en": "Flag"},
    "quad.col.prev_zone": {"zh": "上期象限", "en": "Previous zone"},
    "quad.flag.csi_low": {"zh": "CSI 样本 <50", "en": "CSI n < 50"},
    "quad.flag.too_few": {"zh": "样本过少", "en": "too few answers"},
    "quad.flag.low_n": {"zh": "NPS 样本 <{n}", "en": "NPS n < {n}"},
    "quad.pick": {"zh": "打开门店看板", "en": "Open a store's board"},
    "quad.pick_placeholder": {"zh": "选择门店…", "en": "Pick a store…"},
    "quad.board_missing": {
        "zh": "门店看板页面尚未上线（{store}）。",
        "en": "The store board page is not available yet ({store}).",
    },
    "quad.no_data": {
        "zh": "本周期所选门店没有答卷。",
        "en": "No answers for the selected stores in this period.",
    },
    "quad.named_few": {
        "zh": "共 {total} 家门店：图中为离分界线最远的 {named} 家画出区间和箭头，"
        "并在放得下的地方标出编号；其余门店只画气泡（悬停可见名称），右侧列表列出全部。",
        "en": "{total} stores: the {named} farthest from the crosshairs get their intervals"
        " and arrows, and their ids where they fit; the others are bubbles only (hover for"
        " the name), and the list beside the map holds them all.",
    },
    "quad.legend.prev": {
        # a small grey dot: "hollow" named the on-the-line stores' rings too
        "zh": "灰色小点 = 上一周期位置，箭头指向本周期",
        "en": "Small grey dot = previous period; the arrow points to the current one",
    },
    "quad.axis.csi": {"zh": "CSI（千分制）", "en": "CSI (1000-point scale)"},
    "quad.axis.nps": {"zh": "NPS", "en": "NPS"},
    "quad.tip.interval": {"zh": "NPS 95% 区间", "en": "NPS 95 % interval"},
}
