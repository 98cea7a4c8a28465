"""The API docs page in Chinese: what each query parameter and each field of an answer means.

Summaries and tags are written beside the endpoints (each app's api.py); the names of parameters and
fields are English identifiers, so the docs page (/api/docs) shows this description beside each one.
One glossary for every endpoint: a name means the same thing wherever it appears.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

FIELDS: dict[str, str] = {
    # identity and paging
    "id": "编号（ID）",
    "item_id": "改革事项ID",
    "report_id": "进展报告ID",
    "listing_id": "挂牌督办ID",
    "matter_id": "督办事项ID",
    "instruction_id": "领导批示ID",
    "meeting_id": "深改委会议ID",
    "consultation_id": "协商座谈会ID",
    "suggestion_id": "意见建议ID",
    "piece_id": "改革信息ID",
    "issue_id": "刊物期次ID",
    "parent_id": "上级方案ID",
    "version": "版本号（修改时用于检测并发修改）",
    "page": "页码，从1开始",
    "pages": "总页数",
    "count": "总条数",
    "items": "本页的改革事项",
    "reports": "本页的进展报告",
    "pieces": "本页的改革信息",
    "uses": "本页的两办两研采用登记",
    # ledger
    "q": "搜索：编号、名称或改革目标中的文字",
    "plan": "改革方案（查询时为方案ID，含其子方案）",
    "area": "改革领域（查询时为领域ID）",
    "unit": "单位（查询时为单位ID）",
    "partner": "采用单位：两办两研协同单位（查询时为单位ID）",
    "withdrawn": "是否包含已撤回的采用登记",
    "leader": "领衔市级领导（查询时为领导ID）",
    "leaders": "领衔市级领导",
    "due_from": "完成时限不早于（年-月-日）",
    "due_to": "完成时限不晚于（年-月-日）",
    "archived": "是否包含已归档事项",
    "code": "编号",
    "title": "名称或标题",
    "goal": "改革目标",
    "deliverable": "成果形式",
    "lead_unit": "牵头单位（几个单位共同牵头时为排在首位、负责汇总报送的单位；查询时为单位ID，含其共同牵头的事项）",
    "joint_lead_units": "共同牵头单位：与首位牵头单位一起牵头的其他单位，按方案中的顺序",
    "lead_units": "全部牵头单位，按方案中的顺序（首位负责汇总报送），即台账“牵头单位”一栏",
    "co_units": "配合单位",
    "start_date": "开始时间",
    "due_date": "完成时限（计划完成日期）",
    "done_date": "实际完成日期",
    "no_fixed_date": "长期坚持/持续推进（无固定完成时限）",
    "due_text": "时限表述",
    "is_key": "重点改革任务",
    "parent": "上级事项",
    "is_archived": "已归档",
    "milestones": "时间节点",
    "evidence": "佐证",
    "name": "名称",
    "year": "年度",
    # dispatch
    "month": "月份（按季度、半年、年报送的方案的调度期为该期最后一个月）",
    "cycle": "报送周期：monthly 按月（全市月调度）、quarterly 按季度、halfyearly 按半年、yearly 按年",
    "deadlines": "报送截止日：每期一个“月-日”，逗号分隔；空为各期最后一个月的报送截止日",
    "plan_id": "改革方案ID（调度期为空时是全市月调度）",
    "label": "名称（如2023年10月、2023年第一季度（方案名称））",
    "opens_on": "开启日期",
    "deadline": "截止日期或整改时限",
    "period": "调度期（查询时为调度期ID）",
    "state": "状态",
    "revision": "修订次数",
    "progress": "本月进展",
    "percent": "完成进度（%）",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "coordination": "需协调事项",
    "submitted_at": "提交时间",
    "accepted_at": "审核通过时间",
    "is_late": "逾期报送",
    "is_missing": "未报送",
    "is_copy": "疑似照抄上月",
    "item_code": "改革事项编号",
    "item_title": "改革事项名称",
    # supervision
    "level": "层级（督办级别或刊发层级）",
    "trigger": "挂牌原因类别",
    "reason": "理由",
    "requirements": "整改要求",
    "listed_on": "挂牌日期",
    "closed_on": "摘牌或撤销日期",
    "rectification_state": "整改报告状态",
    "letters": "提醒函、督办函",
    "kind": "文种",
    "doc_number": "文号",
    "issued_on": "发文日期",
    # achievements
    "summary": "摘要",
    "units": "单位",
    "adopted_on": "采用日期",
    "published_on": "公开展示日期",
    "promotions": "刊发推广",
    "outlet": "刊发载体",
    "level_name": "层级名称",
    "date": "日期",
    "reference": "期号或出处",
    "adopted": "采用的经验做法数",
    "published": "公开展示的经验做法数",
    "by_level": "按层级统计",
    "experiences": "经验做法数",
}


def _choices(label: str, choices) -> str:
    """标记：key 重点改革任务，leader_led 市级领导领衔…, from the choices the pages use."""
    return label + "：" + "，".join(f"{value} {text}" for value, text in choices if value != "")


def glossary() -> dict[str, str]:
    """FIELDS, and the parameters whose values are codes, listed from the choices the code uses."""
    from gandang.ledger.forms import FLAG_CHOICES, SORT_CHOICES, ItemFilterForm
    from gandang.ledger.selectors import DUE_WINDOWS
    from gandang.supervision.models import Listing

    with translation.override(settings.LANGUAGE_CODE):
        return {
            **FIELDS,
            "flag": _choices("标记", FLAG_CHOICES),
            "due": _choices("完成时限", [(k, translation.gettext(v)) for k, v in DUE_WINDOWS.items()]),
            "sort": _choices("排序", SORT_CHOICES),
            "status": _choices("状态", ItemFilterForm.base_fields["status"].choices),  # type: ignore[attr-defined]
            "escalation": _choices("升级督办", Listing.Escalation.choices),
        }


def describe(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with a Chinese description on every parameter and schema field the glossary names (a
    description written in the code wins)."""
    labels = glossary()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                label = labels.get(param.get("name", ""))
                if label and not param.get("description"):
                    param["description"] = label
    for component in schema.get("components", {}).get("schemas", {}).values():
        for name, prop in component.get("properties", {}).items():
            label = labels.get(name)
            if label and not prop.get("description"):
                prop["description"] = label
    return schema
