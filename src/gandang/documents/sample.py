"""A sample reminder letter with every kind of block, for eyeballing the layout (`gandang document-sample`)."""

from __future__ import annotations

from datetime import date

from gandang.documents import conf, wording
from gandang.documents import structure as s
from gandang.documents.models import DocumentKind


class _Wording:
    """The shipped default wording, without touching the database."""

    def __init__(self, kind: str):
        self.title = wording.DEFAULTS[kind]["title"]
        self.body = wording.DEFAULTS[kind]["body"]


def sample_reminder(*, template=None, doc_number: str = "") -> s.Document:
    doc = wording.letter(
        template or _Wording(DocumentKind.REMINDER),
        {
            "unit": "市发展改革委",
            "item": "深化投资项目审批制度改革",
            "code": "2023-07",
            "period": "2023年10月",
            "reason": "连续两个月进展缓慢",
            "level": "改革办督办",
            "requirements": "对照年度改革要点，于11月底前完成审批事项清单梳理，12月15日前出台并联审批实施办法。",
            "deadline": "2023年12月20日",
        },
        issuer=conf.install_issuer(),
        recipient="市发展改革委：",
        date=date(2023, 12, 5),
        doc_number=doc_number or f"{conf.install_prefixes()[DocumentKind.REMINDER]}〔2023〕5号",
        copy_to="市委办公室，市政府办公室。",
    )
    doc.blocks += [
        s.Heading(1, "进展情况"),
        s.Heading(2, "节点完成情况"),
        s.Table(
            header=["时间节点", "计划完成", "实际完成", "状态"],
            rows=[
                ["梳理审批事项", "2023年9月30日", "2023年10月12日", "滞后"],
                ["制定实施办法", "2023年11月30日", "—", "未完成"],
            ],
            caption="表1 节点完成情况",
        ),
        s.Heading(3, "有关说明"),
        s.Paragraph("以上情况根据各单位报送的月度调度材料汇总，如有出入请及时反馈。"),
    ]
    return doc
