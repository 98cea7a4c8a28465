"""Copy detection: last month's report recycled (reordered, figures changed) is flagged, a new one is not."""

import json
import random
import re
from pathlib import Path

import pytest
from django.conf import settings

from gandang.dispatch import copies, services
from gandang.dispatch.models import Report

PAIRS = Path(__file__).resolve().parents[2] / "bench" / "copy_pairs.json"

OCTOBER = {
    "progress": "一是出台《深化要素市场化配置改革实施方案》，明确重点任务28项，已分解到21个责任单位。"
    "二是本月完成工业用地“标准地”出让4宗、面积326亩，盘活批而未供土地1150亩。"
    "三是市公共数据开放平台新增开放数据集36个，累计开放数据集1286个。",
    "problems": "数据要素流通交易规则尚不健全；部分县市区存量土地盘活难度较大。",
    "next_steps": "加快研究制定公共数据授权运营管理办法，力争12月底前印发。",
}
REORDERED = OCTOBER | {
    "progress": "一是市公共数据开放平台新增开放数据集36个，累计开放数据集1286个。"
    "二是出台《深化要素市场化配置改革实施方案》，明确重点任务28项，已分解到21个责任单位。"
    "三是本月完成工业用地“标准地”出让4宗、面积326亩，盘活批而未供土地1150亩。",
    "problems": "部分县市区存量土地盘活难度较大；数据要素流通交易规则尚不健全。",
}
NUMBERS_CHANGED = OCTOBER | {
    "progress": "一是出台《深化要素市场化配置改革实施方案》，明确重点任务28项，已分解到21个责任单位。"
    "二是本月完成工业用地“标准地”出让3宗、面积241亩，盘活批而未供土地980亩。"
    "三是市公共数据开放平台新增开放数据集41个，累计开放数据集1327个。",
}
# November's real report: same item, unit and vocabulary, a problem carried over, new facts.
NEW = {
    "progress": "一是印发《公共数据授权运营管理暂行办法》，确定市大数据中心为首批授权运营单位。"
    "二是在肥城市开展数据资产入表试点，指导2家市属国有企业完成数据资源登记。"
    "三是组织高校院所与企业开展技术成果对接活动，签约技术合同15项、成交额3200万元。",
    "problems": "数据要素流通交易规则尚不健全；技术经纪人队伍力量薄弱。",
    "next_steps": "总结数据资产入表试点经验，12月底前在全市推广。",
}


def _labelled() -> list[tuple[str, str, bool, str]]:
    """(this month's text, last month's text, is a copy, the trick) for every labelled pair."""

    def text(fields: dict) -> str:
        return Report(
            progress=fields["progress"], problems=fields["problems"], next_steps=fields["next_steps"]
        ).text_for_similarity()

    data = json.loads(PAIRS.read_text(encoding="utf-8"))
    return [
        (text(p["this"]), text(item["last"]), p["label"] == "copy", p["trick"])
        for item in data["items"]
        for p in item["pairs"]
    ]


def test_the_labelled_set_meets_the_targets():
    """Recall ≥ 95% on copies, false flags < 5% on new reports, at the configured threshold."""
    pairs = _labelled()
    copied = [p for p in pairs if p[2]]
    new = [p for p in pairs if not p[2]]
    assert len(pairs) >= 60 and len(copied) >= 30 and len(new) >= 25
    threshold = settings.GANDANG_COPY_THRESHOLD
    missed = [trick for this, last, _, trick in copied if services.similarity(this, last) < threshold]
    flagged = [trick for this, last, _, trick in new if services.similarity(this, last) >= threshold]
    assert len(missed) / len(copied) <= 0.05, missed
    assert len(flagged) / len(new) < 0.05, flagged


def test_sentence_order_and_figures_do_not_matter():
    data = json.loads(PAIRS.read_text(encoding="utf-8"))
    rng = random.Random(9)
    for item in data["items"]:
        last = item["last"]["progress"]
        sentences = [s for s in re.split(r"(?<=[。；])", last) if s]
        rng.shuffle(sentences)
        shuffled = "".join(sentences)
        refigured = re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), shuffled)
        assert copies.similarity(refigured, last) == 1.0, item["item"]


def test_empty_text_is_never_a_copy():
    assert copies.similarity("", OCTOBER["progress"]) == 0.0
    assert copies.similarity("。；\n ", OCTOBER["progress"]) == 0.0
    assert copies.similarity(OCTOBER["progress"], "") == 0.0


def _save(client, report, fields):
    data = {
        f"r{report.pk}-version": Report.objects.get(pk=report.pk).version,
        f"r{report.pk}-percent": 40,
        f"r{report.pk}-coordination": "",
    } | {f"r{report.pk}-{name}": value for name, value in fields.items()}
    return client.post(f"/dispatch/reports/{report.pk}/edit/", data)


@pytest.fixture
def november(login, city, report_a):
    """Unit A filed October's report; November is open and its report on item a is a draft."""
    client = login(city.users["liaison_a"])
    assert _save(client, report_a, OCTOBER).status_code == 302
    services.period_open(actor=city.users["office"], year=2023, month=11)
    return client, Report.objects.get(item=city.items["a"], period__month=11)


@pytest.mark.parametrize("fields", [REORDERED, NUMBERS_CHANGED], ids=["reordered", "numbers_changed"])
def test_a_recycled_report_is_flagged_when_saved(november, fields):
    client, report = november
    response = _save(client, report, fields)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_copy and report.similarity >= settings.GANDANG_COPY_THRESHOLD
    assert "避免照抄上月内容" in client.get(response["Location"]).content.decode()


def test_a_genuinely_new_report_is_not_flagged(november):
    client, report = november
    response = _save(client, report, NEW)
    assert response.status_code == 302
    report.refresh_from_db()
    assert not report.is_copy and report.similarity < 0.5
    assert "避免照抄上月内容" not in client.get(response["Location"]).content.decode()
