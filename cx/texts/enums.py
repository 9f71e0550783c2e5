"""Labels of the contract's enumerations (cx.enums): ``enum.<kind>.<key>``.

An upload accepts the key and both labels of the five answer columns (``cx.enums.spelling_map``).
"""

TEXTS = {
    # key_touchpoint: the touchpoint that most affected the score
    "enum.key_touchpoint.appointment": {"zh": "预约便捷性", "en": "Appointment"},
    "enum.key_touchpoint.reception": {"zh": "到店接待体验", "en": "Reception"},
    "enum.key_touchpoint.waiting": {"zh": "维修等待时间", "en": "Waiting time"},
    "enum.key_touchpoint.advisor": {"zh": "服务顾问沟通", "en": "Advisor communication"},
    "enum.key_touchpoint.repair_quality": {
        "zh": "维修质量/一次修好",
        "en": "Repair quality / fixed first time",
    },
    "enum.key_touchpoint.price_transparency": {"zh": "费用透明度", "en": "Price transparency"},
    "enum.key_touchpoint.delivery": {"zh": "交车流程", "en": "Vehicle delivery"},
    "enum.key_touchpoint.resolution": {"zh": "问题解决彻底性", "en": "Problem fully resolved"},
    "enum.key_touchpoint.other": {"zh": "其他", "en": "Other"},
    # pain_point: the detractor's main complaint
    "enum.pain_point.unresolved": {"zh": "问题未解决/返修", "en": "Unresolved / repeat repair"},
    "enum.pain_point.waiting": {"zh": "等待时间过长", "en": "Waiting too long"},
    "enum.pain_point.cost": {"zh": "费用超预期/不透明", "en": "Cost above estimate / unclear"},
    "enum.pain_point.attitude": {"zh": "服务态度冷漠", "en": "Cold attitude"},
    "enum.pain_point.communication": {
        "zh": "沟通不畅/承诺未兑现",
        "en": "Poor communication / broken promise",
    },
    "enum.pain_point.other": {"zh": "其他", "en": "Other"},
    # channel
    "enum.channel.sms": {"zh": "短信", "en": "SMS"},
    "enum.channel.app": {"zh": "App", "en": "App"},
    "enum.channel.wechat": {"zh": "微信", "en": "WeChat"},
    "enum.channel.phone": {"zh": "电话", "en": "Phone"},
    "enum.channel.other": {"zh": "其他", "en": "Other"},
    # service_type
    "enum.service_type.maintenance": {"zh": "保养", "en": "Maintenance"},
    "enum.service_type.repair": {"zh": "维修", "en": "Repair"},
    "enum.service_type.delivery": {"zh": "交付", "en": "Delivery"},
    "enum.service_type.other": {"zh": "其他", "en": "Other"},
    # customer_tier
    "enum.customer_tier.vip": {"zh": "VIP", "en": "VIP"},
    "enum.customer_tier.standard": {"zh": "普通", "en": "Standard"},
    # the CSI dimensions (csi_<key> columns)
    "enum.csi.initiation": {"zh": "服务启动", "en": "Service initiation"},
    "enum.csi.delivery": {"zh": "交车", "en": "Vehicle delivery"},
    "enum.csi.facility": {"zh": "服务设施", "en": "Facility"},
    "enum.csi.advisor": {"zh": "服务顾问", "en": "Service advisor"},
    "enum.csi.post_service": {"zh": "售后跟进", "en": "Post-service"},
    # the CJI touchpoint scores (tp_<key> columns)
    "enum.tp.appointment": {"zh": "预约", "en": "Appointment"},
    "enum.tp.reception": {"zh": "接待", "en": "Reception"},
    "enum.tp.advisor": {"zh": "顾问沟通", "en": "Advisor communication"},
    "enum.tp.waiting": {"zh": "等待", "en": "Waiting"},
    "enum.tp.repair_quality": {"zh": "维修质量", "en": "Repair quality"},
    "enum.tp.delivery": {"zh": "交车", "en": "Delivery"},
    "enum.tp.follow_up": {"zh": "回访", "en": "Follow-up"},
    # the NPS segments (cx.rules.SEGMENT_ORDER)
    "enum.segment.promoter": {"zh": "推荐者", "en": "Promoters"},
    "enum.segment.passive": {"zh": "中立者", "en": "Passives"},
    "enum.segment.detractor": {"zh": "贬损者", "en": "Detractors"},
}
