"""Columns of common Chinese survey tools: the touchpoint question, 来源/渠道 and the time
a customer took to answer (所用时间 / 答题时长, "120秒") stored as ``duration_seconds``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cx import db, ingest, queries
from cx.headers import map_headers

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
if not SAMPLES.exists():
    SAMPLES = Path(__file__).resolve().parent / "fixtures"


def stored(path: Path, sql: str):
    with db.connect(path) as con:
        return queries.df(con, sql)


def test_touchpoint_question_source_and_time_used_are_recognised():
    headers = [
        "序号",
        "答卷编号",
        "提交答卷时间",
        "所用时间",
        "来源",
        "来自IP",
        "门店代码",
        "1、您向亲友推荐我们服务中心的可能性有多大？",
        "3、如果要选择一个最影响您评分的环节，您会选择？",
        "答题时长",
    ]
    m = map_headers(headers)
    assert m.columns[3] == "duration_seconds"
    assert m.columns[4] == "channel"
    assert m.columns[7] == "nps"
    assert m.columns[8] == "key_touchpoint" and m.how[8] == "keyword"
    assert 5 not in m.columns  # 来自IP is not the source channel
    assert 9 not in m.columns  # a second time column is left for the user, not doubled


def test_the_open_question_asked_as_why_is_the_comment():
    """'您为什么给出这个分数？' was left unmatched: the comments of a whole export went
    unread unless the analyst mapped it by hand."""
    headers = ["答卷编号", "门店代码", "提交答卷时间", "1、您向亲友推荐我们的可能性有多大？",
               "2、您为什么给出这个分数？"]  # fmt: skip
    m = map_headers(headers)
    assert m.columns[3] == "nps" and m.columns[4] == "comment" and m.how[4] == "keyword"


def test_the_survey_tool_sample_stores_channel_and_seconds(empty_db):
    res = ingest.ingest_file(SAMPLES / "survey_export_gb18030.csv")
    assert (res.added, res.rejected, res.ignored) == (40, 2, 2)
    got = stored(empty_db, "SELECT response_id, channel, duration_seconds FROM responses")
    raw = (SAMPLES / "survey_export_gb18030.csv").read_bytes().decode("gb18030").splitlines()
    head = raw[0].split(",")
    src = {}
    for line in raw[1:]:
        cells = line.split(",")
        if len(cells) == len(head) and cells[1]:
            src[cells[1]] = dict(zip(head, cells, strict=True))
    for row in got.itertuples():
        want = src[row.response_id]
        assert row.duration_seconds == int(want["所用时间"].removesuffix("秒"))
        assert row.channel == {"微信": "wechat", "短信": "sms"}.get(want["来源"], "other")
    assert set(got["channel"]) >= {"wechat", "other"}


def test_duration_spellings_accepted_and_rejected_with_reasons(empty_db, tmp_path):
    values = {
        "T1": ("120", 120),
        "T2": ("120秒", 120),
        "T3": ("2分30秒", 150),
        "T4": ("3分钟", 180),
        "T5": ("0:02:05", 125),
        "T6": ("02:05", 125),
        "T7": ("", None),
        "T8": ("很快", "duration_seconds '很快' is not a time in seconds"),
        "T9": ("-5", "duration_seconds '-5' is not a time in seconds"),
        "TA": ("99999999999秒", "duration_seconds 99999999999秒 is too large"),
    }
    body = "".join(f"{k},S1,2025-10-01,9,{v}\n" for k, (v, _) in values.items())
    path = tmp_path / "t.csv"
    path.write_text("问卷编号,门店代码,提交时间,推荐分,答题时长\n" + body, encoding="utf-8")
    res = ingest.ingest_file(path)
    got = stored(empty_db, "SELECT response_id, duration_seconds FROM responses")
    seconds = {r.response_id: r.duration_seconds for r in got.itertuples()}
    for key, (_, want) in values.items():
        if isinstance(want, str):
            continue
        assert (None if pd.isna(seconds[key]) else int(seconds[key])) == want, key
    why = {r.raw_line[:2]: r.reason for r in res.rejects.itertuples()}
    assert why["T8"].startswith(values["T8"][1])
    assert why["T9"].startswith(values["T9"][1])
    assert why["TA"] == values["TA"][1]
    assert len(why) == 3


def test_channel_spellings_map_and_unknown_sources_are_other(empty_db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "问卷编号,门店代码,提交时间,推荐分,来源\n"
        "C1,S1,2025-10-01,9,短信\nC2,S1,2025-10-01,9,微信\nC3,S1,2025-10-01,9,手机提交\n"
        "C4,S1,2025-10-01,9,\n",
        encoding="utf-8",
    )
    res = ingest.ingest_file(path)
    assert (res.added, res.rejected) == (4, 0)
    got = stored(empty_db, "SELECT response_id, channel FROM responses ORDER BY 1")
    assert got["channel"].tolist()[:3] == ["sms", "wechat", "other"]
    assert got["channel"].isna().tolist()[3]
