"""Texts of the daily NPS board, the callback queue and the weekly report."""

TEXTS = {
    "board.title": {"zh": "每日 NPS 看板", "en": "Daily NPS board"},
    "board.store": {"zh": "门店 / 区域", "en": "Store / region"},
    "board.region": {"zh": "区域：{region}", "en": "Region: {region}"},
    "board.date": {"zh": "日期", "en": "Date"},
    "board.period": {"zh": "统计周期", "en": "Period"},
    "board.period.day": {"zh": "当天", "en": "Day"},
    "board.period.week": {"zh": "近 7 天", "en": "7 days to date"},
    "board.period.mtd": {"zh": "本月至今", "en": "Month to date"},
    "board.no_data": {
        "zh": "所选门店 / 区域还没有答卷。",
        "en": "No answers yet for this store / region.",
    },
    "board.tab.label": {"zh": "看板内容", "en": "Board section"},
    "board.tab.board": {"zh": "看板", "en": "Board"},
    "board.tab.callbacks": {"zh": "回访队列", "en": "Callback queue"},
    "board.tab.report": {"zh": "周报", "en": "Weekly report"},
    "board.range": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "board.no_answers": {
        "zh": "{range} 没有答卷：无 NPS（不是 0）。",
        "en": "No answers for {range}: no NPS (not zero).",
    },
    # headline: the three questions of the morning
    "board.head.day": {"zh": "{day} 当天 NPS", "en": "NPS on {day}"},
    "board.head.vs": {"zh": "{name}：{verdict}", "en": "{name}: {verdict}"},
    "board.head.mtd": {"zh": "本月至今 / 目标", "en": "Month to date / target"},
    "board.head.mtd_value": {"zh": "{nps} / {target}", "en": "{nps} / {target}"},
    "board.head.progress": {
        "zh": "从上月 {start} 到目标，已完成 {pct}",
        "en": "{pct} of the way from last month's {start}",
    },
    "board.head.progress_reached": {
        "zh": "从上月 {start} 起，已达到目标",
        "en": "target reached, from last month's {start}",
    },
    "board.head.progress_no_start": {
        "zh": "上月无数据，无从计算提升进度",
        "en": "no last month to measure progress from",
    },
    "board.head.progress_no_answers": {
        "zh": "本月还没有答卷，无从计算提升进度",
        "en": "no answers this month yet to measure progress",
    },
    "board.head.progress_below": {
        "zh": "低于上月 {start}（{diff}）",
        "en": "below last month's {start} ({diff})",
    },
    "board.head.progress_no_climb": {
        "zh": "目标不高于上月 {start}",
        "en": "the target is not above last month's {start}",
    },
    "board.head.needed": {
        "zh": "剩 {days} 天需 NPS {nps}",
        "en": "{days} day{days:s} left: NPS {nps} needed",
    },
    "board.head.chance": {"zh": "达标概率 {pct}", "en": "chance {pct}"},
    "board.head.month_hit": {
        "zh": "本月最后一天：已达标",
        "en": "last day of the month: on target",
    },
    "board.head.month_missed": {
        "zh": "本月最后一天：未达标",
        "en": "last day of the month: below target",
    },
    "board.head.due": {"zh": "现在该回访", "en": "Callbacks due now"},
    # an earlier day's board counts them at that day's end, not now
    "board.head.due_then": {"zh": "当日结束时该回访", "en": "Callbacks due at the day's end"},
    "board.head.due_line": {
        "zh": "超时 {overdue}（贬损者 {dets}）· 24 小时内到期 {today} · 待回访共 {open}",
        # one line on a phone: the queue's button stays on the first screen
        "en": "{overdue} overdue ({dets} detractor{dets:s}) · {today} due in 24\u00a0h ·"
        " {open} open",
    },
    "board.head.due_asof": {
        "zh": "回看往日：按当日结束 {now} 计。",
        "en": "Looking back: counted as of that day's end, {now}.",
    },
    "board.head.due_stale": {
        "zh": "按数据最后一天 {now} 计",
        "en": "as of {now}, the data's last day",
    },
    "board.head.open_queue": {"zh": "打开回访队列", "en": "Open the callback queue"},
    "board.help.nps": {
        "zh": "NPS = 推荐者（9-10 分）占比 − 贬损者（0-6 分）占比，范围 −100 到 100。",
        "en": "NPS = share of promoters (9-10) minus share of detractors (0-6), from -100 to 100.",
    },
    "board.help.due": {
        "zh": "已超时（过了期限仍未回访）加上 24 小时内到期的待回访。期限：贬损者 24 小时、"
        "中立者 3 天、推荐者 7 天。",
        "en": "Overdue (past the deadline, no callback made) plus open callbacks due within"
        " 24 h. Deadlines: detractors 24 h, passives 3 days, promoters 7 days.",
    },
    "board.help.prob": {
        "zh": "假设剩余天数的答卷与本月至今的结构相同，月底 NPS 达到目标的可能性。",
        "en": "How likely the month ends on target if the remaining answers look like"
        " this month's so far.",
    },
    "board.help.prob_ended": {
        "zh": "本月最后一天没有剩余天数：显示本月至今 NPS 是否达到目标，不再是概率。",
        "en": "The month's last day leaves no days: whether the month to date's NPS is on"
        " target, no longer a chance.",
    },
    "board.help.overdue": {
        "zh": "所选日期前 {days} 天内（回访队列的范围，不只本月）过了 24 小时期限、截至所选日期"
        "仍未回访的贬损者（已联系、已解决或无法联系的不算）。",
        "en": "Detractors of the {days} days to the chosen date (the callback queue's window,"
        " not only this month) past their 24 h deadline and not contacted as of that date"
        " (contacted, resolved or unreachable ones do not count).",
    },
    # KPI strip
    "board.kpi.header": {"zh": "{period}：{range}", "en": "{period}: {range}"},
    "board.kpi.n": {"zh": "答卷数", "en": "Answers"},
    "board.kpi.nps": {"zh": "NPS", "en": "NPS"},
    "board.kpi.promoters": {"zh": "推荐者", "en": "Promoters"},
    "board.kpi.passives": {"zh": "中立者", "en": "Passives"},
    "board.kpi.detractors": {"zh": "贬损者", "en": "Detractors"},
    "board.kpi.interval": {
        "zh": "95% 区间 {low} ~ {high}：按这么多答卷，真实 NPS 大概率在此范围内",
        "en": "95% interval {low} to {high}: with this many answers, the true NPS is very"
        " likely in this range",
    },
    "board.kpi.low_n": {
        "zh": "样本偏少（n < {n}），数字波动大。",
        "en": "Low sample (n < {n}): the figure moves a lot by chance.",
    },
    "board.kpi.too_few": {
        "zh": "样本过少（n < {n}），不做比较和排名。",
        "en": "Too few answers (n < {n}): not compared or ranked.",
    },
    "board.cmp.yesterday": {"zh": "比昨天", "en": "vs yesterday"},
    "board.cmp.last_week": {"zh": "比上周同一天", "en": "vs same weekday last week"},
    "board.cmp.prev_week": {"zh": "比前 7 天", "en": "vs the 7 days before"},
    "board.cmp.prev_month": {"zh": "比上月同期", "en": "vs the same days last month"},
    "board.cmp.line": {
        "zh": "**{name}**（{range}）：NPS {nps}（样本 {n}），变化 {diff}，**{verdict}**{p}",
        "en": "**{name}** ({range}): NPS {nps} (n = {n}), change {diff}: **{verdict}**{p}",
    },
    "board.cmp.p": {"zh": "（p {p}）", "en": " (p {p})"},
    "board.verdict.real": {"zh": "真实变化", "en": "real change"},
    "board.verdict.noise": {"zh": "在正常波动内", "en": "within noise"},
    "board.verdict.not_compared": {"zh": "样本过少，不比较", "en": "too few to compare"},
    "board.verdict.no_data": {"zh": "无数据，不比较", "en": "no data to compare"},
    # month to date
    "board.mtd.header": {"zh": "本月至今（{month}）", "en": "Month to date ({month})"},
    "board.mtd.nps": {"zh": "本月 NPS", "en": "MTD NPS"},
    "board.mtd.target": {"zh": "月度目标", "en": "Monthly target"},
    "board.mtd.no_target": {"zh": "未设目标", "en": "no target"},
    "board.mtd.progress": {"zh": "从上月到目标的进度", "en": "Progress to target"},
    "board.help.progress": {
        "zh": "从上月 NPS 到本月目标这段路已走完多少：(本月至今 − 上月) ÷ (目标 − 上月)。"
        "超过 100% 表示本月至今已高于目标。",
        "en": "How much of the way from last month's NPS to this month's target is done:"
        " (month to date − last month) ÷ (target − last month). Over 100% means the month"
        " so far is above the target.",
    },
    "board.mtd.progress_below": {"zh": "低于上月", "en": "below last month"},
    "board.mtd.progress_line": {
        "zh": "{nps} / 目标 {target}，{progress}",
        "en": "{nps} against the target {target}, {progress}",
    },
    "board.mtd.days_left": {"zh": "本月剩余天数", "en": "Days left"},
    "board.mtd.required": {"zh": "剩余天数需达到的 NPS", "en": "NPS needed on the remaining days"},
    "board.mtd.no_days_left": {"zh": "无剩余天数", "en": "no days left"},
    "board.mtd.required_help": {
        "zh": "预计还有 {n} 份答卷（近 28 天日均 {per_day} × 剩余 {days} 天）。",
        "en": "About {n} more answers expected (last 28 days' {per_day} a day × {days} day{days:s}).",
    },
    "board.pace.already_secured": {"zh": "目标已稳", "en": "already secured"},
    "board.pace.out_of_reach": {"zh": "已无法达到", "en": "out of reach"},
    "board.mtd.prob": {"zh": "按当前水平达标概率", "en": "Chance of ending on target"},
    # the month's last day: the month's outcome in the chance's place (it is 0 or 100 %),
    # short: "month ended below target" was cut in a phone's metric
    "board.mtd.month_hit": {"zh": "本月已达标", "en": "target met"},
    "board.mtd.month_missed": {"zh": "本月未达标", "en": "target missed"},
    # a month to date of fewer than stats.LOW_N answers: no chance read from it
    "board.chance_thin": {"zh": "—（本月答卷不足 {low} 份）", "en": "— (under {low} answers)"},
    "board.chance_thin_line": {
        "zh": "本月答卷不足 {low} 份：暂不估算达标概率",
        "en": "Under {low} answers this month: no chance of ending on target read yet",
    },
    # the queue's window (followups.QUEUE_WINDOW_DAYS), under the month's figures: it says so
    "board.mtd.overdue": {
        "zh": "超时未回访的贬损者（近 {days} 天）",
        "en": "Overdue detractor callbacks ({days} days)",
    },
    # trend
    "board.trend.header": {"zh": "趋势", "en": "Trend"},
    "board.trend.none": {
        "zh": "本月和上月都没有答卷，画不出趋势。",
        "en": "No answers this month or last month, so there is no trend to draw.",
    },
    "board.trend.daily": {"zh": "每日 NPS", "en": "Daily NPS"},
    "board.trend.rolling": {"zh": "7 日滚动 NPS", "en": "7-day rolling NPS"},
    "board.trend.band": {"zh": "95% 区间", "en": "95% band"},
    "board.trend.target": {"zh": "月度目标", "en": "Monthly target"},
    "board.trend.milestone": {"zh": "周里程碑", "en": "Weekly milestone"},
    "board.trend.date": {"zh": "日期", "en": "Date"},
    "board.trend.n": {"zh": "样本", "en": "n"},
    "board.trend.plan": {"zh": "周里程碑取自改进计划", "en": "Weekly milestones from the plan"},
    "board.trend.plan_none": {
        "zh": "（不选：用月度目标里的里程碑）",
        "en": "(none: the monthly target's milestones)",
    },
    # targets
    "board.target.header": {"zh": "设置月度目标", "en": "Set the monthly target"},
    "board.target.value": {"zh": "{month} NPS 目标", "en": "NPS target for {month}"},
    "board.target.milestones": {
        "zh": "周里程碑（可选，如 2: 74, 3: 76）",
        "en": "Weekly milestones (optional, e.g. 2: 74, 3: 76)",
    },
    "board.target.save": {"zh": "保存目标", "en": "Save target"},
    "board.target.for_all": {
        "zh": "选择“全部门店”时保存的是所有门店的通用目标。",
        "en": "With 'all stores' chosen, this saves the default target for every store.",
    },
    "board.target.region": {
        "zh": "目标按门店设置（或在“全部门店”下设置通用目标），区域不能单独设置。",
        "en": "Targets are set per store (or as the default under 'all stores'), not per region.",
    },
    "board.target.missing": {"zh": "请填写目标值。", "en": "Enter a target value."},
    "board.date_unreadable": {
        "zh": "链接里的日期 {date} 不是 2025-10-15 这样的日期，未采用；下面是 {shown} 的看板。",
        "en": "The link's date {date} is not a date like 2025-10-15 and was not used; below"
        " is the board of {shown}.",
    },
    "board.date_outside": {
        "zh": "链接里的日期 {date} 不在数据范围内（{first} 至 {last}），未采用。",
        "en": "The link's date {date} is outside the data ({first} to {last}) and was not used.",
    },
    "board.target.bad": {"zh": "无法保存：{error}", "en": "Cannot save: {error}"},
    "board.target.ms_unreadable": {
        "zh": "读不懂里程碑“{part}”，请写成“周: NPS”，如 2: 74, 3: 76",
        "en": "the milestone '{part}' cannot be read; write week: NPS, as in 2: 74, 3: 76",
    },
    "board.target.ms_range": {
        "zh": "里程碑“{part}”超出范围：周为 1 到 5，NPS 为 -100 到 100",
        "en": "the milestone '{part}' is out of range: weeks 1 to 5, NPS -100 to 100",
    },
    # regional view
    "board.rank.header": {
        "zh": "门店排名（本月至今 NPS）",
        "en": "Stores ranked by month-to-date NPS",
    },
    "board.rank.link": {"zh": "{rank}. {store} · NPS {nps}", "en": "{rank}. {store} · NPS {nps}"},
    "board.rank.detail": {
        "zh": "（{low} ~ {high}），样本 {n}{flag}",
        "en": "({low} to {high}), n = {n}{flag}",
    },
    "board.rank.low": {"zh": " ⚠ 样本偏少", "en": " ⚠ low sample"},
    "board.rank.vs_target": {
        "zh": " · 目标 {target}（{diff}）",
        "en": " · target {target} ({diff})",
    },
    "board.rank.col.target": {"zh": "目标", "en": "Target"},
    "board.rank.col.vs_target": {"zh": "与目标差", "en": "vs target"},
    "board.rank.unranked": {
        "zh": "样本不足 {n}，不排名",
        "en": "Fewer than {n} answers: not ranked",
    },
    "board.rank.gap": {
        "zh": "…… 中间还有 {n} 家门店，见下方完整排名",
        "en": "… {n} more store{n:s} in between: the whole ranking is below",
    },
    "board.rank.all": {"zh": "完整排名（{n} 家门店）", "en": "The whole ranking ({n} stores)"},
    "board.rank.col.rank": {"zh": "名次", "en": "Rank"},
    "board.rank.col.store": {"zh": "门店", "en": "Store"},
    "board.rank.col.nps": {"zh": "NPS", "en": "NPS"},
    "board.rank.col.low": {"zh": "区间下限", "en": "Interval low"},
    "board.rank.col.high": {"zh": "区间上限", "en": "Interval high"},
    "board.rank.col.n": {"zh": "样本", "en": "n"},
    "board.rank.unranked_row": {
        "zh": "— {store}：样本 {n}",
        "en": "— {store}: n = {n}",
    },
    "board.alerts.header": {"zh": "晨间提醒", "en": "Morning alerts"},
    "board.alerts.more": {
        "zh": "另有 {n} 家门店有超时未回访的贬损者",
        "en": "{n} more store{n:s} with overdue detractor callbacks",
    },
    "board.alerts.none": {"zh": "今天没有提醒。", "en": "No alerts this morning."},
    "board.alerts.col.overdue": {"zh": "超时未回访", "en": "Overdue"},
    "board.alerts.drop": {
        "zh": "{store}：近 7 天 NPS {now}（样本 {n}），低于此前 8 周的 {before}（样本 {n0}），"
        "下降 {drop} 分，超出正常波动（已按同时检验的门店数校正，q {p}）。",
        "en": "{store}: last 7 days NPS {now} (n = {n}) below the previous 8 weeks' {before}"
        " (n = {n0}), down {drop} points, beyond noise (corrected for testing every store, q {p}).",
    },
    "board.alerts.silent": {
        "zh": "{store}：{date} 没有答卷，最近一天有答卷是 {latest}（到那天为止的 7 天中 {days} 天有答卷）："
        "数据可能没有按时上传，本页的数字里没有它此后的答卷。",
        "en": "{store}: no answers on {date}, the latest on {latest} (answers on {days} of the 7"
        " days up to it): its uploads may have stopped, and this page's figures lack its"
        " answers since.",
    },
    "board.stores_within": {
        "zh": "{stores}（{regions}区域内）",
        "en": "{stores} (within {regions})",
    },
    "board.store_stopped": {
        "zh": "本店的答卷到 {latest} 为止，而数据已到 {last}：本店的数据可能没有按时上传。",
        "en": "This store's answers stop on {latest}, while the data runs to {last}: its uploads"
        " may have stopped.",
    },
    "board.scope_stopped": {
        "zh": "所选门店的答卷到 {latest} 为止，而数据已到 {last}：数据可能没有按时上传。",
        "en": "The answers of the stores picked stop on {latest}, while the data runs to"
        " {last}: their uploads may have stopped.",
    },
    "board.alerts.silent_more": {
        "zh": "另有 {n} 家门店 {date} 没有答卷：{stores}",
        "en": "{n} more store{n:s} without answers on {date}: {stores}",
    },
    "board.alerts.overdue": {
        "zh": "{store}：{k} 位贬损者超过 24 小时未回访。",
        "en": "{store}: {k} detractor{k:s} not called back within 24 h.",
    },
    # callback queue
    "board.cb.clock": {
        "zh": "截至 {now}，显示近 {days} 天的答卷。期限：贬损者 24 小时、中立者 3 天、推荐者 7 天。"
        "超时 = 过了期限仍未回访（已联系、已解决或无法联系的不算）。",
        "en": "As of {now}, answers of the last {days} days. Deadlines: detractors 24 h,"
        " passives 3 days, promoters 7 days. Overdue = past the deadline, no callback made"
        " (contacted, resolved or unreachable ones do not count).",
    },
    "board.cb.stale": {
        "zh": "数据最后一条答卷在 {latest}，距今超过 2 天（演示或旧数据），"
        "所以队列以该日结束时 {now} 作为“现在”。",
        "en": "The latest answer is from {latest}, more than 2 days ago (demo or stale data),"
        " so the queue uses the end of that day, {now}, as 'now'.",
    },
    "board.cb.show_closed": {"zh": "显示已解决 / 无法联系", "en": "Show resolved / unreachable"},
    "board.cb.only_detractors": {"zh": "只看贬损者", "en": "Detractors only"},
    "board.cb.counts_contacted": {
        "zh": "队列 {n} 条：待回访 {open} 条，已联系 {rest} 条；超时 {overdue} 条。",
        "en": "{n} in the queue: {open} still to call, {rest} contacted; {overdue} overdue.",
    },
    "board.cb.counts": {
        "zh": "队列 {n} 条：待回访 {open} 条，已联系或已结束 {rest} 条；超时 {overdue} 条。",
        "en": "{n} in the queue: {open} still to call, {rest} contacted or closed;"
        " {overdue} overdue.",
    },
    "board.cb.empty": {"zh": "队列为空：没有待处理的回访。", "en": "The queue is empty."},
    "board.cb.export": {
        "zh": "导出队列（CSV，电话已脱敏）",
        "en": "Export the queue (CSV, phones masked)",
    },
    "board.cb.act": {"zh": "处理一条回访", "en": "Act on a callback"},
    "board.cb.pick": {"zh": "答卷", "en": "Answer"},
    "board.cb.status": {"zh": "状态", "en": "Status"},
    "board.cb.owner": {"zh": "负责人", "en": "Owner"},
    "board.cb.note": {"zh": "备注", "en": "Note"},
    "board.cb.root": {"zh": "根本原因（解决时必填）", "en": "Root cause (needed to resolve)"},
    "board.cb.root_none": {"zh": "—", "en": "—"},
    "board.cb.save": {"zh": "保存", "en": "Save"},
    "board.cb.draft_kept": {
        "zh": "尚未保存：之前为这条答卷填写的负责人、原因或备注仍在框里，点“保存”才会记下。",
        "en": "Not saved yet: what was typed for this answer (owner, reason or note) is still"
        " in the boxes; Save keeps it.",
    },
    "board.cb.left_queue": {
        "zh": "它已关闭，离开了队列；下面的表单现在是下一条答卷。",
        "en": "It is closed and has left the queue; the form below now shows the next answer.",
    },
    "board.cb.saved": {
        "zh": "已保存：{id} → {status}（{user}）。",
        "en": "Saved: {id} → {status} (by {user}).",
    },
    # a card's one-tap button: the customer as the card shows them (a card has no id)
    "board.cb.saved_card": {
        "zh": "已保存：{score} 分 · {at} · 电话 {phone} → {status}（{user}）。",
        "en": "Saved: score {score} · {at} · phone {phone} → {status} (by {user}).",
    },
    "board.cb.unchanged": {
        "zh": "{id} 没有改动，未重复保存。",
        "en": "{id} is already as given; nothing was saved again.",
    },
    "board.cb.double_tap": {
        "zh": "未保存：{score} 分 · {at} · 电话 {phone}。刚刚已标记上一位客户，这一下像是连按；"
        "确要标记这位客户，请再点一次。",
        "en": "Not saved: score {score} · {at} · phone {phone}. You had just marked the customer"
        " before; this looked like a double tap. To mark this customer, tap again.",
    },
    "board.cb.undo": {
        "zh": "撤销：{score} 分 · {at} · 电话 {phone} → {status}",
        "en": "Undo: score {score} · {at} · phone {phone} → {status}",
    },
    "board.cb.undone": {
        "zh": "已撤销：{score} 分 · {at} · 电话 {phone} 恢复为 {status}。",
        "en": "Undone: score {score} · {at} · phone {phone} is back to {status}.",
    },
    "board.cb.undo_changed": {
        "zh": "未撤销：这条回访在你点按之后已被修改，保留最新的处理。",
        "en": "Not undone: the callback was changed after your tap; its latest state is kept.",
    },
    "board.cb.need_root": {
        "zh": "标记为“已解决”前请选择根本原因。",
        "en": "Choose a root cause before marking it resolved.",
    },
    "board.cb.last_change": {
        "zh": "上次修改：{by}，{at}",
        "en": "Last change: {by}, {at}",
    },
    "board.cb.pick_label": {
        "zh": "{id} · {score} 分 · {at} · {left}",
        "en": "{id} · score {score} · {at} · {left}",
    },
    "board.cb.span_h": {"zh": "{h} 小时", "en": "{h} h"},
    "board.cb.span_dh": {"zh": "{d} 天 {h} 小时", "en": "{d} d {h} h"},
    "board.cb.left": {"zh": "剩 {span}", "en": "{span} left"},
    "board.cb.overdue": {"zh": "已超时 {span}", "en": "overdue {span}"},
    "board.cb.col.response_id": {"zh": "答卷编号", "en": "Answer"},
    "board.cb.col.store_id": {"zh": "门店", "en": "Store"},
    "board.cb.col.responded_at": {"zh": "提交时间", "en": "Answered"},
    "board.cb.col.nps": {"zh": "推荐分", "en": "Score"},
    "board.cb.col.segment": {"zh": "NPS 类别", "en": "Segment"},
    "board.cb.col.time_left": {"zh": "剩余 / 超时", "en": "Time left / overdue"},
    "board.cb.col.status": {"zh": "状态", "en": "Status"},
    "board.cb.col.key_touchpoint": {"zh": "关键触点", "en": "Touchpoint"},
    "board.cb.col.pain_point": {"zh": "痛点", "en": "Pain point"},
    "board.cb.reason_from_comment": {"zh": "（据留言）", "en": " (from the comment)"},
    "board.cb.col.comment": {"zh": "评价", "en": "Comment"},
    "board.cb.col.advisor": {"zh": "服务顾问", "en": "Advisor"},
    "board.cb.col.phone": {"zh": "电话", "en": "Phone"},
    "board.cb.col.owner": {"zh": "负责人", "en": "Owner"},
    "board.cb.col.note": {"zh": "备注", "en": "Note"},
    "board.status.open": {"zh": "待回访", "en": "open"},
    "board.status.contacted": {"zh": "已联系", "en": "contacted"},
    "board.status.resolved": {"zh": "已解决", "en": "resolved"},
    "board.status.unreachable": {"zh": "无法联系", "en": "unreachable"},
    # weekly report
    "board.report.download_md": {"zh": "下载周报（Markdown）", "en": "Download report (Markdown)"},
    "board.report.download_csv": {"zh": "下载周报（CSV）", "en": "Download report (CSV)"},
    "board.report.download_txt": {"zh": "下载周报（纯文字）", "en": "Download report (text)"},
    "board.report.download_stores": {
        "zh": "下载各门店本周（CSV）",
        "en": "Download each store's week (CSV)",
    },
    "board.report.paste": {
        "zh": "复制到微信或邮件的文字",
        "en": "Text to paste into WeChat or an e-mail",
    },
    "board.report.paste_help": {
        "zh": "文字框右上角的按钮复制全文（手机上先点一下文字框，按钮才出现）；"
        "微信和邮件不认 Markdown 的符号，这里没有。",
        "en": "The button at the text's top right copies it all (on a phone, tap the text"
        " first to show it); chats and e-mails show Markdown's marks as typed, and this"
        " text has none.",
    },
    "board.report.title": {
        "zh": "{store} 周报（{start} 至 {end}）",
        "en": "{store} weekly report: {start} to {end}",
    },
    "board.report.store": {"zh": "门店 / 区域", "en": "Store / region"},
    "board.report.week": {"zh": "周期", "en": "Week"},
    "board.report.col_item": {"zh": "项目", "en": "Item"},
    "board.report.col_value": {"zh": "数值", "en": "Value"},
    "board.report.nps_week": {"zh": "本周 NPS", "en": "NPS this week"},
    "board.report.n_week": {"zh": "本周答卷数", "en": "Answers this week"},
    "board.report.counts": {
        "zh": "推荐者 / 中立者 / 贬损者",
        "en": "Promoters / passives / detractors",
    },
    # each comparison names its days: the week before is always seven, this week up to
    # the board's day may be fewer
    "board.report.nps_prev": {
        "zh": "上周 NPS（{start} 至 {end}）",
        "en": "NPS the week before ({start} to {end})",
    },
    "board.report.change": {"zh": "变化", "en": "Change"},
    "board.report.change_verdict": {"zh": "变化判断", "en": "Real change or noise"},
    "board.report.promoters": {"zh": "推荐者占比", "en": "Promoter share"},
    "board.report.promoter_target": {
        # what it is for, in a manager's words ('= NPS 目标 + 贬损者警戒线 10%' read as a
        # formula to decode)
        "zh": "推荐者占比目标（贬损者压在 10% 以内时，达到 NPS 目标所需）",
        "en": "Promoter share needed for the NPS target with detractors held to 10%",
    },
    "board.report.detractors": {"zh": "贬损者占比", "en": "Detractor share"},
    "board.report.detractor_line": {"zh": "贬损者警戒线", "en": "Detractor line"},
    "board.report.reason_n": {"zh": "贬损原因第 {i}", "en": "Detractor reason #{i}"},
    "board.report.reason_tied": {"zh": "贬损原因并列第 {i}", "en": "Detractor reason #{i}, tied"},
    # counted as 'other' in the reasons ranking: said so in the list too
    "board.report.no_reason": {"zh": "其他（未填写原因）", "en": "other (none given)"},
    # this week's detractors: pasted into a chat, "overdue, not done: 76" read against the
    # board's and the digest's 134 overdue detractors of the last 14 days
    "board.report.cb_on_time": {
        "zh": "本周贬损者：已按时回访",
        "en": "This week's detractors called back on time",
    },
    "board.report.cb_late": {
        "zh": "本周贬损者：已回访，但晚于时限",
        "en": "This week's detractors called back late",
    },
    "board.report.cb_unreachable": {
        "zh": "本周贬损者：已尝试回访，无法联系",
        "en": "This week's detractors tried, not reached",
    },
    "board.report.cb_overdue": {
        "zh": "本周贬损者：已超时，仍未回访",
        "en": "This week's detractors overdue, not called back",
    },
    "board.report.cb_pending": {
        "zh": "本周贬损者：未到期，待回访",
        "en": "This week's detractors not yet due",
    },
    # not the status 'open' (still to call): a contacted detractor's action is not closed
    "board.report.open_actions": {"zh": "未关闭的行动项", "en": "Actions not yet closed"},
    "board.report.score": {"zh": "{score} 分", "en": "score {score}"},
    "board.report.none": {"zh": "无。", "en": "None."},
    # the page's and the copied text's lists stop at 20; the downloaded files list all
    "board.report.more_in_files": {
        "zh": "……另有 {n} 条（下载的 Markdown 或文本报告列出全部）",
        "en": "… and {n} more (the downloaded Markdown or text report lists all)",
    },
    # callback cards
    "board.cb.view": {"zh": "显示方式", "en": "Show as"},
    "board.cb.view.cards": {"zh": "卡片", "en": "Cards"},
    "board.cb.view.table": {"zh": "表格", "en": "Table"},
    "board.cb.segment.promoter": {"zh": "推荐者", "en": "Promoter"},
    "board.cb.segment.passive": {"zh": "中立者", "en": "Passive"},
    "board.cb.segment.detractor": {"zh": "贬损者", "en": "Detractor"},
    "board.cb.card_head": {
        "zh": "{score} 分 · {segment} · {due}",
        "en": "Score {score} · {segment} · {due}",
    },
    "board.cb.card_meta": {
        "zh": "{at} · {store} · 电话 {phone} · 顾问 {advisor}",
        "en": "{at} · {store} · phone {phone} · advisor {advisor}",
    },
    "board.cb.card_reason": {"zh": "原因：{reason}", "en": "Reason: {reason}"},
    "board.cb.comment_cut": {
        "zh": "留言共 {n} 字，这里显示前 {shown} 字；回访队列的 CSV 有全文。",
        "en": "The comment has {n} characters; the first {shown} are shown here. The"
        " queue's CSV holds all of it.",
    },
    "board.cb.mark": {"zh": "标为{status}", "en": "Mark {status}"},
    "board.cb.details": {"zh": "详细处理", "en": "Details"},
    "board.cb.shown": {
        "zh": "显示最紧急的 {k} 条，共 {n} 条。",
        "en": "The {k} most urgent of {n} shown.",
    },
    "board.cb.more": {"zh": "再显示 {k} 条", "en": "Show {k} more"},
    "board.cb.listed": {
        "zh": "页面列出最紧急的 {k} 条，共 {n} 条；导出文件包含全部。",
        "en": "The page lists the {k} most urgent of {n}; the export holds them all.",
    },
    "board.cb.past": {
        "zh": "这是 {now} 时的回访队列：只列出此前的答卷，状态为当时的状态，这里不能修改。",
        "en": "The callback queue as it stood at {now}: answers up to then, each with its"
        " state at that time; nothing can be changed here.",
    },
    "board.cb.to_latest": {
        "zh": "回到最新日期（{day}）处理",
        "en": "Go to the latest day ({day}) to act",
    },
}
