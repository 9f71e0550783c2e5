"""Deterministic demo data for the customer-experience dashboard.

``generate()`` builds four pandas frames (stores, responses, targets, followups)
for 44 EV after-sales service centres from 2024-10-01 to 2025-10-31. Everything
is vectorised with numpy; the same seed always yields identical frames.

The story store ``HZ01`` (杭州滨江服务中心) is built separately with exact
per-day promoter / passive / detractor counts, so its figures hold at every
``scale``:

* September 2025 NPS 72;
* 1-7 October 2025: 156 promoters, 32 passives, 12 detractors (NPS 72);
* 1-15 October month-to-date NPS 74.5; 1-31 October NPS 77.5 (target 77).

Column names and enum values follow docs/DATA-CONTRACT (shared contract).
This module does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx import db, enums, rules

START = pd.Timestamp("2024-10-01")
END = pd.Timestamp("2025-10-31")
#: "now" of the demo: the end of the last day with data.
DEMO_NOW = pd.Timestamp("2025-10-31 23:59:59")
#: follow-ups for answers from this moment on are mostly still open.
FOLLOWUP_OPEN_FROM = pd.Timestamp("2025-10-24")
STORY_STORE = "HZ01"

TOUCHPOINTS = tuple(enums.TOUCHPOINTS)  # the contract's key_touchpoint values, in order
PAIN_POINTS = ("unresolved", "waiting", "cost", "attitude", "communication", "other")
SERVICE_TYPES = ("maintenance", "repair", "delivery", "other")
CHANNELS = ("sms", "app", "wechat", "phone", "other")
CUSTOMER_TIERS = ("vip", "standard")
VEHICLE_MODELS = ("Model 3", "Model Y", "Model S", "Model X")
FOLLOWUP_STATUSES = ("contacted", "resolved", "unreachable")
CSI_COLUMNS = (
    "csi_initiation",
    "csi_delivery",
    "csi_facility",
    "csi_advisor",
    "csi_post_service",
)
TP_COLUMNS = (
    "tp_appointment",
    "tp_reception",
    "tp_advisor",
    "tp_waiting",
    "tp_repair_quality",
    "tp_delivery",
    "tp_follow_up",
)
RESPONSE_COLUMNS = (
    "response_id",
    "store_id",
    "responded_at",
    "service_date",
    "nps",
    "key_touchpoint",
    "pain_point",
    "comment",
    "service_type",
    "vehicle_model",
    "channel",
    "customer_tier",
    "advisor",
    *CSI_COLUMNS,
    *TP_COLUMNS,
    "csat",
    "ces",
    "wait_minutes",
    "first_time_fix",
    "customer_id",
    "amount",
    "duration_seconds",
    "customer_name",
    "phone",
    "plate",
)
FOLLOWUP_COLUMNS = db.FOLLOWUP_COLUMNS  # the follow-up columns the demo makes

# store_id, store_name, region, city, plate prefixes of the city
_STORES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("HZ01", "杭州滨江服务中心", "华东", "杭州", ("浙A",)),
    ("HZ02", "杭州萧山服务中心", "华东", "杭州", ("浙A",)),
    ("NB01", "宁波鄞州服务中心", "华东", "宁波", ("浙B",)),
    ("SH01", "上海浦东服务中心", "华东", "上海", ("沪A", "沪B", "沪D", "沪E")),
    ("SH02", "上海闵行服务中心", "华东", "上海", ("沪A", "沪B", "沪D", "沪E")),
    ("SH03", "上海嘉定服务中心", "华东", "上海", ("沪A", "沪B", "沪D", "沪E")),
    ("NJ01", "南京江宁服务中心", "华东", "南京", ("苏A",)),
    ("SU01", "苏州工业园区服务中心", "华东", "苏州", ("苏E",)),
    ("WX01", "无锡新吴服务中心", "华东", "无锡", ("苏B",)),
    ("HF01", "合肥包河服务中心", "华东", "合肥", ("皖A",)),
    ("JN01", "济南历下服务中心", "华东", "济南", ("鲁A",)),
    ("QD01", "青岛崂山服务中心", "华东", "青岛", ("鲁B",)),
    ("FZ01", "福州仓山服务中心", "华东", "福州", ("闽A",)),
    ("XM01", "厦门思明服务中心", "华东", "厦门", ("闽D",)),
    ("GZ01", "广州天河服务中心", "华南", "广州", ("粤A",)),
    ("GZ02", "广州番禺服务中心", "华南", "广州", ("粤A",)),
    ("SZ01", "深圳南山服务中心", "华南", "深圳", ("粤B",)),
    ("SZ02", "深圳龙岗服务中心", "华南", "深圳", ("粤B",)),
    ("DG01", "东莞南城服务中心", "华南", "东莞", ("粤S",)),
    ("FS01", "佛山顺德服务中心", "华南", "佛山", ("粤E", "粤X", "粤Y")),
    ("NN01", "南宁青秀服务中心", "华南", "南宁", ("桂A",)),
    ("HK01", "海口美兰服务中心", "华南", "海口", ("琼A",)),
    ("BJ01", "北京朝阳服务中心", "华北", "北京", ("京A", "京B", "京N", "京P", "京Q")),
    ("BJ02", "北京海淀服务中心", "华北", "北京", ("京A", "京B", "京N", "京P", "京Q")),
    ("BJ03", "北京亦庄服务中心", "华北", "北京", ("京A", "京B", "京N", "京P", "京Q")),
    ("TJ01", "天津滨海服务中心", "华北", "天津", ("津A", "津B", "津C")),
    ("SJ01", "石家庄裕华服务中心", "华北", "石家庄", ("冀A",)),
    ("TY01", "太原小店服务中心", "华北", "太原", ("晋A",)),
    ("WH01", "武汉光谷服务中心", "华中", "武汉", ("鄂A",)),
    ("WH02", "武汉汉阳服务中心", "华中", "武汉", ("鄂A",)),
    ("CS01", "长沙岳麓服务中心", "华中", "长沙", ("湘A",)),
    ("ZZ01", "郑州郑东服务中心", "华中", "郑州", ("豫A",)),
    ("NC01", "南昌红谷滩服务中心", "华中", "南昌", ("赣A",)),
    ("CD01", "成都高新服务中心", "西南", "成都", ("川A",)),
    ("CD02", "成都武侯服务中心", "西南", "成都", ("川A",)),
    ("CQ01", "重庆渝北服务中心", "西南", "重庆", ("渝A", "渝B", "渝D")),
    ("CQ02", "重庆南岸服务中心", "西南", "重庆", ("渝A", "渝B", "渝D")),
    ("KM01", "昆明官渡服务中心", "西南", "昆明", ("云A",)),
    ("GY01", "贵阳观山湖服务中心", "西南", "贵阳", ("贵A",)),
    ("XA01", "西安高新服务中心", "西北", "西安", ("陕A",)),
    ("XA02", "西安曲江服务中心", "西北", "西安", ("陕A",)),
    ("LZ01", "兰州城关服务中心", "西北", "兰州", ("甘A",)),
    ("YC01", "银川金凤服务中心", "西北", "银川", ("宁A",)),
    ("UQ01", "乌鲁木齐新市服务中心", "西北", "乌鲁木齐", ("新A",)),
)

_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
)
_GIVEN = (
    "磊",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "军",
    "洋",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "刚",
    "鹏",
    "斌",
    "丹",
    "晨",
    "志强",
    "建华",
    "晓明",
    "婷婷",
    "子涵",
    "浩然",
    "欣怡",
    "宇航",
    "嘉怡",
    "思远",
    "一鸣",
    "雨桐",
    "俊杰",
    "佳琪",
    "梓轩",
    "文博",
    "海波",
    "丽娟",
    "国庆",
    "春燕",
    "晓峰",
    "雪梅",
    "立新",
    "慧敏",
    "振宇",
    "秀英",
)

# Monthly NPS shift of the network (index 0 = October 2024 ... 12 = October 2025):
# holiday backlog in October, winter range worries and Spring Festival staffing in
# January/February, summer heat and volume in July/August.
_MONTH_EFFECT = np.array([-1.0, 0.0, 1.0, -3.0, -2.5, 0.0, 1.0, 2.0, 1.0, -2.0, -1.0, 1.0, 2.0])
# Mon..Sun answer volume rhythm: more on Sat/Sun/Mon, fewer midweek.
_WEEKDAY_VOLUME = np.array([1.18, 0.9, 0.8, 0.84, 0.96, 1.22, 1.1])

# HZ01 monthly NPS for October 2024 .. August 2025 (high 60s to 72).
_STORY_MONTH_NPS = (68.0, 69.0, 70.0, 68.0, 67.0, 69.0, 70.0, 71.0, 70.0, 68.0, 69.0)
_STORY_SEPTEMBER_NPS = 72.0
_STORY_DAILY = 25.0
# October 2025 phases of the 30-day plan: (first day, last day, promoters, passives,
# detractors). Diagnosis week 1-7 unchanged (72); quick wins from day 8 (MTD 74.5 at
# day 15); final sprint from day 22 (month 77.5).
_STORY_OCTOBER = (
    (1, 7, 156, 32, 12),
    (8, 15, 184, 28, 12),
    (16, 21, 138, 23, 7),
    (22, 31, 236, 37, 7),
)
_STORY_OCTOBER_TARGET = 77.0
#: call-backs are made from 09:00 to 21:00 (hours of the day)
_OFFICE_HOURS = (9, 21)

# Pain point codes: 0 = none, 1.. = PAIN_POINTS[code - 1].
_DETRACTOR_PAIN = np.array([0.05, 0.20 * 0.95, 0.38 * 0.95, 0.30 * 0.95, 0.12 * 0.95, 0.03, 0.02])
_PASSIVE_PAIN = np.array([0.62, 0.04, 0.14, 0.11, 0.03, 0.05, 0.01])

# Group g per row: 0 promoter, 1 passive without pain, 2 detractor without pain,
# 2 + pain code for answers with a pain point.
_KEY_TOUCHPOINT = np.array(
    [
        [0.12, 0.12, 0.08, 0.28, 0.18, 0.06, 0.10, 0.04, 0.02],
        [0.14, 0.10, 0.20, 0.16, 0.12, 0.10, 0.08, 0.05, 0.05],
        [0.08, 0.08, 0.22, 0.16, 0.14, 0.10, 0.06, 0.10, 0.06],
        [0.00, 0.00, 0.02, 0.03, 0.55, 0.00, 0.00, 0.38, 0.02],  # unresolved
        [0.10, 0.04, 0.72, 0.02, 0.00, 0.00, 0.10, 0.00, 0.02],  # waiting
        [0.00, 0.00, 0.00, 0.12, 0.00, 0.80, 0.04, 0.00, 0.04],  # cost
        [0.00, 0.28, 0.00, 0.66, 0.00, 0.00, 0.04, 0.00, 0.02],  # attitude
        [0.10, 0.00, 0.05, 0.45, 0.00, 0.05, 0.05, 0.25, 0.05],  # communication
        [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.60],  # other
    ]
)
_SERVICE_TYPE = np.array(
    [
        [0.47, 0.30, 0.15, 0.08],
        [0.47, 0.33, 0.12, 0.08],
        [0.42, 0.38, 0.12, 0.08],
        [0.15, 0.83, 0.00, 0.02],
        [0.50, 0.42, 0.05, 0.03],
        [0.45, 0.50, 0.00, 0.05],
        [0.42, 0.35, 0.15, 0.08],
        [0.30, 0.55, 0.10, 0.05],
        [0.40, 0.30, 0.15, 0.15],
    ]
)
_FIRST_TIME_FIX = np.array([0.96, 0.90, 0.82, 0.12, 0.80, 0.82, 0.84, 0.74, 0.85])
# Score penalties by pain code (rows 0..6) for CSI dimensions and touchpoints.
_CSI_PENALTY = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, -0.8, 0.0, -0.3, -1.5],
        [-1.0, -0.8, -0.2, 0.0, 0.0],
        [0.0, -1.0, 0.0, -0.6, -0.3],
        [-0.3, 0.0, 0.0, -1.8, -0.3],
        [-0.3, 0.0, 0.0, -1.0, -1.2],
        [0.0, 0.0, -1.5, 0.0, 0.0],
    ]
)
_CSI_OFFSET = np.array([0.0, 0.0, 0.3, 0.1, -0.2])
_TP_PENALTY = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, -0.5, 0.0, -3.5, -0.5, -1.5],
        [-1.2, 0.0, 0.0, -3.5, 0.0, -0.8, 0.0],
        [0.0, 0.0, -1.2, 0.0, 0.0, -1.8, -0.5],
        [0.0, -1.5, -3.2, 0.0, 0.0, 0.0, -0.5],
        [-0.5, 0.0, -1.5, 0.0, 0.0, 0.0, -3.2],
        [-0.3, -0.3, 0.0, 0.0, 0.0, 0.0, 0.0],
    ]
)
_CES_PENALTY = np.array([0.0, 1.0, 0.8, 0.3, 0.3, 0.6, 0.0])

_PROMOTER_COMMENTS = (
    "服务很专业，顾问解释得很清楚",
    "保养很快，一个多小时就好了",
    "顾问很热情，全程跟进",
    "环境干净，休息区很舒服",
    "一次就修好了，很满意",
    "预约方便，到店直接开工",
    "交车时讲解很细致",
    "费用透明，报价和结算一致",
    "取送车服务太方便了",
    "进度随时在群里同步，很安心",
    "问题处理得很及时",
    "整体体验很好，会推荐给朋友",
    "技师很负责，还帮忙检查了其他小问题",
    "比以前去的店体验好多了",
    "上门取车，省了很多时间",
)
_PROMOTER_SUFFIX = ("", "", "！", "，点赞！", "，下次还来。", "。谢谢！", "，给满分")
_PASSIVE_COMMENTS = {
    0: (
        "整体还可以",
        "中规中矩吧",
        "还行，没什么特别的",
        "服务还可以，休息区有点挤",
        "一般般，符合预期",
    ),
    1: ("问题基本解决了，还要再观察", "修好了，但是来回跑了两趟"),
    2: ("整体还可以，就是等的时间有点长", "顾问挺好，但预约要排好几天", "交车有点慢，其他都还好"),
    3: ("服务还行，价格偏贵", "工时费有点高", "费用能再透明一点就好了"),
    4: ("顾问有点敷衍，其他还行", "前台不太热情"),
    5: ("修好了，但是沟通可以再主动一点", "进度要自己问，不太方便"),
    6: ("停车不太方便", "充电车位太少了"),
}
_PASSIVE_SUFFIX = ("", "", "。", "，希望改进。", "，还有提升空间。")
_DETRACTOR_COMMENTS = {
    0: ("很失望", "体验很差", "等了一上午，什么都没说清", "收费比说好的贵了不少"),
    1: (
        "修了两次还是没修好",
        "异响问题第三次来了，还是没解决",
        "回去第二天故障灯又亮了",
        "说修好了，开出去就不行",
        "问题没找到原因，只是让我再观察",
        "同一个问题返修好几次了",
    ),
    2: (
        "等了三个小时，没人告诉进度",
        "说好两个小时，结果等了一下午",
        "预约了到店还要排队，预约有什么意义",
        "等了整整一天才交车",
        "在休息区等了很久，也没人来说明情况",
        "预约要等两周，太难约了",
        "取车又等了四十分钟",
    ),
    3: (
        "费用比预估高很多，收费不透明",
        "结算时多出好几项费用，事先没说",
        "工时费太贵了",
        "报价和最后收费不一样",
        "换个小零件收了一千多",
        "保修期内还让我自费，不合理",
    ),
    4: (
        "顾问态度冷漠",
        "问问题爱答不理",
        "前台态度很差",
        "服务人员一直在玩手机，没人理我",
        "投诉了也没人道歉",
    ),
    5: (
        "说好的回电话没人打",
        "承诺的代步车没有兑现",
        "进度全靠自己催",
        "顾问换了三次人，每次都要重新说一遍",
    ),
    6: ("停车太难了", "店里的充电桩都坏了", "位置太偏，交通不方便"),
}
_DETRACTOR_SUFFIX = (
    "",
    "",
    "。",
    "，很失望。",
    "，希望改进。",
    "！",
    "，不会再来了。",
    "，希望给个说法。",
)
# Realistic but export-hostile texts: commas, quotes, newlines, leading = + -.
_SPECIAL_COMMENTS = {
    (2, 0): ("+1 服务很好，点赞", '"一次修好"，给满分', "顾问很专业, 环境也好", "很满意\n下次还来"),
    (1, 0): ("还行, 就是有点贵", "-_- 一般般吧", "整体OK\n休息区可以再大一点"),
    (0, 0): ("-_- 不想说了", '所谓"尊享服务"就这样？'),
    (0, 1): ('顾问说"这次肯定好了"，结果还是老问题', "- 第一次没修好\n- 第二次还是没修好"),
    (0, 2): (
        "=_= 等了三个小时，没人告诉进度",
        '顾问说"马上就好"，结果等了两小时',
        "第一次等了2小时, 第二次等了3小时",
    ),
    (0, 3): (
        "+500 的工时费，事先没人说",
        "-_- 费用又超了，收费不透明",
        "报价1200, 结算2100, 解释不清",
    ),
    (0, 4): ('问一句就回"不知道"，顾问态度冷漠', "=.= 顾问全程冷着脸"),
    (0, 5): ("- 没人回电话\n- 进度也不通知", '说好"明天给你回电话"，到现在都没有'),
    (0, 6): ("停车场太小, 绕了三圈",),
}
# HZ01 in October after the quick wins: customers notice the changes.
_STORY_PRAISE = (
    "现在等待时有进度提醒，心里有底",
    "这次交车前顾问主动讲了费用明细",
    "比上次快多了，预约到店直接开工",
    "店长亲自回访，感觉被重视",
    "进度短信很及时，不用一直问了",
)
_RESOLVED_NOTES = {
    "unresolved": ("已安排复检并二次维修，问题已解决", "技术专家远程诊断后更换部件，客户确认正常"),
    "waiting": ("已致歉并赠送保养券，调整工位排班", "已说明延误原因，后续提供进度短信提醒"),
    "cost": ("已逐项解释费用明细，退还部分工时费", "报价流程已整改，差额已退回"),
    "attitude": ("店长致电道歉，已约谈顾问", "已致歉，顾问已做服务培训"),
    "communication": ("已补发进度说明，约定回访时间", "已致歉并兑现代步车承诺"),
    "other": ("已记录并反馈相关部门", "已致歉，客户表示理解"),
}
_CONTACTED_NOTES = (
    "已电话联系客户，待确认方案",
    "客户表示理解，约定下周回访",
    "已联系，客户暂无时间细谈",
)
_UNREACHABLE_NOTES = ("电话三次未接通，已发短信", "无人接听，已留言", "号码无法接通")
_THANKS_NOTES = ("回访致谢，客户满意", "已回访，记录改进建议", "回访完成，邀请参加车主活动")


@dataclass(frozen=True)
class DemoData:
    """The demo data set: four frames ready to be loaded into DuckDB."""

    stores: pd.DataFrame
    responses: pd.DataFrame
    targets: pd.DataFrame
    followups: pd.DataFrame


@dataclass(frozen=True)
class _StoreModel:
    nps_level: np.ndarray  # base NPS (-100..100 scale) per store
    nps_trend: np.ndarray  # NPS change over the 13 months
    csi_offset: np.ndarray
    volume: np.ndarray  # answers per day at scale 1
    wait_factor: np.ndarray
    pain_probs: np.ndarray  # (stores, 7) detractor pain mix
    advisor_start: np.ndarray
    advisor_count: np.ndarray
    advisor_names: np.ndarray
    advisor_effect: np.ndarray
    managers: np.ndarray


def generate(seed: int = 20251031, scale: float = 1.0, plant: bool = True) -> DemoData:
    """Build the demo data set (about 300,000 answers at ``scale=1``).

    ``scale`` shrinks the other stores' volume; the story store HZ01 keeps its
    exact counts at every scale. ``plant=False`` leaves out the planted signals
    (see :func:`_plant_signals`; for tests that compare with and without them).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    seeds = np.random.SeedSequence(seed).spawn(5)
    rng_model, rng_story, rng_network, rng_attr, rng_follow = (
        np.random.default_rng(s) for s in seeds
    )

    days = pd.date_range(START, END, freq="D")
    model = _store_model(rng_model)
    story = _story_core(rng_story, days)
    network = _network_core(rng_network, days, model, scale)
    core = {k: np.concatenate([story[k], network[k]]) for k in story}
    responses = _responses(rng_attr, days, model, core)
    stores = pd.DataFrame(
        {
            "store_id": pd.Series([s[0] for s in _STORES], dtype="str"),
            "store_name": pd.Series([s[1] for s in _STORES], dtype="str"),
            "region": pd.Series([s[2] for s in _STORES], dtype="str"),
            "city": pd.Series([s[3] for s in _STORES], dtype="str"),
        }
    )
    targets = _targets(responses)
    followups = _followups(rng_follow, responses, model)
    # the planted signals come last, from their own generator, and touch only the rows
    # of WH02, CD02 and NC01 (and the touchpoint scores of stores other than HZ01), so
    # the story figures, targets and follow-ups keep their values
    if plant:
        responses = _plant_signals(np.random.default_rng([seed, 11]), responses)
    return DemoData(stores=stores, responses=responses, targets=targets, followups=followups)


