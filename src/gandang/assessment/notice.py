"""The results notice (考核结果通报) of a finalized run, as an official document for the shared renderer."""

from __future__ import annotations

from datetime import date

from gandang.assessment import selectors
from gandang.assessment.models import Run
from gandang.assessment.rules import fmt
from gandang.documents import conf
from gandang.documents import structure as s

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def notice_title(run: Run) -> str:
    return f"关于{run.scheme.year}年度全面深化改革考核结果的通报"


def notice_document(run: Run, *, on: date, doc_number: str) -> s.Document:
    """The notice: the scheme and how it was scored, one ranking table per unit kind, the green channel."""
    ranking = selectors.ranking(run)
    n_units = sum(len(g.rows) for g in ranking.groups)
    issuer = conf.issuer()
    green = [i["name"] for i in run.config.get("indicators", []) if i.get("green_channel")]
    blocks: list[s.Block] = [
        s.Paragraph(
            f"根据《{run.scheme.name}》，对照年度改革任务完成、月调度报送、督办整改、经验推广、"
            f"改革试点和荣誉表彰等情况，对{n_units}个单位{run.scheme.year}年度改革工作进行了考核。"
            "考核结果已经公示，现予通报。"
        ),
        s.Heading(1, "考核结果"),
    ]
    for g in ranking.groups:
        blocks.append(s.Heading(2, f"{g.label}（{len(g.rows)}个）"))
        blocks.append(
            s.Table(
                header=["名次", "单位", "考核得分", "绿色通道", "总分", "等次"],
                rows=[
                    [
                        str(r.result.rank),
                        r.result.unit_name,
                        fmt(r.result.base),
                        fmt(r.result.green),
                        fmt(r.result.total),
                        r.result.grade,
                    ]
                    for r in g.rows
                ],
            )
        )
    if green:
        blocks.append(
            s.Paragraph(f"“{'”“'.join(green)}”等指标纳入绿色通道，直接计入综合考核，已单列并计入总分。")
        )
    blocks += [
        s.Heading(1, "有关要求"),
        s.Paragraph(
            "各单位要对照考核结果和得分明细，认真查找改革工作中的短板弱项，举一反三抓好整改；"
            "考核优秀的单位要总结经验、再接再厉，持续推动改革走深走实。"
        ),
    ]
    return s.Document(
        issuer=issuer,
        title=notice_title(run),
        recipient="各有关单位：",
        blocks=blocks,
        signature=issuer,
        date=on,
        doc_number=doc_number,
    )


def issued_document(run: Run) -> s.Document | None:
    return s.document_from_data(run.notice_content) if run.notice_content else None


def render(doc: s.Document, fmt_: str) -> bytes:
    if fmt_ == "docx":
        from gandang.documents.word import render_docx

        return render_docx(doc)
    from gandang.documents.pdf import render_pdf

    return render_pdf(doc)
