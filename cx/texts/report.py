"""Texts of the weekly report's month-to-date rows and its two template sections."""

TEXTS = {
    "report.demo": {
        "zh": "演示数据：这份报告包含生成的示例答卷，不是真实客户的。",
        "en": "Demo data: this report includes generated sample answers, not real customers'.",
    },
    "report.silent": {
        "zh": "注意：这些门店的答卷在本周期结束前就停了（数据可能没有按时上传），下面的数字里没有它们此后的答卷：{stores}。",
        "en": "Note: these stores' answers stop before the period's end (their uploads may"
        " have stopped), and the figures below lack their answers since: {stores}.",
    },
    "ov.silent": {
        "zh": "注意：这些门店的答卷在 {month} 的数据结束前就停了（数据可能没有按时上传），本月的数字里没有它们此后的答卷：{stores}。",
        "en": "Note: these stores' answers stop before {month}'s data ends (their uploads may"
        " have stopped), and the month's figures lack their answers since: {stores}.",
    },
    "report.silent_store": {"zh": "{store}（最近 {latest}）", "en": "{store} (latest {latest})"},
    "report.silent_col": {"zh": "答卷停止的门店", "en": "Stores whose answers stopped"},
    "report.mode": {"zh": "周报周期", "en": "Report period"},
    "report.mode.week": {"zh": "自然周（周一至周日）", "en": "Calendar week (Mon–Sun)"},
    "report.mode.days7": {"zh": "自选起始日的 7 天", "en": "7 days from a chosen day"},
    "report.pick.week": {"zh": "周报所在周（选该周任一天）", "en": "Week containing"},
    "report.pick.days7": {"zh": "起始日（含 7 天）", "en": "First of the 7 days"},
    "report.mtd_nps": {
        "zh": "本月至今 NPS（{start} 至 {end}）",
        "en": "Month-to-date NPS ({start} to {end})",
    },
    "report.mtd_n": {
        "zh": "本月至今答卷数（{start} 至 {end}）",
        "en": "Answers month to date ({start} to {end})",
    },
    # the CSV's counts, one a row
    "report.count.p": {"zh": "本周推荐者人数", "en": "Promoters this week"},
    "report.count.pa": {"zh": "本周中立者人数", "en": "Passives this week"},
    "report.count.d": {"zh": "本周贬损者人数", "en": "Detractors this week"},
    # the values of the report's rows: Chinese punctuation in the Chinese report
    # after its row's name ("reason #1: …" in the plain text): no second colon
    "report.value.reason": {"zh": "{reason}，{n} 位（{pct}%）", "en": "{reason}, {n} ({pct}%)"},
    "report.value.mtd": {"zh": "{nps}（样本 {n}）", "en": "{nps} (n = {n})"},
    "report.mtd_target": {"zh": "{month} 目标", "en": "Target for {month}"},
    "report.mtd_gap": {"zh": "距目标", "en": "Against the target"},
    # a region's or the network's report: each store's week, the lowest NPS first
    "report.by_store": {"zh": "各门店本周", "en": "Each store this week"},
    # the columns named short (six columns on a phone's width), said in full once above
    "report.by_store.help": {
        "zh": "按本周 NPS 从低到高排列；⚠ 表示本周答卷少于 {low} 份，数字波动大。"
        "超时未回访：本周贬损者已超时、仍未回访；未关闭行动：本周贬损者尚未解决或确认无法联系。",
        "en": "Lowest NPS this week first; ⚠ marks a week of under {low} answers, whose"
        " figure moves a lot by chance. Overdue: this week's detractors past their deadline,"
        " not called back; open actions: this week's detractors not yet resolved or unreachable.",
    },
    "report.by_store.nps": {"zh": "NPS", "en": "NPS"},
    "report.by_store.change": {"zh": "较上周", "en": "Change"},
    "report.by_store.real": {"zh": "（真实变化）", "en": " (real change)"},
    "report.by_store.overdue": {"zh": "超时未回访", "en": "Overdue"},
    "report.by_store.open": {"zh": "未关闭行动", "en": "Open actions"},
    "report.actions": {"zh": "本周行动", "en": "Actions this week"},
    # two counts of different things: the week's detractors (whenever called: "so far", a
    # call this morning counted there, not below), and what was closed within the week
    # (answers of any week); said so, they do not look at odds
    "report.actions.callbacks": {
        "zh": "本周贬损者至今已回访：按时 {on_time} 位，晚于时限 {late} 位；无法联系 {unreachable} 位",
        "en": "This week's detractors called back so far: {on_time} on time, {late} late;"
        " {unreachable} tried and not reached",
    },
    "report.actions.closed": {
        "zh": "本周内完成的回访/处理（含往周的答卷）：{n} 项",
        "en": "Callbacks made or follow-ups closed within the week (answers of any week): {n}",
    },
    # the two lists' times are different moments: when the callback was made or the
    # follow-up closed, and when the customer answered (both read "10-14 09:12" before)
    "report.item.done_at": {"zh": "{at} 处理", "en": "done {at}"},
    "report.item.answered_at": {"zh": "{at} 答卷", "en": "answered {at}"},
    "report.focus": {"zh": "下周重点", "en": "Focus next week"},
    "report.focus.reason": {
        "zh": "首要贬损原因：{reason}（{n} 位，占 {share}）",
        "en": "Main detractor reason: {reason} ({n}, {share})",
    },
    "report.focus.reasons_tied": {
        "zh": "首要贬损原因（并列）：{reasons}（各 {n} 位，各占 {share}）",
        "en": "Main detractor reasons, tied: {reasons} ({n} each, {share} each)",
    },
    "report.focus.required": {
        "zh": "要在月底达到目标 {target}，本月剩余约 {n} 份答卷的 NPS 需达到 {req}",
        "en": "To end the month on {target}, the remaining ~{n} answers need NPS {req}",
    },
    "report.focus.already_secured": {
        "zh": "本月目标 {target} 已稳",
        "en": "The month's target {target} is secured",
    },
    "report.focus.out_of_reach": {
        "zh": "本月目标 {target} 已无法达到：重点转向下月",
        "en": "The month's target {target} is out of reach: plan for next month",
    },
    "report.focus.no_target": {"zh": "本月未设 NPS 目标", "en": "No NPS target set for the month"},
    "report.focus.open": {
        "zh": "跟进 {n} 项未关闭的行动（见下）",
        "en": "Close the {n} open action{n:s} (below)",
    },
}
