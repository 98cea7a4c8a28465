"""Shipped default wording of letters, and filling a template's {placeholders} into document blocks."""

from __future__ import annotations

from gandang.documents import structure as s
from gandang.documents.models import PLACEHOLDER, DocumentKind

PLACEHOLDERS = {
    "unit",  # the lead unit (主送单位)
    "item",  # the reform item's title
    "code",  # the item's code in the ledger
    "period",  # the dispatch period that found the problem, e.g. 2023年10月
    "reason",  # why the item is listed, e.g. 进展缓慢
    "level",  # listing level, e.g. 改革办督办
    "requirements",  # what the unit must do
    "deadline",  # the rectification deadline in Chinese (for a 督办函: the one the unit missed)
    "reply_deadline",  # a 督办函's new answer deadline
    "issuer",  # the issuing office's name
    "previous_number",  # the number of the earlier letter (督办函 after a 提醒函)
}

DEFAULTS: dict[str, dict[str, str]] = {
    DocumentKind.REMINDER: {
        "name": "提醒函（默认）",
        "title": "关于加快推进“{item}”改革事项的提醒函",
        "body": (
            "经{period}调度，你单位牵头的“{item}”（编号{code}）改革事项存在以下问题：{reason}。"
            "根据挂牌督办工作安排，现将该事项列为{level}事项，特此提醒。\n"
            "# 整改要求\n"
            "{requirements}\n"
            "# 有关事项\n"
            "请你单位高度重视，对照改革方案和时间节点，认真分析原因，制定整改措施，"
            "明确责任人和完成时限，切实加快推进。\n"
            "请于{deadline}前将整改报告经单位主要负责同志签发后报送{issuer}。"
        ),
    },
    DocumentKind.SUPERVISION: {
        "name": "督办函（默认）",
        "title": "关于督办“{item}”改革事项的函",
        "body": (
            "你单位牵头的“{item}”（编号{code}）改革事项因{reason}，已列为{level}事项，"
            "并发放提醒函（{previous_number}）。截至{deadline}，你单位未按要求报送整改报告，整改未达到要求。\n"
            "# 督办要求\n"
            "{requirements}\n"
            "# 有关事项\n"
            "请你单位主要负责同志亲自研究部署，逐项明确整改措施和完成时限，"
            "于{reply_deadline}前将整改落实情况经单位主要负责同志签发后书面报送{issuer}。"
            "逾期仍未整改到位的，将在季度通报中予以通报。"
        ),
    },
}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {name} with values[name]; unknown names stay visible rather than failing.

    Plain substitution, not str.format: office-edited text must not reach attributes of objects.
    """
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def blocks_from_body(body: str, values: dict[str, str]) -> list[s.Block]:
    """Lines of a template body as blocks: "# " a level-1 heading, "## " level 2, else a paragraph."""
    blocks: list[s.Block] = []
    for raw in body.splitlines():
        raw = raw.strip()
        # Headings come from the template's own lines; a value typed on several lines (the office's
        # requirements) becomes one paragraph per line, as it was typed.
        if raw.startswith("## "):
            blocks.append(s.Heading(2, fill(raw[3:].strip(), values)))
        elif raw.startswith("# "):
            blocks.append(s.Heading(1, fill(raw[2:].strip(), values)))
        else:
            blocks += [s.Paragraph(part.strip()) for part in fill(raw, values).splitlines() if part.strip()]
    return blocks


def letter(
    template,
    values: dict[str, str],
    *,
    issuer: str,
    recipient: str,
    date,
    doc_number: str = "",
    copy_to: str = "",
) -> s.Document:
    """A letter (提醒函, 督办函) from the office's template and the record's values."""
    values = {"issuer": issuer, **values}
    return s.Document(
        issuer=issuer,
        doc_number=doc_number,
        title=fill(template.title, values),
        recipient=recipient,
        blocks=blocks_from_body(template.body, values),
        signature=issuer,
        date=date,
        copy_to=copy_to,
    )
