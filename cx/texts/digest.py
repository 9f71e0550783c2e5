"""Texts of the morning digest (``python -m cx digest``) and the board's signals section."""

TEXTS = {
    "digest.title": {"zh": "晨报 {date} · {scope}", "en": "Morning digest {date} · {scope}"},
    "digest.demo": {
        "zh": "演示数据：这些门店的答卷里有生成的示例答卷，不是真实客户的。",
        "en": "Demo data: these stores' answers include generated sample answers, not real"
        " customers'.",
    },
    "digest.all_stores": {"zh": "全部门店", "en": "all stores"},
    "digest.drops": {"zh": "NPS 明显下滑（超出正常波动）", "en": "NPS drops beyond noise"},
    "digest.gaming": {"zh": "分数异常，请复核", "en": "Score patterns to review"},
    "digest.overdue": {"zh": "超时未回访的贬损者", "en": "Overdue detractor callbacks"},
    "digest.none": {"zh": "无", "en": "none"},
    "digest.no_answers": {
        "zh": "{date} 没有答卷（有答卷的最近一天是 {latest}）：数据可能没有按时上传，下面各项不代表这一天。",
        "en": "No answers on {date} (the latest day with answers is {latest}): the uploads may"
        " have stopped, and nothing below speaks for that day.",
    },
    "digest.silent": {
        "zh": "{date} 没有答卷的门店（数据可能没有按时上传）",
        "en": "Stores without answers on {date} (their uploads may have stopped)",
    },
    "digest.silent_row": {
        "zh": "{store}：最近一天有答卷是 {latest}（到那天为止的 7 天中 {days} 天有答卷，共 {n} 份）",
        "en": "{store}: latest answers on {latest} ({n} answers on {days} of the 7 days up to it)",
    },
    "digest.silent_more": {
        "zh": "另有 {stores} 家门店当天没有答卷",
        "en": "{stores} more store{stores:s} without answers on the day",
    },
    "digest.no_answers_day": {
        "zh": "{date} 这一范围没有任何答卷（数据已到 {latest}）：下面各项不代表这一天。",
        "en": "No answers on {date} in this scope (the data runs to {latest}): nothing below"
        " speaks for that day.",
    },
    "digest.no_answers_ever": {
        "zh": "{date} 没有答卷，此范围内也没有任何答卷。",
        "en": "No answers on {date}, nor on any day in this scope.",
    },
    "digest.board_review": {
        "zh": "分数模式待复核（{start} 至 {end}）：{who} —— {what}（与本店其他人或本店历史相比，"
        "已做多重比较校正；不是结论）",
        "en": "Score pattern to review ({start} to {end}): {who} — {what} (against the rest of"
        " the store or its own history, corrected for testing many at once; not a verdict)",
    },
    "digest.drop_row": {
        "zh": "{store}：近 7 天 NPS {nps}（{n} 份），此前 8 周 {before}（{n_before} 份），变化 {change}",
        "en": "{store}: NPS {nps} over the last 7 days ({n} answers) against {before} over the"
        " 8 weeks before ({n_before}), change {change}",
    },
    "digest.gaming_row": {"zh": "{who}：{what}", "en": "{who}: {what}"},
    "digest.advisor_at": {
        "zh": "{store}服务顾问{advisor}",
        "en": "advisor {advisor} at {store}",
    },
    "digest.signal.fast": {
        "zh": "{rate} 的答卷在 20 秒内答完（{x}/{n}），同店其他人 {ref}",
        "en": "{rate} of answers completed in under 20 seconds ({x}/{n}); the rest of the store {ref}",
    },
    "digest.signal.silent_tens": {
        "zh": "{rate} 的 10 分没有留言（{x}/{n}），对照 {ref}",
        "en": "{rate} of the 10s came without a comment ({x}/{n}) against {ref}",
    },
    "digest.signal.repeat": {
        "zh": "{rate} 的答卷来自已答过的同一客户/手机号（{x}/{n}），对照 {ref}",
        "en": "{rate} of answers came from a customer or phone that had already answered"
        " ({x}/{n}) against {ref}",
    },
    "digest.signal.month_end": {
        "zh": "{months} 各月最后 3 天 10 分占 {rate}（{x}/{n}），本店这几个月其他日子 {ref}",
        "en": "{rate} of the scores in the last 3 days of each month {months} were 10 ({x}/{n});"
        " on the store's other days of those months {ref}",
    },
    # when the overdue callbacks were counted (cx.followups.queue_now), as the board says
    "digest.overdue_as_of.now": {"zh": "截至 {at} 计。", "en": "As of {at}."},
    "digest.overdue_as_of.day_end": {
        "zh": "按当日结束 {at} 计（回看往日）。",
        "en": "As of that day's end, {at} (looking back).",
    },
    "digest.overdue_as_of.data_end": {
        "zh": "按数据最后一天 {at} 计（数据停在那一天，不是现在）。",
        "en": "As of {at}, the data's last day (the data stops there, not now).",
    },
    "digest.overdue_row": {
        "zh": "{store}：{k} 位贬损者超时未回访",
        "en": "{store}: detractors past their callback deadline: {k}",
    },
    "digest.overdue_more": {
        "zh": "另有 {stores} 家门店共 {k} 位贬损者超时未回访",
        "en": "{stores} more store{stores:s} with {k} between them",
    },
    "digest.note": {
        "zh": "说明：下滑与分数异常都经过多重比较校正（Benjamini–Hochberg，错误发现率 {fdr}）："
        "同时检验很多门店和顾问时，列出的信号中纯属偶然的预计不超过 {fdr}。"
        "分数异常只是与本店其他人或本店历史相比的模式（答题过快、10 分无留言、同一客户多次作答、月末集中 10 分），"
        "不代表作弊结论，请先核实。",
        "en": "Note: drops and score patterns are corrected for testing many stores and advisors"
        " at once (Benjamini–Hochberg, false discovery rate {fdr}): of the signals listed, at"
        " most about {fdr} are expected to be chance. Score patterns compare an advisor with"
        " the rest of their store, or a store with its own history (answers completed very"
        " fast, 10s without comments, one customer answering many times, 10s piling up at"
        " month end); they are a reason to look, not a verdict.",
    },
}
