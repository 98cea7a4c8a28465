"""Write a messy office ledger (.xlsx) the way reform offices really keep them.

    python bench/make_sample_ledger.py samples/办公室台账示例.xlsx --rows 40
    python bench/make_sample_ledger.py /tmp/big.xlsx --rows 10000

Title rows above the header, header names that are synonyms of the platform's, merged area
rows ("一、经济体制改革（8项）"), 序号 restarting in every area, several units per cell with
every separator offices use, the demo city's leaders written with their titles, every kind of
due phrase, and two units the demo city (`gandang demo`) does not have yet. Used by the bench
and as the newcomer's sample.
"""

from __future__ import annotations

import argparse
import itertools
import random
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# Written in the sample but unknown to the demo city (gandang demo): the import asks before
# creating them. ("泰安高新区管委会" is how some offices write the demo's 泰安高新区.)
UNKNOWN_UNITS = ["市数字经济发展中心", "泰安高新区管委会"]

AREAS = [
    "经济体制改革",
    "民主法制领域改革",
    "文化体制改革",
    "社会体制改革",
    "生态文明体制改革",
    "党的建设制度改革",
]
TITLES = {
    "经济体制改革": [
        (
            "纵深推进新型工业化强市建设",
            "健全“链长+副链长+专班”推进机制，完善组织、规划、政策三个“1+N”体系",
            "制度机制",
        ),
        ("深化国资国企改革", "推进市属企业重组整合，完善中国特色现代企业制度", "制度机制"),
        ("推进要素市场化配置改革", "构建土地要素保障新格局，提高要素配置效率", "政策文件"),
        ("推动现代服务业高质量发展", "落实“1+1+N”规划体系，实行项目化管理、清单化推进", "工作方案"),
        ("优化民营经济发展环境", "推动民营经济发展，破除市场准入壁垒", "经验做法"),
        ("深化“科创中国”试点城市建设", "完善科技成果转化机制，建设数字经济产业链工匠学院", "改革试点"),
        ("推进盐穴储能储气综合利用改革", "探索盐穴资源综合利用新路径", "经验做法"),
    ],
    "民主法制领域改革": [
        ("深化“众议众调三步走”工作法", "推广新时代“枫桥经验”，做实矛盾纠纷多元化解", "经验做法"),
        ("打造根治欠薪全程全时全域新模式", "建设全国一体化在线监管平台支撑根治欠薪工作", "改革试点"),
        ("推行“信易批”信用审批改革", "以“信用+”赋能政务服务全领域", "制度机制"),
        ("推进政务服务全流程“一链办理”", "开展标准化试点，实现高频事项一链办理", "改革试点"),
    ],
    "文化体制改革": [
        ("推进泰山文化传承发展示范区建设", "编制示范区建设规划和三年行动计划", "工作方案"),
        ("推动文旅产业“串珠成链”", "整合文旅资源，培育文旅市场主体", "经验做法"),
        ("深化“泰山+”文章", "打造文旅融合发展新品牌", "经验做法"),
    ],
    "社会体制改革": [
        ("推行“思政首课负责制”", "构建“人人讲、科科讲、天天讲”的滴灌式思政教育格局", "制度机制"),
        ("实施主城区分级办学管理体制改革", "按照“同城同权”原则实行城区高中统一招生", "政策文件"),
        ("创新人才“引育留用”机制", "完善人才引进、培育、留用、使用全链条机制", "制度机制"),
        ("推进九女峰乡村振兴片区建设", "探索乡村振兴片区化发展路径", "改革试点"),
    ],
    "生态文明体制改革": [
        (
            "建设黄河流域生态保护和高质量发展先行区",
            "打好环境问题整治、深度节水控水、生态保护修复攻坚战",
            "工作方案",
        ),
        ("探索资源枯竭城市高质量发展路径", "推动新泰市转型发展", "经验做法"),
        ("深化生态环境领域真抓实干激励机制", "争取国务院督查激励", "制度机制"),
    ],
    "党的建设制度改革": [
        ("推进干部能上能下", "落实《不担当不作为干部待岗管理办法》，实行“三晒一评一公开”", "制度机制"),
        ("完善干部经常考察精准画像", "建立分类管理机制", "制度机制"),
        ("实行市级领导领衔推进改革制度", "市级领导牵头抓落实重点改革事项", "制度机制"),
    ],
}
# Due cells as offices write them: every phrase the importer reads, and real date cells.
DUE_PHRASES: list[object] = [
    "2023年6月底前",
    "2023年12月",
    "2023年年底前",
    "2023年底前",
    "2023年底",
    "2023年上半年",
    "下半年",
    "2023年第三季度",
    "三季度",
    "2023年11月30日",
    datetime(2023, 11, 30),
    "2023.11.30",
    "2023-10-31",
    "2023/9/30",
    "10月中旬",
    "9月上旬",
    "11月下旬",
    "长期坚持",
    "持续推进",
    "长期",
    "2023年9月底前完成方案，12月底前形成经验",
    "6月底前",
    "２０２３年８月底前",
    "2023年5月底前出台实施意见；10月底前开展评估",
]
LEAD_CELLS = [
    "市发改委",
    "市教育局",
    "市行政审批服务局",
    "市国资委、泰山城建集团",  # two lead units: the second becomes a co-unit
    "岱岳区",
    "宁阳县",
    "新泰市",
    "肥城市",
    "市审批服务局",
    "市委组织部",
    "市文旅局",
    "市生态环境局",
]
CO_CELLS = [
    "市财政局、市人社局",
    "市自然资源局，市生态环境局",
    "市大数据局；市科技局",
    "岱岳区 泰山区",
    "新泰市,肥城市",
    "东平县、泰山区",
    "市司法局;市委政法委",
    "",
    "泰山文旅集团、东平县",
]
# The demo city's leaders, written the ways offices write them.
LEADER_CELLS = [
    "郑文涛（市委常委、常务副市长）",
    "贺子谦(市委常委、秘书长)",
    "程瑞霖（副市长）、苏海川（副市长）",
    "",
    "沈立群（市委常委、组织部部长）",
    "卢雅宁 副市长",
]
CN_NUMERALS = "一二三四五六七八九十"
HEADER = [
    "序号",
    "改革任务",
    "改革目标",
    "成果形式",
    "领衔市级领导",
    "牵头单位",
    "配合单位",
    "完成时限\n（时间节点）",
    "是否重点",
    "备注",
]


