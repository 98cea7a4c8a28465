"""Messy ledger workbooks built the way offices keep them, for the import tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADER = [
    "序号",
    "编号",
    "改革任务",
    "工作目标",
    "成果形式",
    "牵头市级领导",
    "责任单位",
    "参与单位",
    "完成时间",
    "是否重点",
    "上级编号",
    "备注",
]


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Any]], *, merges: Sequence[str] = (), title: str = ""
) -> Path:
    """A one-sheet workbook with `rows` (and merged ranges such as "A3:L3")."""
    wb = Workbook()
    ws = wb.active
    ws.title = title or "台账"
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path


def ledger(path: Path, items: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER) -> Path:
    """Title rows, then the header on row 3, then `items` (lists in header order)."""
    return write_xlsx(path, [["2023年全市重点改革任务台账"], ["填报单位：市委改革办"], list(header), *items])


def messy_ledger(path: Path) -> Path:
    """Title rows, merged area rows, every unit separator, leaders with titles, several due phrases.

    Row numbers (Excel): title 1-2, blank 3, header 4, area 5, items 6-9, area 10, items 11-13.
    """
    rows: list[list[Any]] = [
        ["2023年全市重点改革任务台账"],
        [None, None, None, "（截至2023年12月）"],
        [],
        [
            "序号",
            "重点改革任务",
            "改革目标",
            "成果形式",
            "领衔市级领导",
            "牵头单位",
            "配合单位",
            "完成时限",
            "重点",
            "备注",
        ],
        ["一、经济体制改革（4项）"],
        [
            1,
            "深化要素市场化配置改革",
            "构建土地要素保障新格局",
            "政策文件",
            "赵明远（副市长）",
            "市发改委",
            "岱岳区、市教育局",
            "2023年6月底前",
            "是",
            "领导领衔",
        ],
        [
            2,
            "推进国资国企改革",
            "市属企业重组整合",
            "制度机制",
            "赵明远(副市长)、王建国（市委常委、秘书长）",
            "市国资委，泰山城建集团",
            "市财政局；岱岳区",
            "2023年9月底前完成方案，12月底前形成经验",
            "√",
            None,
        ],
        [
            3,
            "推行思政首课负责制",
            "",
            "经验做法",
            "",
            "市教育局",
            "宁阳县 新泰市,肥城市",
            "长期坚持",
            "",
            None,
        ],
        [
            4,
            "深化“科创中国”试点城市建设",
            None,
            None,
            None,
            "市发展改革委",
            "各县（市、区）",
            datetime(2023, 11, 30),
            None,
            None,
        ],
        ["二、社会体制改革（3项）"],
        [1, "实施主城区分级办学管理体制改革", None, None, None, "市教育局", None, "三季度", None, None],
        [2, "推进九女峰乡村振兴片区建设", None, None, None, "岱岳区", None, "10月中旬", None, None],
        [3, "创新人才引育留用机制", None, None, None, "宁阳县", None, "２０２３年下半年", None, None],
        ["注：完成时限以市委印发文件为准。"],
    ]
    return write_xlsx(path, rows, merges=["A1:J1", "A5:J5", "A10:J10"])
