"""Texts of the Segment distributions page."""

TEXTS = {
    "seg.title": {
        "zh": "客群分布：谁在推荐，谁在贬损，为什么",
        "en": "Segments: who recommends, who detracts, and why",
    },
    "seg.period": {
        "zh": "期间 {start} 至 {end}（侧栏筛选）",
        "en": "Period {start} to {end} (sidebar filters)",
    },
    "seg.n": {"zh": "答卷数", "en": "Answers"},
    "seg.nps": {"zh": "NPS", "en": "NPS"},
    "seg.nps_help": {
        "zh": "95% 置信区间 {low} 至 {high}",
        "en": "95 % interval {low} to {high}",
    },
    "seg.share.promoter": {"zh": "推荐者占比", "en": "Promoter share"},
    "seg.share.passive": {"zh": "中立者占比", "en": "Passive share"},
    "seg.share.detractor": {"zh": "贬损者占比", "en": "Detractor share"},
    "seg.hist": {"zh": "0-10 分答案分布", "en": "Answers 0-10"},
    "seg.score": {"zh": "推荐分", "en": "Score"},
    "seg.segment": {"zh": "NPS 类别", "en": "Segment"},
    "seg.share": {"zh": "占比", "en": "Share"},
    "seg.count": {"zh": "人数", "en": "Count"},
    "seg.split": {"zh": "按维度拆分", "en": "Split by a dimension"},
    "seg.dim": {"zh": "拆分维度", "en": "Break down by"},
    "seg.dim.vehicle_model": {"zh": "车型", "en": "Vehicle model"},
    "seg.dim.service_type": {"zh": "服务类型", "en": "Service type"},
    "seg.dim.channel": {"zh": "渠道", "en": "Channel"},
    "seg.dim.customer_tier": {"zh": "客户等级", "en": "Customer tier"},
    "seg.dim.advisor": {"zh": "服务顾问", "en": "Advisor"},
    "seg.dim.key_touchpoint": {"zh": "关键触点", "en": "Key touchpoint"},
    "seg.dim.region": {"zh": "区域", "en": "Region"},
    "seg.dim.store": {"zh": "门店", "en": "Store"},
    "seg.blank": {"zh": "（未填写）", "en": "(not given)"},
    "seg.split_note": {
        "zh": "样本少于 {low} 的组标为“样本偏少”，少于 {min} 的组标为“样本过少”，均不隐藏；区间为 95% 置信区间。",
        "en": "Groups under {low} answers are flagged “low sample”, under {min} “too few”; none is hidden. Intervals are 95 %.",
    },
    "seg.chart_capped": {
        "zh": "图中只画答卷最多的 {k} 组（共 {total} 组），表格列出全部。",
        "en": "The chart shows the {k} groups with most answers (of {total}); the table lists all.",
    },
    "seg.col.group": {"zh": "分组", "en": "Group"},
    "seg.col.n": {"zh": "答卷数", "en": "Answers"},
    "seg.col.p": {"zh": "推荐者", "en": "Promoters"},
    "seg.col.pa": {"zh": "中立者", "en": "Passives"},
    "seg.col.d": {"zh": "贬损者", "en": "Detractors"},
    "seg.col.share_p": {"zh": "推荐者 %", "en": "Promoters %"},
    "seg.col.share_pa": {"zh": "中立者 %", "en": "Passives %"},
    "seg.col.share_d": {"zh": "贬损者 %", "en": "Detractors %"},
    "seg.col.nps": {"zh": "NPS", "en": "NPS"},
    "seg.col.low": {"zh": "区间下限", "en": "Interval low"},
    "seg.col.high": {"zh": "区间上限", "en": "Interval high"},
    "seg.col.flag": {"zh": "样本", "en": "Sample"},
    "seg.flag.low": {"zh": "样本偏少", "en": "low sample"},
    "seg.flag.too_few": {"zh": "样本过少", "en": "too few"},
    "seg.export": {"zh": "下载拆分表（CSV）", "en": "Download the split table (CSV)"},
    "seg.compare": {"zh": "与上一期对比", "en": "Compared with the previous period"},
    "seg.compare_note": {
        "zh": "本期 {start} 至 {end}，上一期 {pstart} 至 {pend}（整月对比上一个同样月数的整月，其余对比紧接在前的同样天数）。变化只在 p < 0.05（两样本 NPS 检验）时算作变化；任一期样本少于 {min} 不比较。",
        "en": "This period {start} to {end}, previous {pstart} to {pend} (whole months against as many whole months before, other ranges against as many days just before). A change counts only when p < 0.05 (two-sample NPS test); groups with fewer than {min} answers in either period are not compared.",
    },
    "seg.col.n_prev": {"zh": "上期答卷数", "en": "Answers before"},
    "seg.col.nps_prev": {"zh": "上期 NPS", "en": "NPS before"},
    "seg.col.change": {"zh": "变化", "en": "Change"},
    "seg.col.p_value": {"zh": "p 值", "en": "p-value"},
    "seg.col.status": {"zh": "判断", "en": "Verdict"},
    "seg.status.up": {"zh": "上升（超出正常波动）", "en": "up (beyond noise)"},
    "seg.status.down": {"zh": "下降（超出正常波动）", "en": "down (beyond noise)"},
    "seg.status.noise": {"zh": "在正常波动内", "en": "within noise"},
    "seg.status.too_few": {"zh": "样本过少，不比较", "en": "too few to compare"},
    "seg.reasons": {"zh": "贬损原因（帕累托）", "en": "Detractor reasons (Pareto)"},
    "seg.reasons_none": {
        "zh": "所选门店和日期里没有贬损者，也就没有贬损原因。",
        "en": "No detractors in the chosen stores and dates, so no reasons to rank.",
    },
    "seg.reasons_note": {
        "zh": "客户选了痛点的按所选痛点计（规则“客户所选痛点”）；没选的按评论关键词归类（规则见下表，先匹配先得）；都不符合的归入“其他”。",
        "en": "Answers with a pain point count under it (rule “answer”); the others are classified by keywords in the comment (rules below, first match wins); the rest go to “other”.",
    },
    "seg.reason": {"zh": "原因", "en": "Reason"},
    "seg.cum_share": {"zh": "累计占比", "en": "Cumulative share"},
    "seg.col.reason": {"zh": "原因", "en": "Reason"},
    "seg.col.share": {"zh": "占比", "en": "Share"},
    "seg.col.cum_share": {"zh": "累计占比", "en": "Cumulative"},
    "seg.col.n_answer": {"zh": "来自答卷", "en": "From the answer"},
    "seg.col.n_keyword": {"zh": "关键词归类", "en": "By keyword"},
    "seg.col.n_unclassified": {"zh": "未能归类", "en": "Unclassified"},
    "seg.col.keywords": {"zh": "命中的关键词", "en": "Keywords that fired"},
    "seg.rules": {"zh": "关键词规则", "en": "Keyword rules"},
    "seg.col.order": {"zh": "顺序", "en": "Order"},
    "seg.col.zh": {"zh": "中文关键词", "en": "Chinese keywords"},
    "seg.col.en": {"zh": "英文关键词", "en": "English keywords"},
    "seg.pick_reason": {"zh": "查看该原因背后的评论", "en": "See the comments behind a reason"},
    "seg.by_store": {"zh": "各门店的贬损原因", "en": "Reasons by store"},
    "seg.by_store_note": {
        "zh": "每家门店的贬损者按原因计数（与上面的帕累托同一规则），贬损者最多的门店在前；"
        "“最大原因占比”是该原因占本店贬损者的比例。",
        "en": "Each store's detractors counted by reason (the Pareto's rule above), the"
        " store with the most detractors first; the top reason's share is of the store's"
        " own detractors.",
    },
    "seg.col.n_detractors": {"zh": "贬损者", "en": "Detractors"},
    "seg.col.top_reason": {"zh": "最大原因", "en": "Top reason"},
    "seg.col.top_share": {"zh": "最大原因占比（%）", "en": "Top reason's share (%)"},
    "seg.comments_count": {
        "zh": "共 {total} 条，显示最近 {shown} 条，下载包含全部（个人信息已脱敏）。",
        "en": "{total} in all, the latest {shown} shown; the download holds all of them"
        " (personal data masked).",
    },
    "seg.col.responded_at": {"zh": "提交时间", "en": "Answered"},
    "seg.col.store_id": {"zh": "门店", "en": "Store"},
    "seg.col.advisor": {"zh": "服务顾问", "en": "Advisor"},
    "seg.col.score": {"zh": "推荐分", "en": "Score"},
    "seg.col.pain_point": {"zh": "答卷痛点", "en": "Pain point (answer)"},
    "seg.col.comment": {"zh": "评论", "en": "Comment"},
    "seg.col.rule": {"zh": "命中规则", "en": "Rule fired"},
    "seg.col.customer_name": {"zh": "客户", "en": "Customer"},
    "seg.col.phone": {"zh": "电话", "en": "Phone"},
    "seg.rule.answer": {"zh": "客户所选痛点", "en": "answer"},
    "seg.rule.unclassified": {"zh": "未归类", "en": "unclassified"},
    "seg.rule.no_comment": {"zh": "无评论", "en": "no comment"},
    "seg.rule.keyword": {"zh": "关键词“{k}”", "en": "keyword “{k}”"},
    "seg.gaming": {"zh": "分数异常模式（供复核）", "en": "Score patterns to review"},
    "seg.gaming_note": {
        "zh": "不与全网比较：优秀的团队不会因为分数高而上榜。每位服务顾问与本店其他人比，每家门店与自己的历史比，"
        "只看作弊会留下的痕迹：{fast} 秒内答完的问卷、没有留言的 10 分、同一客户/手机号重复作答、每月最后 {days} 天 10 分扎堆。"
        "共做了 {tests} 项检验，用 Benjamini–Hochberg 方法把错误发现率控制在 {fdr}：列出的信号里纯属偶然的预计不超过 {fdr}。"
        "q 值越小越不像偶然。这是复核线索，不是指控。",
        "en": "Not a comparison with the network: an excellent team is never listed for scoring"
        " high. Each advisor is compared with the rest of their own store and each store with"
        " its own history, on traces gaming leaves: answers completed in under {fast} seconds,"
        " 10s without a comment, one customer or phone answering again, 10s piling up in the"
        " last {days} days of each month. Tests run: {tests}, with the false discovery"
        " rate held at {fdr} by Benjamini–Hochberg: of the signals listed, about {fdr} or fewer"
        " are expected to be chance. The smaller the q-value, the less it looks like chance."
        " A lead to check, not an accusation.",
    },
    "seg.gaming_untested": {
        "zh": "本期答卷太少，没有可做的检验：每位服务顾问、每家门店都要有足够的答卷才能与其参照比较。"
        "这不代表没有异常，请放宽日期或门店筛选。",
        "en": "Too few answers in this period for any test: each advisor and store needs enough"
        " answers to be compared with its reference. This is not a clean result; widen the"
        " dates or the stores.",
    },
    "seg.gaming_none": {
        "zh": "本期没有需要复核的分数模式。",
        "en": "No score pattern stands out in this period.",
    },
    "seg.gaming.store_level": {"zh": "（整店）", "en": "(whole store)"},
    "seg.col.store": {"zh": "门店", "en": "Store"},
    "seg.col.who": {"zh": "服务顾问", "en": "Advisor"},
    "seg.col.signal": {"zh": "模式", "en": "Pattern"},
    "seg.col.x_n": {"zh": "命中/样本", "en": "Hits / answers"},
    "seg.col.x": {"zh": "命中", "en": "Hits"},
    "seg.col.rate": {"zh": "比例 %", "en": "Rate %"},
    "seg.col.ref_rate": {"zh": "对照比例 %", "en": "Reference rate %"},
    "seg.col.q_value": {"zh": "q 值（校正后）", "en": "q-value (corrected)"},
    "seg.signal.fast": {
        "zh": "20 秒内答完（对照：同店其他人 / 本店历史）",
        "en": "answered in under 20 s (vs the rest of the store / the store's history)",
    },
    "seg.signal.silent_tens": {
        "zh": "10 分无留言（占 10 分的比例）",
        "en": "10s without a comment (share of the 10s)",
    },
    "seg.signal.repeat": {
        "zh": "同一客户/手机号重复作答",
        "en": "a customer or phone answering again",
    },
    # short: the table's column beside the map is ~500 px at 1366, and the longer text ran
    # past it (the reference rate has a column of its own)
    "seg.signal.month_end": {
        "zh": "{months} 各月最后 3 天的 10 分占比（对照这几个月其他日子）",
        "en": "10s in each month's last 3 days, {months} (vs those months' other days)",
    },
}