def _area_label(index: int, name: str, count: int) -> str:
    numeral = CN_NUMERALS[index] if index < 10 else str(index + 1)
    return f"{numeral}、{name}（{count}项）"


def _plan_rows(total: int) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Items per area: the hand-written pool, numbered when a big file needs more titles."""
    pool = [(area, t) for area in AREAS for t in TITLES[area]]
    chosen: dict[str, list[tuple[str, str, str]]] = {a: [] for a in AREAS}
    for n, (area, (title, goal, kind)) in zip(range(total), itertools.cycle(pool), strict=False):
        lap = n // len(pool)
        chosen[area].append((f"{title}（{lap + 1}）" if lap else title, goal, kind))
    return [(a, rows) for a, rows in chosen.items() if rows]


def build_ledger(path: Path, rows: int = 40, *, seed: int = 2023, unknown_units: bool = True) -> Path:
    """Write a messy ledger of `rows` items to `path`; returns the path."""
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "重点改革任务"
    width = len(HEADER)
    ws.append(["2023年全市重点改革任务台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位：市委改革办", None, None, None, None, None, None, "更新时间：2023年12月5日"])
    ws.append([])
    ws.append(HEADER)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    n = 0
    for area_index, (area, items) in enumerate(_plan_rows(rows)):
        ws.append([_area_label(area_index, area, len(items))])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        for seq, (title, goal, kind) in enumerate(items, start=1):
            n += 1
            co = CO_CELLS[n % len(CO_CELLS)]
            if unknown_units and n in (7, 23):
                co = "、".join(filter(None, [co, UNKNOWN_UNITS[0 if n == 7 else 1]]))
            ws.append(
                [
                    seq,
                    title,
                    goal,
                    kind,
                    LEADER_CELLS[n % len(LEADER_CELLS)],
                    LEAD_CELLS[n % len(LEAD_CELLS)],
                    co,
                    DUE_PHRASES[n % len(DUE_PHRASES)],
                    "√" if rng.random() < 0.3 else "",
                    "市级领导领衔" if n % len(LEADER_CELLS) in (0, 1, 2, 4) else None,
                ]
            )
    wb.save(path)
    return path


def seed_demo_names() -> None:
    """Create the demo city's units and leaders only (needs Django set up); used by the bench."""
    from gandang.org.demo import LEADERS, UNITS
    from gandang.org.models import Leader, Unit

    for order, (name, aliases, kind) in enumerate(UNITS):
        Unit.objects.get_or_create(
            name=name, defaults={"aliases": aliases, "kind": kind, "sort_order": order}
        )
    for order, (name, title) in enumerate(LEADERS):
        Leader.objects.get_or_create(name=name, defaults={"title": title, "sort_order": order})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    build_ledger(args.output, args.rows, seed=args.seed)
    print(f"wrote {args.rows} rows to {args.output}")


if __name__ == "__main__":
    main()
