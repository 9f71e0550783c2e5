"""Where an NPS target came from (``cx.targets.resolve_nps_target``), for every page."""

TEXTS = {
    "target.source.store": {"zh": "目标来源：门店自己的目标", "en": "Target: the store's own"},
    "target.source.default": {
        "zh": "目标来源：全部门店通用目标（该店未单独设置）",
        "en": "Target: the default for every store (none set for this store)",
    },
    "target.source.region": {"zh": "目标来源：区域自己的目标", "en": "Target: the region's own"},
    "target.source.network": {"zh": "目标来源：全网目标", "en": "Target: the network's own"},
    "target.source.stores": {
        "zh": "目标来源：{k} 家门店目标按本月截至当日的答卷数加权平均",
        "en": "Target: the stores' targets weighted by their answers this month up to the day"
        " (stores with a target: {k})",
    },
    "target.source.none": {"zh": "未设目标", "en": "No target set"},
    # the overview's NPS card: a month's target, the stores' weighted by the whole month
    "ov.target.stores": {
        "zh": "目标来源：{k} 家门店目标按当月答卷数加权平均",
        "en": "Target: the stores' targets weighted by their answers in the month (stores with"
        " a target: {k})",
    },
}
