"""Texts of the What-if planner page (keys ``plan.``)."""

TEXTS = {
    "plan.title": {"zh": "改进计划模拟器", "en": "What-if planner"},
    "plan.projector": {
        "zh": "投影模式（大字、无筛选）",
        "en": "Projector view (large, no filters)",
    },
    "plan.setup": {
        "zh": "方案来源：预设 / 门店 / 基准期",
        "en": "Plan source: preset / store / period",
    },
    "plan.preset": {"zh": "预设", "en": "Preset"},
    # the budget as the rest of the page writes it ("4.5万元" and "¥45k" sat above "¥45,000")
    "plan.preset.classic_30day": {
        "zh": "经典30天：72 → 77，4个项目，¥45,000",
        "en": "Classic 30 days: 72 → 77, 4 projects, ¥45,000",
    },
    "plan.preset.class_68_73": {
        "zh": "课堂练习：68 → 73，¥45,000",
        "en": "Class exercise: 68 → 73, ¥45,000",
    },
    "plan.preset.my_store": {
        "zh": "我的门店（基准取自数据）",
        "en": "My store (baseline from the data)",
    },
    "plan.goal_from_target": {
        "zh": "目标 {goal}：{month} 的门店目标。",
        "en": "Goal {goal}: the store's target for {month}.",
    },
    "plan.goal_changed": {
        "zh": "目标 {goal}：在此改动（{month} 原定 {own}）。",
        "en": "Goal {goal}: changed here ({month} started from {own}).",
    },
    "plan.goal_from_baseline": {
        "zh": "目标 {goal}：{month} 尚未设目标，取基准 NPS {nps} 取整后加 5（可在下方修改）。",
        "en": "Goal {goal}: {month} has no target yet, so the baseline NPS {nps} rounded,"
        " plus 5 (change it below).",
    },
    "plan.one_store": {
        "zh": "计划按单个门店模拟：侧栏所选（{chosen}）共 {n} 家门店，这里模拟其中的 {store}；"
        "可在上方换一家门店。",
        "en": "The planner plans one store: the sidebar's choice ({chosen}) has {n} stores,"
        " and this plans {store}, one of them; pick another above.",
    },
    "plan.preset_baseline": {
        "zh": "这个预设的基准（NPS、答卷数、痛点）是课堂用的固定值；所选门店和月份只用于下方的"
        "“数据说话”和“跟踪”。要用门店自己的基准，请选“我的门店”预设。",
        "en": "This preset's baseline (NPS, answers, pain points) is fixed for the class; the"
        " store and month picked here feed only 'From the data' and 'Tracking' below. For"
        " the store's own baseline, pick the 'My store' preset.",
    },
    "plan.loaded_baseline": {
        "zh": "页面上是载入的方案“{name}”，基准和项目都是它自己的；所选门店和月份只用于下方的"
        "“数据说话”和“跟踪”。换一个预设会从那个预设重新开始。",
        "en": "On the page: the scenario “{name}” as loaded, with its own baseline and"
        " projects; the store and month picked here feed only 'From the data' and"
        " 'Tracking' below. Picking another preset starts again from that preset.",
    },
    "plan.store": {"zh": "门店", "en": "Store"},
    "plan.period": {"zh": "基准期（月）", "en": "Baseline period (month)"},
    "plan.no_store_answers": {
        "zh": "该门店还没有答卷，保留当前方案。",
        "en": "This store has no answers yet; the current plan is kept.",
    },
    "plan.no_store_data": {
        "zh": "该门店在所选月份没有答卷，保留当前方案。",
        "en": "This store has no answers in the chosen month; the current plan is kept.",
    },
    "plan.baseline": {"zh": "基准（可手动修改）", "en": "Baseline (editable by hand)"},
    "plan.base_nps": {"zh": "基准 NPS", "en": "Baseline NPS"},
    "plan.n_expected": {"zh": "计划月预计答卷数", "en": "Answers expected in the plan month"},
    "plan.baseline_note": {
        "zh": "修改基准 NPS 后，推荐者/中立者/贬损者按中立者16%推算。",
        "en": "After a change of the baseline NPS the promoter / passive / detractor mix is"
        " derived with passives at 16 %.",
    },
    "plan.goal": {"zh": "目标 NPS", "en": "NPS goal"},
    "plan.goal_short": {"zh": "目标", "en": "Goal"},
    "plan.budget": {"zh": "可用预算", "en": "Budget available"},  # its slider shows ¥
    "plan.table": {
        "zh": "项目表（可增删行、改名、改成本/痛点/起止日）",
        "en": "Project table (add, remove, rename; cost, pain point, start and end day)",
    },
    # the editor keeps a day within the plan by itself (an end day of 40 in a 30-day plan
    # became 30 without a word, where a start after the end is said): said under it
    "plan.table_days": {
        "zh": "开始日和结束日在第 1 到第 {days} 天之间：结束日填得比第 {days} 天晚时按第 {days} 天计，"
        "开始日填得比第 1 天早时按第 1 天计。",
        "en": "Start and end days run from day 1 to day {days}: an end day typed after day"
        " {days} is taken as day {days}, a start day before day 1 as day 1.",
    },
    "plan.on": {"zh": "启用", "en": "On"},
    "plan.new_project": {"zh": "新项目 {n}", "en": "New project {n}"},
    "plan.days": {"zh": "方案天数", "en": "Days of the plan"},
    "plan.err.number": {
        "zh": "{field}应为数字，现为“{got}”",
        "en": "{field} must be a number, not “{got}”",
    },
    "plan.err.whole": {
        "zh": "{field}应为整数，现为 {got}",
        "en": "{field} must be a whole number, not {got}",
    },
    "plan.err.other": {
        "zh": "内容不符合本页方案的格式（{detail}）",
        "en": "it does not hold a scenario as this page writes one ({detail})",
    },
    "plan.base_out_of_range": {
        "zh": "基准 NPS 应在 -100 到 100 之间，现为 {got}：下面仍按 {nps} 计算。",
        "en": "The baseline NPS must be between -100 and 100, not {got}: the plan below still"
        " starts from {nps}.",
    },
    "plan.n_out_of_range": {
        "zh": "预计答卷数应在 1 到 1,000,000 之间，现为 {got}：下面仍按 {n} 份计算。",
        "en": "The answers expected must be between 1 and 1,000,000, not {got}: the plan below"
        " still counts {n}.",
    },
    "plan.mtd_out_of_range": {
        "zh": "累计 NPS 应在 -100 到 100 之间，现为 {got}：下面仍按 {nps} 计算。",
        "en": "The MTD NPS must be between -100 and 100, not {got}: the check below still"
        " uses {nps}.",
    },
    "plan.goal_out_of_range": {
        "zh": "目标 NPS 应在 -100 到 100 之间，现为 {got}：下面仍按 {goal} 计算。",
        "en": "The goal NPS must be between -100 and 100, not {got}: the plan below still"
        " works to {goal}.",
    },
    "plan.err.range": {
        "zh": "{field}应在 -100 到 100 之间，现为 {got}",
        "en": "{field} must be between -100 and 100, not {got}",
    },
    "plan.err.at_least": {
        "zh": "{field}至少为 {low}，现为 {got}",
        "en": "{field} must be at least {low}, not {got}",
    },
    # {button}: the download button's own label (it had named a "下载方案" button the page
    # does not have)
    "plan.err.missing": {
        "zh": "文件缺少方案的这些部分：{keys}（请用本页“{button}”得到的文件）",
        "en": "the file lacks these parts of a scenario: {keys} (use a file this page's"
        " “{button}” made)",
    },
    "plan.err.not_json": {
        "zh": "文件不是本页保存的方案（不是 JSON 格式）",
        "en": "the file is not a scenario this page saved (it is not JSON)",
    },
    # after "无法载入“地址中的计划”：", which names it: not named again
    "plan.err.not_token": {
        "zh": "链接可能不完整，请向发来链接的人要完整的链接",
        "en": "the link may be cut short; ask whoever sent it for the whole link",
    },
    "plan.err.too_many": {
        "zh": "方案最多 {most} 个项目，这里有 {n} 个",
        "en": "a plan holds at most {most} projects, not {n}",
    },
    "plan.too_many_rows": {
        "zh": "计划最多 {most} 个项目：表中 {n} 行，第 {most} 行之后的未计入。",
        "en": "A plan holds at most {most} projects: of the table's {n} rows, those after row"
        " {most} are left out.",
    },
    "plan.err.days_short": {
        "zh": "方案只有 {days} 天，至少需要 {need} 天（诊断周、改进项目和冲刺）",
        "en": "the plan has {days} days; it needs at least {need} (a diagnosis week, the"
        " projects and the sprint)",
    },
    "plan.err.cost": {
        "zh": "“{project}”的成本不能为负（{got}）",
        "en": "the cost of “{project}” cannot be negative ({got})",
    },
    "plan.err.start_end": {
        "zh": "“{project}”的开始日 {start} 应不早于第 1 天、不晚于结束日 {end}",
        "en": "“{project}” starts on day {start}: it must start on day 1 or later and"
        " no later than its end day {end}",
    },
    "plan.err.end_after": {
        "zh": "“{project}”的结束日 {end} 超出了方案的 {days} 天",
        "en": "“{project}” ends on day {end}, after the plan's {days} days",
    },
    "plan.err.lines_cost": {
        "zh": "“{project}”的预算明细合计 ¥{lines}，与项目成本 ¥{cost} 不符",
        "en": "the budget lines of “{project}” add up to ¥{lines}, not its cost ¥{cost}",
    },
    "plan.bad_row": {
        "zh": "第 {n} 个项目未计入：{msg}",
        "en": "Project {n} left out: {msg}",
    },
    # whole people, the nearest (halves up): "≈ 9.0 位…（或 4.5 位…）" had counted customers
    # in tenths
    "plan.customers": {
        "zh": "约 {n} 位贬损者转为中立（或约 {half} 位贬损者转为推荐者）",
        "en": "≈ {n} detractor{n:s} turned passive (or ≈ {half} detractor{half:s} turned promoter)",
    },
    "plan.beyond_credible": {
        "zh": "预测中有 {beyond} 分超出可信上限：同一痛点上的项目合计挽回的超过了该痛点的全部贬损者（见标 ⚠️ 的项目）。每个痛点按其上限计，本方案最多达到 {capped}。",
        "en": "{beyond} points of the projection are beyond credible: the projects on one pain point win back more than all its detractors (see those marked ⚠️). Counting each pain point up to its ceiling, the plan reaches at most {capped}.",
    },
    "plan.beyond_goal": {
        "zh": "这低于目标 {goal}：上方的达标概率是假设每个项目的效果都能实现时的概率。",
        "en": "That is below the goal of {goal}: the odds above assume every project's gain holds.",
    },
    "plan.beyond_credible_plan": {
        "zh": "预测中有 {beyond} 分超出可信上限：所有项目合计挽回的超过了全部贬损者（见标 ⚠️ 的项目）。按全部贬损者都转为中立计，本方案最多达到 {capped}。",
        "en": "{beyond} points of the projection are beyond credible: the projects together win back more than all the detractors there are (see those marked ⚠️). With every detractor won back, the plan reaches at most {capped}.",
    },
    "plan.not_credible_plan": {
        "zh": "不可信：所有项目合计超过全部贬损者",
        "en": "not credible: the projects together exceed all the detractors",
    },
    "plan.not_credible": {
        "zh": "不可信：针对该痛点的所有项目合计超过该痛点全部贬损者",
        "en": "not credible: the projects on this pain point together exceed all its detractors",
    },
    "plan.lines.title": {
        "zh": "预算明细：花钱买的每一项及其提升，以及各项目靠流程改进（零成本）带来的部分",
        "en": "Budget lines: what the money buys and the gain of each line,"
        " plus each project's zero-cost process part",
    },
    "plan.lines.line": {"zh": "预算项", "en": "Budget line"},
    "plan.lines.free": {"zh": "流程改进（免费）", "en": "Process change (free)"},
    "plan.pain.none": {"zh": "（未指定）", "en": "(none)"},
    "plan.col.name": {"zh": "项目（英文名/标识）", "en": "Project"},
    "plan.col.name_zh": {"zh": "中文名称", "en": "Chinese name"},
    "plan.col.project": {"zh": "项目", "en": "Project"},  # a project shown by its name
    "plan.col.pain_point": {"zh": "针对痛点", "en": "Pain point"},
    # the pain-point panel's rows are the detractors' own, not what a project targets
    "plan.col.det_pain": {"zh": "贬损者痛点", "en": "Detractors' pain point"},
    "plan.col.cost": {"zh": "成本（元）", "en": "Cost (¥)"},
    "plan.col.start": {"zh": "开始日", "en": "Start day"},
    "plan.col.end": {"zh": "结束日", "en": "End day"},
    "plan.col.owner": {"zh": "负责人", "en": "Owner"},
    "plan.col.on": {"zh": "启用", "en": "On"},
    "plan.col.gain": {"zh": "预期提升（分）", "en": "Expected gain (points)"},
    "plan.col.range": {"zh": "低–高", "en": "Low–high"},
    "plan.col.d2pa": {"zh": "贬损→中立（人）", "en": "Detractors → passive (people)"},
    "plan.col.d2p": {"zh": "贬损→推荐（人）", "en": "Detractors → promoter (people)"},
    "plan.col.max_gain": {"zh": "可信上限（分）", "en": "Credible maximum (points)"},
    "plan.col.credible": {"zh": "可信度", "en": "Credible"},
    "plan.col.quadrant": {"zh": "优先级", "en": "Priority"},
    "plan.col.detractors": {"zh": "贬损者", "en": "Detractors"},
    "plan.col.gain_at": {"zh": "转化{share}%后 NPS 提升", "en": "NPS gain at {share}%"},
    "plan.m.projected": {"zh": "预计 NPS", "en": "Projected NPS"},
    "plan.m.gap": {"zh": "距目标", "en": "Gap to goal"},
    "plan.m.above": {"zh": "高于目标", "en": "Above the goal by"},
    # each card's help says what it shows: the 'above' card's positive figure had read
    # 'goal − projected; ≤ 0 means met'
    "plan.m.gap_help": {
        "zh": "目标 − 预计；为 0 表示恰好达标",
        "en": "Goal − projected; 0 means the goal is just met",
    },
    "plan.m.above_help": {
        "zh": "预计 − 目标：预计高出目标的分数",
        "en": "Projected − goal: how far the projection is above the goal",
    },
    "plan.m.budget": {"zh": "已用预算 / 可用", "en": "Budget used / available"},
    # the whole gain, the free part in it, said in the label: a trainer quoting "¥9,000 a
    # point" for bought points (¥16,071 each in the classic preset) had only the '?' to go by
    "plan.m.cpp": {
        "zh": "每提升 1 分平均花费（含免费提升）",
        "en": "Spend per point (free gain included)",
    },
    "plan.m.cpp_help": {
        "zh": "已用预算 ÷ 全部提升（含免费的流程改进）",
        "en": "Budget used ÷ the whole gain (free process changes included)",
    },
    "plan.m.bought": {"zh": "花钱买的 / 免费的提升", "en": "Gain bought / free"},
    "plan.m.prob": {"zh": "达标概率", "en": "Odds of the goal"},
    "plan.odds": {
        "zh": "实测 NPS ≥ {goal} 的概率：**{prob}**（{words}）。模拟 {draws} 次（含项目效果不确定性与抽样误差），90% 区间 {p5} – {p95}。",
        "en": "P(measured NPS ≥ {goal}) = **{prob}** ({words}), from {draws} simulated months"
        " (project uncertainty plus sampling noise); 90% range {p5} – {p95}.",
    },
    "plan.big": {
        "zh": "预计 <b>{nps}</b> · 目标 {goal} · 达标概率 <b>{prob}</b>（{words}）",
        "en": "Projected <b>{nps}</b> · goal {goal} · odds <b>{prob}</b> ({words})",
    },
    "plan.few_answers": {
        "zh": "基准月只有 {n} 份答卷（少于 {low}）：起点 NPS 和下面的预测、达标概率都很不稳定，仅供参考。",
        "en": "The baseline month has only {n} answers (fewer than {low}): its NPS, the"
        " projection and the odds below are very uncertain.",
    },
    "plan.big_from": {
        "zh": "起点 NPS {base} · 这个方案花费 {used}（预算 {budget}）",
        "en": "From NPS {base} · this plan spends {used} (budget {budget})",
    },
    "plan.over_budget": {"zh": "超出预算 {over}！", "en": "Over budget by {over}!"},
    "plan.gap_note": {
        "zh": "启用的项目还不足以达到目标，见下方“预算内最佳组合”。",
        "en": "The enabled projects fall short of the goal; see the best plan below.",
    },
    "plan.goal_met_over_budget": {
        "zh": "按预期效果能达到目标，但超出预算：关掉一些项目或提高预算，或用下方“预算内最佳组合”。",
        "en": "At the expected gains the goal is met, but over budget: switch projects off,"
        " raise the budget, or apply the best plan within budget below.",
    },
    "plan.goal_met": {
        "zh": "按预期效果可以达到目标（仍需看达标概率）。",
        "en": "At the expected gains the goal is met (mind the odds).",
    },
    "plan.wf.base": {"zh": "基准", "en": "Baseline"},
    "plan.wf.total": {"zh": "预计", "en": "Projected"},
    "plan.hist.x": {"zh": "月末实测 NPS", "en": "Measured NPS at month end"},
    "plan.hist.y": {"zh": "占模拟次数", "en": "Share of simulations"},
    "plan.hist.hit": {"zh": "达标", "en": "Goal reached"},
    "plan.hist.miss": {"zh": "未达标", "en": "Goal missed"},
    "plan.h.plans": {"zh": "预算内最佳组合", "en": "Best plan within the budget"},
    "plan.h.projects": {
        "zh": "项目：客户数、可信度与优先级矩阵",
        "en": "Projects: customers, credibility and priority matrix",
    },
    "plan.h.pace": {
        "zh": "{days} 天节奏：甘特图与里程碑",
        "en": "{days}-day pace: Gantt and milestones",
    },
    "plan.h.scenarios": {"zh": "方案保存与分享", "en": "Save and share scenarios"},
    "plan.h.convert": {
        "zh": "数据说话：各痛点贬损者转化的价值",
        "en": "From the data: what converting detractors is worth",
    },
    # the store's own month against the store's own goal, not the plan above (it had said
    # "the plan worked" against 77 beside a plan aiming at 78)
    "plan.h.tracking": {
        "zh": "跟踪：门店实际累计 NPS 与本月目标路径",
        "en": "Tracking: the store's actual month-to-date NPS against its goal",
    },
    # a Chinese colon after the bold, not inside it: '**…：** x' left a space after '：'
    # (inside, CommonMark needs it to close the bold)
    "plan.best": {
        "zh": "**预算 {budget} 内提升最大**：{names}：{gain} 分，花费 {cost}",
        "en": "**Largest gain within {budget}:** {names}: {gain} points for {cost}",
    },
    "plan.set_beyond": {
        "zh": "其中 {excess} 分超出了贬损者所能提供的上限（可信度检查）：可信的提升最多 {gain} 分。",
        "en": "{excess} of these points are beyond what the detractors can give (the"
        " credibility check): at most {gain} points are credible.",
    },
    "plan.cheapest": {
        "zh": "**达到目标（需 {need}）最省钱的组合**：{names}：{gain} 分，花费 {cost}",
        "en": "**Cheapest set reaching the goal (needs {need}):** {names}: {gain} points for {cost}",
    },
    "plan.cheapest_over": {
        "zh": "**超出预算**：这组比预算 {budget} 多花 {over}。",
        "en": "**Over the budget:** this set costs {over} more than the budget of {budget}.",
    },
    "plan.cheapest_met": {
        "zh": "**基准 NPS {nps} 已达到目标 {goal}**：不需要任何项目。",
        "en": "**The baseline NPS {nps} already meets the goal {goal}:** no project is needed.",
    },
    "plan.cheapest_none": {
        # '。' outside the bold, which then closes without the space after it that read as
        # a stray one between the two Chinese sentences
        "zh": "**所有项目加起来也达不到目标（需 {need}）**。需要更多项目或更高的预期。",
        "en": "**Even all projects together fall short of the goal (needs {need}).**",
    },
    "plan.nothing": {"zh": "（无）", "en": "(none)"},
    "plan.apply": {"zh": "按此组合启用", "en": "Switch to this set"},
    "plan.applied": {"zh": "当前已是此组合", "en": "Already on"},
    "plan.q.quick_win": {"zh": "速赢项目", "en": "Quick wins"},
    "plan.q.strategic": {"zh": "战略项目", "en": "Strategic"},
    "plan.q.defer": {"zh": "暂缓", "en": "Defer"},
    "plan.q.reconsider": {"zh": "重新考虑", "en": "Reconsider"},
    "plan.q.note": {
        "zh": "分界线为各项目成本与提升的中位数：左上速赢（低成本高影响），右上战略，左下暂缓，右下重新考虑。",
        "en": "Cut lines at the median cost and gain: top left quick wins (low cost, high impact),"
        " top right strategic, bottom left defer, bottom right reconsider.",
    },
    "plan.day": {"zh": "第几天", "en": "Day"},
    "plan.planned_mtd": {"zh": "计划累计 NPS", "en": "Planned MTD NPS"},
    "plan.need_rest": {"zh": "剩余天数需达到的 NPS", "en": "NPS needed on the remaining days"},
    "plan.milestone": {"zh": "第 {day} 天 {nps}", "en": "day {day}: {nps}"},
    "plan.milestones": {"zh": "**里程碑**：{marks}", "en": "**Milestones:** {marks}"},
    "plan.path_vs_odds": {
        "zh": "上方的预计 NPS 与达标概率把全部提升算在整月每一份答卷上；这条路径让第 1–{w1} 天"
        "（诊断周）停在基准 {base}，所以之后的答卷要高于预计（最后一列），月末才能达到 {goal}。",
        "en": "The projection and the odds above count the whole gain on every answer of the"
        " month; this path keeps days 1–{w1} (the diagnosis week) at the baseline {base}, so"
        " the answers after them need more than the projection (the last column) to end the"
        " month on {goal}.",
    },
    "plan.d28_mtd": {
        "zh": "假设第 {day} 天累计 NPS 为",
        "en": "Suppose on day {day} the MTD NPS is",
    },
    "plan.d28.needed": {
        "zh": "第 {day} 天累计 {mtd}：最后约 {n} 份答卷需平均 NPS **{req}** 才能达到 {goal}。",
        "en": "Day {day} at {mtd}: the last ≈ {n} answers must average NPS **{req}** to end"
        " at {goal}.",
    },
    "plan.d28.keep": {
        "zh": "第 {day} 天累计 {mtd}，已高于目标：最后约 {n} 份答卷平均 NPS 不低于 **{req}**，"
        "即可保住 {goal}。",
        "en": "Day {day} at {mtd}, above the goal: the last ≈ {n} answers keep it at {goal}"
        " as long as they average NPS **{req}** or more.",
    },
    "plan.d28.already_secured": {
        "zh": "第 {day} 天累计 {mtd}：目标 {goal} 已基本锁定（剩余 {n} 份答卷）。",
        "en": "Day {day} at {mtd}: the goal {goal} is already secured ({n} answers left).",
    },
    "plan.d28.none_left": {
        "zh": "第 {day} 天累计 {mtd}：之后预计没有新答卷，到不了 {goal}。",
        "en": "Day {day} at {mtd}: no more answers are expected after it, so it stays short of {goal}.",
    },
    "plan.d28.out_of_reach": {
        "zh": "第 {day} 天累计 {mtd}：剩余 {n} 份答卷即使全是推荐者也到不了 {goal}（需 {req}）。",
        "en": "Day {day} at {mtd}: even all promoters in the last {n} answers cannot reach {goal}"
        " (would need {req}).",
    },
    "plan.scn.name": {"zh": "方案名称", "en": "Scenario name"},
    "plan.scn.save": {"zh": "保存到数据库", "en": "Save to the database"},
    "plan.scn.pick": {"zh": "已保存的方案", "en": "Saved scenarios"},
    "plan.scn.empty": {"zh": "还没有保存的方案", "en": "No saved scenario yet"},
    "plan.scn.load": {"zh": "载入", "en": "Load"},
    "plan.scn.delete": {"zh": "删除", "en": "Delete"},
    # {button}: the buttons' own labels (the replace had named a "保存" button; the page's
    # reads "保存到数据库")
    "plan.scn.delete_ask": {
        "zh": "再按一次“{button}”将从数据库删除方案“{name}”，所有人都将无法再载入它。",
        "en": "Press “{button}” again to remove the scenario “{name}” from the database for"
        " everyone.",
    },
    "plan.scn.deleted": {"zh": "已删除方案“{name}”。", "en": "Scenario “{name}” deleted."},
    "plan.scn.gone": {
        "zh": "方案“{name}”已不在数据库中（可能已被他人删除）。",
        "en": "The scenario “{name}” is no longer in the database (someone may have deleted it).",
    },
    "plan.scn.download": {"zh": "下载 JSON", "en": "Download JSON"},
    "plan.scn.upload": {"zh": "上传 JSON 方案", "en": "Upload a JSON scenario"},
    "plan.scn.saved": {"zh": "已保存方案“{name}”。", "en": "Scenario “{name}” saved."},
    "plan.scn.exists": {
        "zh": "已有名为“{name}”的方案。再按一次“{button}”将替换它，或换一个名称。",
        "en": "A scenario named “{name}” exists. Press “{button}” again to replace it, or"
        " give this one another name.",
    },
    "plan.scn.replaced": {
        "zh": "已替换方案“{name}”。",
        "en": "Scenario “{name}” replaced.",
    },
    "plan.scn.loaded": {"zh": "已载入方案“{name}”。", "en": "Scenario “{name}” loaded."},
    "plan.scn.none": {"zh": "请选择一个已保存的方案。", "en": "Pick a saved scenario first."},
    "plan.scn.need_name": {"zh": "请先填写方案名称。", "en": "Give the scenario a name first."},
    "plan.scn.bad": {
        "zh": "无法载入“{source}”：{msg}",
        "en": "Cannot load “{source}”: {msg}",
    },
    "plan.url.source": {"zh": "地址中的计划", "en": "the plan in the address"},
    "plan.url.note": {
        "zh": "浏览器地址栏随时带着当前计划：刷新页面不会丢失，把地址发给同事即可打开同一计划。",
        "en": "The browser's address always holds this plan: a reload keeps it, and the address"
        " sent to a colleague opens the same plan.",
    },
    "plan.url.other_store": {
        "zh": "链接中的门店方案是按 {store} 的数据做的：基准和目标仍是该门店的，不是这里所选门店的。",
        "en": "The store plan in this link was made from {store}'s answers: its baseline and"
        " goal are still that store's, not those of the store picked here.",
    },
    "plan.url.not_yours": {
        "zh": "链接中的门店方案是按 {store} 的数据做的，你无权查看该门店：未打开该方案，页面仍是你自己的计划。",
        "en": "The store plan in this link was made from {store}'s answers, which you may not"
        " see: it was not opened, and the plan here is still yours.",
    },
    "plan.url.not_yours_network": {
        "zh": "链接中的方案是按全网络的数据做的，你无权查看：未打开该方案，页面仍是你自己的计划。",
        "en": "The plan in this link was made from the whole network's answers, which you may"
        " not see: it was not opened, and the plan here is still yours.",
    },
    "plan.scn.not_yours_network": {
        "zh": "“{source}”中的方案是按全网络的数据做的，你无权查看：未载入，页面仍是你自己的计划。",
        "en": "The plan in “{source}” was made from the whole network's answers, which you may"
        " not see: it was not loaded, and the plan here is still yours.",
    },
    "plan.scn.not_yours": {
        "zh": "“{source}”中的方案是按 {store} 的数据做的，你无权查看：未载入，页面仍是你自己的计划。",
        "en": "The plan in “{source}” was made from {store}'s answers, which you may not see:"
        " it was not loaded, and the plan here is still yours.",
    },
    "plan.scn.not_utf8": {"zh": "文件不是 UTF-8 文本", "en": "the file is not UTF-8 text"},
    "plan.convert": {
        "zh": "假设转化该痛点贬损者的比例",
        "en": "Share of each pain point's detractors turned passive",
    },
    "plan.convert_none": {
        "zh": "{store} 在 {month} 没有贬损者，没有可转化的痛点。",
        "en": "{store} had no detractors in {month}, so there are no pain points to convert.",
    },
    "plan.convert_empty": {
        "zh": "{store} 还没有答卷，没有可转化的贬损者。",
        "en": "{store} has no answers yet, so there are no detractors to convert.",
    },
    "plan.track_none": {
        "zh": "{store} 还没有答卷，没有可跟踪的月份。",
        "en": "{store} has no answers yet, so there is no month to track.",
    },
    "plan.convert_note": {
        "zh": "{store}，{month}：{n} 份答卷，{d} 位贬损者。若 {share}% 的贬损者变为中立者：",
        "en": "{store}, {month}: {n} answers, {d} detractors. If {share}% of them became passives:",
    },
    "plan.track_month": {"zh": "跟踪月份", "en": "Month to track"},
    "plan.track_no_start": {
        "zh": "缺少上月 NPS 或本月答卷，无法画出目标路径。",
        "en": "No NPS for the month before or no answers this month; no path to the goal to draw.",
    },
    "plan.track.whose": {
        "zh": "这里跟踪 {store} 在 {month} 的实际答卷，对照门店自己的本月目标 {goal}（目标表），"
        "路径从上月 NPS {start} 起：不是上方的方案，方案的改动不影响这里。",
        "en": "This tracks {store}'s actual answers in {month} against the store's own goal"
        " for the month, {goal} (its target), on a path from last month's NPS {start}: not"
        " the plan above, whose changes do not move it.",
    },
    "plan.track.whose_no_target": {
        "zh": "这里跟踪 {store} 在 {month} 的实际答卷；门店本月没有设目标，这里的目标 {goal} 是"
        "上月 NPS {start} 取整后加 5：不是上方的方案，方案的改动不影响这里。",
        "en": "This tracks {store}'s actual answers in {month}; the store has no target for"
        " the month, so its goal here, {goal}, is last month's NPS {start} rounded, plus 5:"
        " not the plan above, whose changes do not move it.",
    },
    "plan.track.start": {"zh": "起点（{month} NPS）", "en": "Start ({month} NPS)"},
    "plan.track.goal": {"zh": "门店本月目标", "en": "Store's goal this month"},
    "plan.track.mtd": {"zh": "第 {day} 天累计 NPS", "en": "MTD NPS, day {day}"},
    "plan.track.mtd_help": {
        "zh": "箭头为相对目标路径的差",
        "en": "The change shown is against the path to the goal",
    },
    "plan.track.n": {"zh": "累计答卷", "en": "Answers so far"},
    "plan.track.plan": {"zh": "目标路径", "en": "Path to the goal"},
    "plan.track.actual": {"zh": "实际累计 NPS", "en": "Actual MTD NPS"},
    "plan.track.complete": {"zh": "本月已结束", "en": "month complete"},
    "plan.track.hit": {
        "zh": "月末累计 NPS {nps}，达到门店本月目标 {goal}。",
        "en": "Month closed at {nps}: the store's goal of {goal} reached.",
    },
    "plan.track.miss": {
        "zh": "月末累计 NPS {nps}，未达到门店本月目标 {goal}。",
        "en": "Month closed at {nps}, short of the store's goal of {goal}.",
    },
}