# ---------------------------------------------------------------------------
# planted signals (what the gaming review, the drop alerts and the drivers must find)

#: store and advisor rule of the planted score gaming: at WH02 the advisor with the most
#: October 2025 answers gives >= 95 % tens, mostly answered in under 20 seconds
PLANT_GAMING_STORE = "WH02"
#: at CD02 the last three days of every month carry a spike of tens
PLANT_MONTH_END_STORE = "CD02"
#: NC01's NPS falls by about 35 points from 2025-10-25
PLANT_DROP_STORE = "NC01"
PLANT_DROP_FROM = pd.Timestamp("2025-10-25")
PLANT_DROP_POINTS = 35.0
#: how strongly each touchpoint moves with the NPS answer (waiting and repair quality
#: drive detractors; appointment and follow-up matter little), and its own noise
_TP_LOADING = np.array([0.25, 0.55, 0.6, 0.95, 0.95, 0.5, 0.25])
_TP_NOISE = np.array([1.6, 1.2, 1.1, 0.8, 0.8, 1.2, 1.6])


def planted_gaming_advisor(responses: pd.DataFrame) -> str:
    """The WH02 advisor chosen for the planted gaming (most October 2025 answers)."""
    r = responses
    octo = r["responded_at"].between(
        pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-31 23:59:59")
    )
    counts = r.loc[octo & (r["store_id"] == PLANT_GAMING_STORE), "advisor"].value_counts()
    top = counts[counts == counts.max()]
    return str(sorted(top.index)[0])


