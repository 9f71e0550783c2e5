"""Page titles shown in the navigation."""

TEXTS = {
    "page.board": {"zh": "每日 NPS 看板", "en": "Daily NPS board"},
    "page.overview": {"zh": "体验总览", "en": "CX overview"},
    "page.segments": {"zh": "客群分布", "en": "Segment distributions"},
    "page.quadrant": {"zh": "NPS × CSI 四象限", "en": "NPS × CSI quadrant"},
    "page.heatmap": {"zh": "触点热力图 (CJI)", "en": "Touchpoint heatmap (CJI)"},
    "page.planner": {"zh": "改进计划模拟", "en": "What-if planner"},
    "page.upload": {"zh": "上传数据", "en": "Upload"},
    "page.data": {"zh": "数据概况", "en": "Data"},
    "page.access": {"zh": "权限管理", "en": "Access"},
}
