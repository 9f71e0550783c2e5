"""Texts of the CJI touchpoint heatmap page."""

TEXTS = {
    "heat.title": {"zh": "触点热力图 (CJI)", "en": "Touchpoint heatmap (CJI)"},
    "heat.intro": {
        "zh": "CJI = 各触点平均分（0-10）的加权平均；未评分的触点不计入，其余权重按比例放大。",
        "en": "CJI = weighted mean of the touchpoint means (0-10); unrated touchpoints drop"
        " out and the other weights are renormalised.",
    },
    "heat.window": {
        "zh": "本期 {start} 至 {end}；变化对比上一期 {pstart} 至 {pend}（整月对比之前同样月数的整月，其余对比紧接在前的同样天数）。",
        "en": "Period {start} to {end}; changes against the period before, {pstart} to {pend} (whole months against as many whole months, other ranges against as many days).",
    },
    "heat.weights": {"zh": "触点权重（%）", "en": "Touchpoint weights (%)"},
    "heat.weights_sum": {"zh": "合计 {total}%", "en": "Total {total} %"},
    "heat.weights_bad": {
        "zh": "权重合计为 {total}%，必须等于 100%。仍使用上一组有效权重。",
        "en": "The weights add up to {total} %; they must make 100 %. The last valid weights stay in use.",
    },
    "heat.weights_url_bad": {
        "zh": "链接中的触点权重无法读取（应为 7 个 0-100 之间、合计 100 的数），仍使用当前权重。",
        "en": "The weights in the link could not be read (seven numbers from 0 to 100 that"
        " make 100); the current weights stay in use.",
    },
    "heat.reset": {"zh": "恢复默认", "en": "Reset"},
    "heat.sort": {"zh": "排序", "en": "Sort"},
    "heat.sort.cji_desc": {"zh": "CJI 从高到低", "en": "CJI, best first"},
    "heat.sort.cji_asc": {"zh": "CJI 从低到高", "en": "CJI, worst first"},
    "heat.sort.store": {"zh": "门店编号", "en": "Store id"},
    "heat.cji": {"zh": "CJI", "en": "CJI"},
    "heat.weakest_note": {
        "zh": "▼ 标记每家门店得分最低的触点；触点评分少于 10 个的门店排在最后，不参与排名。",
        "en": "▼ marks each store's weakest touchpoint; stores with fewer than 10 touchpoint ratings come last, unranked.",
    },
    "heat.grid_first": {
        # the ranking is beside the grid on a wide screen and under it on a phone
        "zh": "网格显示当前排序下的前 {shown} 家门店（共 {total} 家）；CJI 排名列出全部，"
        "在侧栏选择区域或门店可缩小范围。",
        "en": "The grid shows the first {shown} of {total} stores in this order; the CJI"
        " ranking lists them all, and the sidebar's region or store filter narrows them.",
    },
    "heat.ranking": {"zh": "CJI 排名", "en": "CJI ranking"},
    "heat.col.rank": {"zh": "排名", "en": "Rank"},
    "heat.col.store": {"zh": "门店", "en": "Store"},
    "heat.col.cji": {"zh": "CJI", "en": "CJI"},
    "heat.col.cji_chg": {"zh": "较上期", "en": "Change"},
    "heat.col.weakest": {"zh": "最弱触点", "en": "Weakest touchpoint"},
    "heat.col.n": {"zh": "答卷数", "en": "Answers"},
    # the CJI's own n, as the overview's CJI card counts it: its best-rated touchpoint's
    "heat.col.cji_n": {"zh": "CJI 样本", "en": "CJI n"},
    # the ranking's download: a store's low-sample flag in a column of its own (the page
    # puts board.rank.low after its name), headed and worded as the quadrant's
    "heat.col.flag": {"zh": "提示", "en": "Flag"},
    "heat.flag.low_n": {"zh": "CJI 样本 <{n}", "en": "CJI n < {n}"},
    "heat.col.cji_n_help": {
        "zh": "评分最多的一个触点的评分数：概览页 CJI 卡片的样本，样本提示按它判断。",
        "en": "The ratings of its most-rated touchpoint: the n of the overview's CJI card,"
        " which the low-sample flag reads.",
    },
    # a cell's count: the answers that rated its touchpoint (the CJI's: its most-rated one)
    "heat.col.rated": {"zh": "评分数", "en": "Ratings"},
    "heat.col.touchpoint": {"zh": "触点", "en": "Touchpoint"},
    "heat.col.mean": {"zh": "平均分", "en": "Mean"},
    "heat.col.change": {"zh": "较上期", "en": "Change"},
    "heat.col.week": {"zh": "周", "en": "Week"},
    "heat.col.importance": {"zh": "数据重要度 %", "en": "Importance from data %"},
    "heat.col.weight": {"zh": "热力图权重 %", "en": "Heatmap weight %"},
    "heat.col.gap": {"zh": "差值（百分点）", "en": "Gap (points)"},
    "heat.col.performance": {"zh": "表现（平均分）", "en": "Performance (mean)"},
    "heat.col.zone": {"zh": "象限", "en": "Quadrant"},
    "heat.col.kind": {"zh": "来源", "en": "Source"},
    "heat.weekly": {"zh": "单店触点周趋势", "en": "One store's touchpoints by week"},
    "heat.weekly_store": {"zh": "门店", "en": "Store"},
    "heat.weekly_note": {
        "zh": "至少显示截至结束日的 13 周，用于判断改进是否见效。",
        "en": "At least the 13 weeks up to the end date, to see whether a fix took hold.",
    },
    "heat.ipa": {"zh": "先改哪个触点？", "en": "Which touchpoint to fix first?"},
    "heat.ipa_note": {
        "zh": "重要度 = 推荐分（0-10）的高低有多少可以归到这个触点的评分上（相对权重法，"
        "各触点相加为 100%）。七个触点合起来解释了推荐分差异的 {r2pct}（拟合度 R² = {r2}）。"
        "基于 {n} 份所有触点均有评分的答卷。分界线：平均重要度 {imp}%、平均表现 {perf}。",
        "en": "Importance = how much of the ups and downs of the 0-10 answer goes with this"
        " touchpoint's score (relative weights, Johnson's method; the touchpoints add up to"
        " 100 %). Together the seven touchpoints explain {r2pct} of the differences between"
        " answers (R² = {r2}). From {n} answers rating every touchpoint. Lines: mean"
        " importance {imp} %, mean performance {perf}.",
    },
    "heat.ipa_few": {
        "zh": "只有 {n} 份所有触点均有评分的答卷：估计 7 个触点的重要度至少需要 {min} 份（每个触点 10 份），"
        "答卷太少时任何权重都能完全拟合。请放宽日期或门店筛选。",
        "en": "Answers rating every touchpoint: only {n}. Weighing seven touchpoints takes at"
        " least {min} (ten each), and with fewer any weights fit them perfectly. Widen the dates or"
        " the stores.",
    },
    "heat.ipa_none": {
        "zh": "答卷不足，无法估计重要度。",
        "en": "Not enough complete answers to estimate importance.",
    },
    "heat.ipa.concentrate": {"zh": "重点改进", "en": "Concentrate here"},
    "heat.ipa.keep_up": {"zh": "继续保持", "en": "Keep up the good work"},
    "heat.ipa.low_priority": {"zh": "次要改进", "en": "Low priority"},
    "heat.ipa.overkill": {"zh": "可能过度", "en": "Possible overkill"},
    "heat.kind.importance": {"zh": "数据重要度", "en": "Importance (data)"},
    "heat.kind.weight": {"zh": "假设权重", "en": "Assumed weight"},
    "heat.disagree": {
        "zh": "数据显示与假设权重不同（95% 区间 / 假设权重）：{tps}",
        "en": "The data differ from the assumed weights (95 % interval / weight): {tps}",
    },
    "heat.agree": {
        "zh": "每个触点的假设权重都落在数据重要度的 95% 区间内：数据不反驳这些权重。",
        "en": "Every assumed weight lies inside its 95 % interval from the data:"
        " the data do not contradict the weights.",
    },
    "heat.boot_note": {
        "zh": "区间：把门店-日随机分成最多 200 组（同一门店同一天的答卷在同一组），有放回地重抽 400 次，每次重算相对权重，取中间 95%。"
        "只有区间整体高于（或低于）假设权重时，才说该触点比假设更重要（或更不重要）；否则差异可能只是抽样波动。",
        "en": "Intervals: the store-days are split into up to 200 random groups (a store's"
        " answers of one day stay together), redrawn with replacement"
        " 400 times and the weights recomputed each time; the middle 95 % is shown. A"
        " touchpoint is called stronger (weaker) than assumed only when its whole interval"
        " lies above (below) the weight; otherwise the difference may be sampling noise.",
    },
    "heat.col.interval": {"zh": "95% 区间", "en": "95 % interval"},
    "heat.col.verdict": {"zh": "与假设权重相比", "en": "Against the weight"},
    "heat.verdict.stronger": {"zh": "更重要", "en": "stronger"},
    "heat.verdict.weaker": {"zh": "较不重要", "en": "weaker"},
    "heat.verdict.consistent": {"zh": "与假设一致", "en": "consistent"},
    "heat.no_data": {
        "zh": "所选范围内没有触点评分。",
        "en": "No touchpoint scores in the selected range.",
    },
}