def _promoter_comments(rng: np.random.Generator, n: int) -> np.ndarray:
    out = np.full(n, None, dtype=object)
    has = rng.random(n) >= 0.08
    out[has] = _pick(rng, _PROMOTER_COMMENTS, int(has.sum())) + _pick(
        rng, _PROMOTER_SUFFIX, int(has.sum())
    )
    return out


def _plant_signals(rng: np.random.Generator, responses: pd.DataFrame) -> pd.DataFrame:
    """Plant the demo's signals (see the PLANT_* constants); HZ01 rows stay as they are."""
    r = responses.copy()
    nps = r["nps"].to_numpy().copy()
    pain = r["pain_point"].to_numpy(dtype=object).copy()
    comment = r["comment"].to_numpy(dtype=object).copy()
    duration = r["duration_seconds"].to_numpy().copy()
    at = r["responded_at"]
    store = r["store_id"].to_numpy(dtype=object)

    def to_ten(rows: np.ndarray) -> None:
        changed = rows[nps[rows] != 10]
        nps[changed] = 10
        pain[changed] = None
        comment[changed] = _promoter_comments(rng, len(changed))

    # 1. one WH02 advisor in October 2025: >= 95 % tens, most answered in under 20 s
    advisor = planted_gaming_advisor(r)
    octo = at.between(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-31 23:59:59"))
    rows = np.flatnonzero(
        octo.to_numpy() & (store == PLANT_GAMING_STORE) & (r["advisor"].to_numpy() == advisor)
    )
    to_ten(rows[rng.random(len(rows)) < 0.97])
    fast = rows[rng.random(len(rows)) < 0.85]
    duration[fast] = rng.integers(6, 20, len(fast))

    # 2. CD02: the last three days of every month, 60 % of the other answers become tens
    day = at.dt.day.to_numpy()
    last = at.dt.days_in_month.to_numpy()
    rows = np.flatnonzero((store == PLANT_MONTH_END_STORE) & (day > last - 3))
    to_ten(rows[rng.random(len(rows)) < 0.6])

    # 3. NC01 from 2025-10-25: promoters turn detractors until NPS is ~35 points lower
    rows = np.flatnonzero((store == PLANT_DROP_STORE) & (at >= PLANT_DROP_FROM).to_numpy())
    promoters = rows[rules.is_promoter(nps[rows])]
    k = min(len(promoters), round(PLANT_DROP_POINTS / 100 * len(rows) / 2))  # 2 points each
    turned = np.sort(rng.permutation(promoters)[:k])
    nps[turned] = rng.choice(7, size=len(turned), p=[0.08, 0.03, 0.05, 0.07, 0.09, 0.26, 0.42])
    pains = np.array(["waiting", "unresolved", "attitude"], dtype=object)
    pain[turned] = pains[rng.choice(3, size=len(turned), p=[0.5, 0.3, 0.2])]
    comment[turned] = None

    # 4. touchpoints with different influence (every store but HZ01)
    other = np.flatnonzero(store != STORY_STORE)
    base = r["nps"].to_numpy()[other].astype(float)  # the answer as generated
    code = {p: i + 1 for i, p in enumerate(PAIN_POINTS)}
    pain_code = np.array([code.get(p, 0) for p in r["pain_point"].to_numpy(dtype=object)[other]])
    weight = np.where(rules.is_detractor(base), 1.0, np.where(rules.is_passive(base), 0.6, 0.0))
    for j, col in enumerate(TP_COLUMNS):
        old = r[col].to_numpy()[other]
        level = 10 - _TP_LOADING[j] * (10 - base) * 0.86 + weight * _TP_PENALTY[pain_code, j]
        values = np.clip(np.round(level + rng.normal(0, _TP_NOISE[j], len(other)) - 0.3), 0, 10)
        values[np.isnan(old)] = np.nan  # the same answers stay unrated
        column = r[col].to_numpy(dtype=float).copy()
        column[other] = values
        r[col] = column

    r["nps"] = nps.astype(np.int64)
    r["pain_point"] = pd.Series(pain, dtype="str")
    r["comment"] = pd.Series(comment, dtype="str")
    r["duration_seconds"] = duration.astype("int64")
    return r


def nps_score(nps: pd.Series | np.ndarray) -> float:
    """NPS = % promoters (9-10) minus % detractors (0-6)."""
    values = np.asarray(nps)
    if len(values) == 0:
        return float("nan")
    return (
        100.0
        * (np.sum(rules.is_promoter(values)) - np.sum(rules.is_detractor(values)))
        / len(values)
    )


# ---------------------------------------------------------------------------
# store model


def _store_model(rng: np.random.Generator) -> _StoreModel:
    n = len(_STORES)
    # Quadrants of the NPS x CSI map for the 43 other stores.
    pattern = np.array((["HH", "HL", "LH", "LL"] * 8 + ["MM"] * 11)[: n - 1])
    quadrant = np.concatenate([["HH"], rng.permutation(pattern)])
    ranges = {
        "HH": ((62, 80), (0.4, 0.9)),
        "HL": ((60, 76), (-1.3, -0.8)),
        "LH": ((22, 42), (0.6, 1.1)),
        "LL": ((20, 40), (-0.8, -0.2)),
        "MM": ((42, 60), (-0.3, 0.3)),
    }
    nps_level = np.empty(n)
    csi_offset = np.empty(n)
    for i, q in enumerate(quadrant):
        (lo, hi), (clo, chi) = ranges[q]
        nps_level[i] = rng.uniform(lo, hi)
        csi_offset[i] = rng.uniform(clo, chi)
    nps_level[0], csi_offset[0] = 69.0, 0.3  # HZ01 (its answers are built exactly)
    nps_trend = rng.uniform(-6, 6, n)
    size = rng.uniform(0.55, 1.5, n)
    size[1:] /= size[1:].mean()
    volume = 17.2 * size
    volume[0] = _STORY_DAILY
    # Low-NPS stores tend to keep customers waiting longer.
    wait_factor = np.clip(1.35 - 0.006 * nps_level + rng.normal(0, 0.08, n), 0.75, 1.4)
    four = _DETRACTOR_PAIN[1:5] / _DETRACTOR_PAIN[1:5].sum()
    mix = rng.dirichlet(four * 600, n) * _DETRACTOR_PAIN[1:5].sum()
    pain_probs = np.column_stack(
        [np.full(n, _DETRACTOR_PAIN[0]), mix, np.tile(_DETRACTOR_PAIN[5:], (n, 1))]
    )
    pain_probs /= pain_probs.sum(axis=1, keepdims=True)

    advisor_count = rng.integers(4, 9, n)
    advisor_start = np.concatenate([[0], np.cumsum(advisor_count)[:-1]])
    pool = np.array([s + g for s in _SURNAMES for g in _GIVEN], dtype=object)
    names: list[str] = []
    for c in advisor_count:
        names.extend(rng.choice(pool, size=c, replace=False))
    advisor_effect = rng.normal(0, 5, advisor_count.sum())
    # A few stores have one clearly weaker advisor.
    weak = rng.random(n) < 0.3
    advisor_effect[advisor_start[weak]] -= 12
    managers = rng.choice(pool, size=n, replace=False)
    return _StoreModel(
        nps_level=nps_level,
        nps_trend=nps_trend,
        csi_offset=csi_offset,
        volume=volume,
        wait_factor=wait_factor,
        pain_probs=pain_probs,
        advisor_start=advisor_start,
        advisor_count=advisor_count,
        advisor_names=np.array(names, dtype=object),
        advisor_effect=advisor_effect,
        managers=managers,
    )


def _day_volume(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative answer volume per day: weekday rhythm, season and holidays."""
    factor = _WEEKDAY_VOLUME[days.day_of_week.to_numpy()]
    factor = factor * (1 + 0.06 * np.sin(2 * np.pi * (days.day_of_year.to_numpy() - 100) / 365.25))
    md = days.month.to_numpy() * 100 + days.day.to_numpy()
    factor = np.where((md >= 1001) & (md <= 1007), factor * 0.8, factor)  # National Day
    factor = np.where((md >= 501) & (md <= 505), factor * 0.85, factor)  # Labour Day
    spring = (days >= "2025-01-28") & (days <= "2025-02-04")  # Spring Festival
    return np.where(spring, factor * 0.45, factor)


def _month_index(days: pd.DatetimeIndex) -> np.ndarray:
    """Months since October 2024 (0 = October 2024) of each day."""
    return (days.to_period("M").asi8 - pd.Period(START, "M").ordinal).astype(np.int64)


def _split_total(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total by weights (largest remainder, deterministic)."""
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    rest = total - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def _scores_for(rng: np.random.Generator, cat: np.ndarray) -> np.ndarray:
    """Scores 0-10 for categories 0 detractor, 1 passive, 2 promoter."""
    n = len(cat)
    det = rng.choice(7, size=n, p=[0.08, 0.03, 0.05, 0.07, 0.09, 0.26, 0.42])
    pas = np.where(rng.random(n) < 0.45, 7, 8)
    pro = np.where(rng.random(n) < 0.42, 9, 10)
    return np.select([cat == 0, cat == 1], [det, pas], pro).astype(np.int64)


def _story_core(rng: np.random.Generator, days: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """HZ01 with exact category counts per month (and per October phase)."""
    volume = _day_volume(days)
    month = _month_index(days)
    segments: list[tuple[np.ndarray, int, int, int]] = []  # (day indexes, P, Pa, D)
    for m in range(12):
        idx = np.flatnonzero(month == m)
        counts = rng.poisson(_STORY_DAILY * volume[idx])
        n = int(counts.sum())
        target = _STORY_SEPTEMBER_NPS if m == 11 else _STORY_MONTH_NPS[m]
        det = int(round(n * rng.uniform(0.07, 0.095)))
        pro = int(round(target * n / 100)) + det
        segments.append((np.repeat(idx, counts), pro, n - pro - det, det))
    october = np.flatnonzero(month == 12)
    for first, last, pro, pas, det in _STORY_OCTOBER:
        idx = october[first - 1 : last]
        counts = _split_total(pro + pas + det, _WEEKDAY_VOLUME[days[idx].day_of_week.to_numpy()])
        segments.append((np.repeat(idx, counts), pro, pas, det))
    day_parts, cat_parts = [], []
    for day_idx, pro, pas, det in segments:
        cat = np.concatenate([np.zeros(det), np.ones(pas), np.full(pro, 2)]).astype(np.int64)
        day_parts.append(day_idx)
        cat_parts.append(rng.permutation(cat))
    cat = np.concatenate(cat_parts)
    n = len(cat)
    return {
        "store": np.zeros(n, dtype=np.int64),
        "day": np.concatenate(day_parts).astype(np.int64),
        "cat": cat,
        "nps": _scores_for(rng, cat),
        "advisor_u": rng.random(n),
    }


def _network_core(
    rng: np.random.Generator, days: pd.DatetimeIndex, model: _StoreModel, scale: float
) -> dict[str, np.ndarray]:
    """All stores but HZ01: Poisson volume per store and day, NPS from the store level."""
    volume = _day_volume(days)
    lam = model.volume[1:, None] * volume[None, :] * scale
    counts = rng.poisson(lam)
    n_stores, n_days = counts.shape
    store = np.repeat(np.repeat(np.arange(1, n_stores + 1), n_days), counts.ravel())
    day = np.repeat(np.tile(np.arange(n_days), n_stores), counts.ravel())
    n = len(store)
    advisor_u = rng.random(n)
    advisor = model.advisor_start[store] + (advisor_u * model.advisor_count[store]).astype(np.int64)
    t = day / (n_days - 1)
    month = _month_index(days)[day]
    level = (
        model.nps_level[store]
        + model.nps_trend[store] * (t - 0.5)
        + _MONTH_EFFECT[month]
        + model.advisor_effect[advisor]
    )
    level = np.clip(level, 5, 92) / 100
    passive = 0.25 - 0.1 * level
    p_det = np.maximum((1 - passive - level) / 2, 0.01)
    p_pro = np.minimum(p_det + level, 0.97)
    u = rng.random(n)
    cat = np.where(u < p_det, 0, np.where(u < 1 - p_pro, 1, 2)).astype(np.int64)
    return {
        "store": store.astype(np.int64),
        "day": day.astype(np.int64),
        "cat": cat,
        "nps": _scores_for(rng, cat),
        "advisor_u": advisor_u,
    }


# ---------------------------------------------------------------------------
# answer attributes


def _choose_rows(
    rng: np.random.Generator, probs: np.ndarray, stratified: bool = False
) -> np.ndarray:
    """One categorical draw per row of a probability matrix.

    ``stratified`` spreads the uniforms evenly over [0, 1) (in random order), which
    keeps the overall mix close to the expected shares even for small samples.
    """
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    n = len(probs)
    if stratified:
        u = ((rng.permutation(n) + rng.random(n)) / max(n, 1))[:, None]
    else:
        u = rng.random(n)[:, None]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1)


def _with_missing(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    out = values.astype(float)
    out[rng.random(len(out)) < share] = np.nan
    return out


def _nullable_int(
    rng: np.random.Generator, values: np.ndarray, share: float
) -> pd.arrays.IntegerArray:
    return (
        pd.array(values.astype(np.int64), dtype="Int64").copy()
        if share <= 0
        else _masked_int(rng, values, share)
    )


def _masked_int(
    rng: np.random.Generator, values: np.ndarray, share: float
) -> pd.arrays.IntegerArray:
    mask = rng.random(len(values)) < share
    return pd.arrays.IntegerArray(values.astype(np.int64), mask)


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _comments(
    rng: np.random.Generator, cat: np.ndarray, pain: np.ndarray, story_praise: np.ndarray
) -> np.ndarray:
    n = len(cat)
    out = np.full(n, None, dtype=object)
    has = rng.random(n) >= np.array([0.08, 0.2, 0.28])[cat]
    special = rng.random(n) < 0.004
    key = cat * 7 + pain
    for code in np.unique(key):
        c, p = divmod(int(code), 7)
        rows = np.flatnonzero((key == code) & has & ~special)
        if c == 2:
            core, suffix = _PROMOTER_COMMENTS, _PROMOTER_SUFFIX
        elif c == 1:
            core, suffix = _PASSIVE_COMMENTS[p], _PASSIVE_SUFFIX
        else:
            core, suffix = _DETRACTOR_COMMENTS[p], _DETRACTOR_SUFFIX
        out[rows] = _pick(rng, core, len(rows)) + _pick(rng, suffix, len(rows))
        rows = np.flatnonzero((key == code) & has & special)
        pool = _SPECIAL_COMMENTS.get((c, p), _SPECIAL_COMMENTS[(c, 0)])
        out[rows] = _pick(rng, pool, len(rows))
    rows = np.flatnonzero(story_praise & has & ~special & (rng.random(n) < 0.45))
    out[rows] = _pick(rng, _STORY_PRAISE, len(rows)) + _pick(rng, _PROMOTER_SUFFIX, len(rows))
    return out


def _customers(
    rng: np.random.Generator, store: np.ndarray, n_stores: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Customer index per answer (repeat visits) and per-customer attributes."""
    rows_per_store = np.bincount(store, minlength=n_stores)
    pool_size = np.maximum(rows_per_store // 17 * 10, 1)  # ~1.7 answers per customer
    start = np.concatenate([[0], np.cumsum(pool_size)[:-1]])
    u = rng.random(len(store))
    customer = start[store] + np.minimum(
        (u**1.6 * pool_size[store]).astype(np.int64), pool_size[store] - 1
    )
    m = int(pool_size.sum())
    home = np.repeat(np.arange(n_stores), pool_size)
    ids = pd.Series(np.arange(1, m + 1)).astype(str).str.zfill(7)
    surname = np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), m)]
    given = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), m)]
    prefix3 = np.array(["13", "15", "18"], dtype=object)[rng.integers(0, 3, m)]
    digits = pd.Series(rng.integers(0, 10**9, m)).astype(str).str.zfill(9).to_numpy(dtype=object)
    plate_prefix = np.empty(m, dtype=object)
    choice = rng.random(m)
    for i, (*_, prefixes) in enumerate(_STORES):
        rows = home == i
        plate_prefix[rows] = np.array(prefixes, dtype=object)[
            (choice[rows] * len(prefixes)).astype(np.int64)
        ]
    energy = np.array(["D", "D", "D", "D", "A", "B", "C", "E"], dtype=object)[rng.integers(0, 8, m)]
    plate_no = pd.Series(rng.integers(0, 10**5, m)).astype(str).str.zfill(5).to_numpy(dtype=object)
    attrs = {
        "customer_id": ("C" + ids).to_numpy(dtype=object),
        "customer_name": surname + given,
        "phone": prefix3 + digits,
        "plate": plate_prefix + "·" + energy + plate_no,
        "vehicle_model": np.array(VEHICLE_MODELS, dtype=object)[
            rng.choice(4, m, p=[0.36, 0.52, 0.06, 0.06])
        ],
        "customer_tier": np.where(rng.random(m) < 0.14, "vip", "standard").astype(object),
    }
    return customer, attrs


def _responses(
    rng: np.random.Generator,
    days: pd.DatetimeIndex,
    model: _StoreModel,
    core: dict[str, np.ndarray],
) -> pd.DataFrame:
    store, day, cat, nps = core["store"], core["day"], core["cat"], core["nps"]
    n = len(store)
    n_stores = len(_STORES)
    advisor = model.advisor_start[store] + (core["advisor_u"] * model.advisor_count[store]).astype(
        np.int64
    )

    # Pain point: detractors by the store's mix, some passives, never promoters.
    pain = np.zeros(n, dtype=np.int64)
    det = cat == 0
    pain[det] = _choose_rows(rng, model.pain_probs[store[det]], stratified=True)
    pas = cat == 1
    pain[pas] = rng.choice(7, size=int(pas.sum()), p=_PASSIVE_PAIN)
    group = np.where(cat == 2, 0, np.where(pain > 0, 2 + pain, np.where(cat == 1, 1, 2)))
    key_touchpoint = _choose_rows(rng, _KEY_TOUCHPOINT[group])
    service_type = _choose_rows(rng, _SERVICE_TYPE[group])

    # Dates: answer day and time, visit 0-3 days earlier (never before START).
    lag = rng.choice(4, size=n, p=[0.45, 0.3, 0.15, 0.1])
    lag = np.minimum(lag, day)
    hour_p = np.array([3, 5, 8, 8, 7, 6, 7, 7, 7, 8, 8, 9, 9, 7, 5, 2], dtype=float)
    hour = 8 + rng.choice(16, size=n, p=hour_p / hour_p.sum())
    hour = np.where((lag == 0) & (hour < 11), hour + 8, hour)
    seconds = hour * 3600 + rng.integers(0, 3600, n)
    base = days.to_numpy().astype("datetime64[us]")
    responded_at = base[day] + seconds.astype("timedelta64[s]")
    service_date = base[day - lag]

    story_october = (store == 0) & (day >= len(days) - 31 + 7)
    comment = _comments(rng, cat, pain, story_october & (cat == 2))

    # Scores that move with the NPS answer, the store and the pain point.
    weight = np.where(cat == 0, 1.0, np.where(cat == 1, 0.6, 0.0))[:, None]
    person = rng.normal(0, 0.6, n)
    csi_base = 3.2 + 0.62 * nps + model.csi_offset[store] + person
    csi = csi_base[:, None] + _CSI_OFFSET + weight * _CSI_PENALTY[pain] + rng.normal(0, 0.7, (n, 5))
    csi = np.clip(np.round(csi), 1, 10)
    tp_base = 0.8 + 0.86 * nps + 0.5 * model.csi_offset[store] + 1.1 * person
    tp = tp_base[:, None] + weight * _TP_PENALTY[pain] + rng.normal(0, 0.8, (n, 7))
    tp = np.clip(np.round(tp), 0, 10)
    tp[service_type == 2, 4] = np.nan  # no repair on a delivery

    csat = np.clip(np.round(1 + 0.41 * nps + rng.normal(0, 0.55, n)), 1, 5)
    ces = np.clip(
        np.round(6.6 - 0.52 * nps + _CES_PENALTY[pain] * weight[:, 0] + rng.normal(0, 0.7, n)), 1, 7
    )

    median_wait = np.array([75.0, 150.0, 60.0, 35.0])[service_type]
    wait = median_wait * np.exp(rng.normal(0, 0.45, n)) * model.wait_factor[store]
    wait *= np.array([1.2, 1.0, 0.85])[cat]
    story_day = day - (len(days) - 31)  # 0 = 1 October 2025
    quick_wins, sprint = _STORY_OCTOBER[1][0] - 1, _STORY_OCTOBER[3][0] - 1  # as story days
    better = np.select([story_day >= sprint, story_day >= quick_wins], [0.7, 0.82], 1.0)
    wait *= np.where(store == 0, better, 1.0)
    waiting_pain = pain == 2
    wait = np.where(waiting_pain, 110 + 70 * np.exp(rng.normal(0, 0.6, n)), wait)
    wait = _with_missing(rng, np.round(wait), 0.04)

    ftf_p = _FIRST_TIME_FIX[group]
    ftf_values = rng.random(n) < ftf_p
    ftf_missing = np.where(service_type == 2, rng.random(n) < 0.85, rng.random(n) < 0.03)
    first_time_fix = pd.arrays.BooleanArray(ftf_values, ftf_missing)

    amount_median = np.array([680.0, 1800.0, 0.0, 150.0])[service_type]
    amount_sigma = np.array([0.5, 1.0, 0.0, 0.8])[service_type]
    amount = amount_median * np.exp(rng.normal(0, 1, n) * amount_sigma)
    amount *= np.where(pain == 3, 1.6, 1.0)
    warranty = ((service_type == 1) & (rng.random(n) < 0.12)) | (
        (service_type == 3) & (rng.random(n) < 0.3)
    )
    amount = np.where(warranty, 0.0, np.round(amount, 2))

    customer, cust = _customers(rng, store, n_stores)
    channel = rng.choice(len(CHANNELS), size=n, p=[0.3, 0.24, 0.36, 0.07, 0.03])

    order = np.lexsort((store, responded_at))
    store_ids = np.array([s[0] for s in _STORES], dtype=object)
    touch = np.array(TOUCHPOINTS, dtype=object)
    pains = np.array((None, *PAIN_POINTS), dtype=object)
    data: dict[str, object] = {
        "response_id": ("R" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)).to_numpy(
            dtype=object
        ),
        "store_id": store_ids[store],
        "responded_at": responded_at,
        "service_date": service_date,
        "nps": nps,
        "key_touchpoint": touch[key_touchpoint],
        "pain_point": pains[pain],
        "comment": comment,
        "service_type": np.array(SERVICE_TYPES, dtype=object)[service_type],
        "vehicle_model": cust["vehicle_model"][customer],
        "channel": np.array(CHANNELS, dtype=object)[channel],
        "customer_tier": cust["customer_tier"][customer],
        "advisor": model.advisor_names[advisor],
    }
    for j, name in enumerate(CSI_COLUMNS):
        data[name] = _with_missing(rng, csi[:, j], 0.1)
    for j, name in enumerate(TP_COLUMNS):
        data[name] = _with_missing(rng, tp[:, j], 0.08)
    data["csat"] = _masked_int(rng, csat, 0.06)
    data["ces"] = _masked_int(rng, ces, 0.06)
    data["wait_minutes"] = wait
    data["first_time_fix"] = first_time_fix
    data["customer_id"] = cust["customer_id"][customer]
    data["amount"] = amount
    # Time taken to answer: its own generator, so the other columns keep their values.
    rng_time = np.random.default_rng(n)
    data["duration_seconds"] = np.round(40 + 60 * np.exp(rng_time.normal(0, 0.5, n))).astype(
        "int64"
    )
    data["customer_name"] = cust["customer_name"][customer]
    data["phone"] = cust["phone"][customer]
    data["plate"] = cust["plate"][customer]

    columns = {}
    for name in RESPONSE_COLUMNS:
        values = data[name]
        if name == "response_id":
            columns[name] = pd.Series(values, dtype="str")  # ids follow the sorted order
            continue
        values = values[order]
        if isinstance(values, np.ndarray) and values.dtype == object:
            columns[name] = pd.Series(values, dtype="str")
        else:
            columns[name] = pd.Series(values)
    return pd.DataFrame(columns)


# ---------------------------------------------------------------------------
# targets and follow-ups


def _targets(responses: pd.DataFrame) -> pd.DataFrame:
    """Monthly NPS target per store: the previous month's NPS + 3 (rounded)."""
    month = responses["responded_at"].dt.to_period("M")
    nps = responses["nps"]
    score = np.where(rules.is_promoter(nps), 100.0, np.where(rules.is_detractor(nps), -100.0, 0.0))
    monthly = (
        pd.DataFrame({"store_id": responses["store_id"], "month": month, "score": score})
        .groupby(["store_id", "month"], sort=True)["score"]
        .mean()
        .unstack("month")
    )
    base = monthly.shift(1, axis=1)
    base.iloc[:, 0] = monthly.iloc[:, 0]
    target = np.clip(base.round() + 3, 10, 90)
    target.loc[STORY_STORE, pd.Period("2025-10", "M")] = _STORY_OCTOBER_TARGET
    long = target.stack().rename("nps_target").reset_index()
    order = {s[0]: i for i, s in enumerate(_STORES)}
    long = long.sort_values(
        ["store_id", "month"], key=lambda c: c.map(order) if c.name == "store_id" else c
    )
    return pd.DataFrame(
        {
            "store_id": pd.Series(long["store_id"].to_numpy(dtype=object), dtype="str"),
            "month": pd.Series([p.start_time.date() for p in long["month"]], dtype=object),
            "nps_target": long["nps_target"].to_numpy(dtype=float),
        }
    )


def _followups(
    rng: np.random.Generator, responses: pd.DataFrame, model: _StoreModel
) -> pd.DataFrame:
    """Callback states for answers whose follow-up has been acted on."""
    n = len(responses)
    nps = responses["nps"].to_numpy()
    responded = responses["responded_at"].to_numpy()
    recent = responded >= FOLLOWUP_OPEN_FROM.to_datetime64()
    det = rules.is_detractor(nps)
    u = rng.random(n)
    # 0 none, 1 contacted, 2 resolved, 3 unreachable
    status = np.zeros(n, dtype=np.int64)
    old_det = det & ~recent
    status[old_det] = np.where(u[old_det] < 0.9, 2, np.where(u[old_det] < 0.965, 1, 3))
    new_det = det & recent
    status[new_det] = np.where(
        u[new_det] < 0.16, 2, np.where(u[new_det] < 0.32, 1, np.where(u[new_det] < 0.36, 3, 0))
    )
    other = ~det
    status[other & ~recent & (u < 0.3)] = 1
    status[other & recent & (u < 0.05)] = 1

    hours = np.select(
        [status == 2, status == 1, status == 3],
        [
            rng.gamma(2.0, 7.0, n) + 2,
            np.where(det, rng.gamma(2.0, 4.0, n) + 1, rng.uniform(20, 120, n)),
            rng.uniform(24, 56, n),
        ],
        0.0,
    )
    updated_at = responded + (hours * 3600).astype("timedelta64[s]")
    # Call-backs happen in office hours (09:00-21:00): push the rest to the next morning.
    opens, closes = _OFFICE_HOURS
    hour = (updated_at - updated_at.astype("datetime64[D]")) // np.timedelta64(1, "h")
    extra = rng.integers(0, 4, n)
    shift = np.where(
        hour < opens, opens - hour + extra, np.where(hour >= closes, 24 + opens - hour + extra, 0)
    )
    updated_at = updated_at + shift.astype("timedelta64[h]")
    keep = (status > 0) & (updated_at <= DEMO_NOW.to_datetime64())
    idx = np.flatnonzero(keep)
    st = status[idx]

    pain = responses["pain_point"].to_numpy(dtype=object)[idx]
    root = np.where(pd.isna(pain), None, pain).astype(object)
    no_pain = root == None  # noqa: E711 (element-wise)
    fallback = np.array(PAIN_POINTS, dtype=object)[
        rng.choice(6, size=len(idx), p=[0.2, 0.38, 0.3, 0.08, 0.02, 0.02])
    ]
    root = np.where(no_pain, fallback, root)
    revised = rng.random(len(idx)) < 0.12  # investigation found another cause
    root = np.where(
        revised,
        np.array(PAIN_POINTS, dtype=object)[
            rng.choice(6, size=len(idx), p=[0.15, 0.2, 0.15, 0.1, 0.35, 0.05])
        ],
        root,
    )
    root = np.where(st == 2, root, None)

    note = np.empty(len(idx), dtype=object)
    for cause, pool in _RESOLVED_NOTES.items():
        rows = np.flatnonzero(root == cause)
        note[rows] = _pick(rng, pool, len(rows))
    d = rules.is_detractor(nps[idx])
    rows = np.flatnonzero((st == 1) & d)
    note[rows] = _pick(rng, _CONTACTED_NOTES, len(rows))
    rows = np.flatnonzero((st == 1) & ~d)
    note[rows] = _pick(rng, _THANKS_NOTES, len(rows))
    rows = np.flatnonzero(st == 3)
    note[rows] = _pick(rng, _UNREACHABLE_NOTES, len(rows))

    store_pos = {s[0]: i for i, s in enumerate(_STORES)}
    store_idx = responses["store_id"].map(store_pos).to_numpy()[idx]
    owner = model.managers[store_idx]
    statuses = np.array((None, *FOLLOWUP_STATUSES), dtype=object)
    return pd.DataFrame(
        {
            "response_id": pd.Series(
                responses["response_id"].to_numpy(dtype=object)[idx], dtype="str"
            ),
            "status": pd.Series(statuses[st], dtype="str"),
            "owner": pd.Series(owner, dtype="str"),
            "note": pd.Series(note, dtype="str"),
            "root_cause": pd.Series(root, dtype="str"),
            "updated_at": pd.Series(updated_at[idx].astype("datetime64[us]")),
            "updated_by": pd.Series(owner, dtype="str"),
        }
    )
