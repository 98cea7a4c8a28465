"""An overdue matter's escalation: the office's numbered 催办函, then the 督办函 (by the tick or the office)
when the 催办函 goes unanswered, each through the one document renderer and shown where the office looks."""

from datetime import date

import pytest

from gandang.city.calendar import lines, run_tick
from gandang.core import clock
from gandang.core.errors import ServiceError
from gandang.documents.services import number_issue
from gandang.matters import letters
from gandang.matters.models import Matter, MatterLetter, MatterStep
from gandang.notifications.models import Notification
from tests.matters.conftest import answer, step

L = MatterLetter.Kind
LATE = date(2023, 12, 1)  # the day after the matter's deadline (2023-11-30)


def _urge(city, matter, today=LATE, **kw):
    return letters.matter_urge(actor=city.users["office"], matter=matter, today=today, **kw)


def test_the_office_urges_an_overdue_matter_with_a_numbered_letter(city, matter):
    letter = _urge(city, matter)
    assert (letter.kind, letter.doc_number, letter.deadline) == (L.URGE, "改提〔2023〕1号", date(2023, 12, 8))
    doc = letters.letter_as_document(letter)
    text = doc.text()
    assert doc.title.startswith("关于抓紧办理“王建国批示：") and doc.title.endswith("月底前报进展”的催办函")
    assert "市发展改革委：" in text and "办理时限为2023年11月30日" in text and "2023年12月8日前" in text
    assert "请市发改委抓紧推进，月底前报进展。" in text  # the instruction's text, as the 交办要求
    told = Notification.objects.filter(url=letter.get_absolute_url())
    assert set(told.values_list("user__username", flat=True)) == {"liaison_a", "head_a"}
    step_row = MatterStep.objects.get(matter=matter, action="urge")
    assert step_row.get_action_label() == "发催办函" and "改提〔2023〕1号" in step_row.reason


def test_the_letters_share_the_offices_series_with_supervisions(city, matter):
    """A 催办函 is numbered in the 提醒函 series: one 文号 never names two documents."""
    number_issue(kind="reminder", year=2023)  # a listing's 提醒函 took 1号
    assert _urge(city, matter).doc_number == "改提〔2023〕2号"


@pytest.mark.parametrize(
    ("today", "who", "why"),
    [
        (date(2023, 11, 30), "office", "办理时限（2023年11月30日）未过"),
        (LATE, "leader", "只有改革办"),
        (LATE, "liaison_a", "只有改革办"),
    ],
)
def test_a_matter_not_yet_late_or_by_another_role_is_not_urged(city, matter, today, who, why):
    with pytest.raises(ServiceError, match=why):
        letters.matter_urge(actor=city.users[who], matter=matter, today=today)
    assert not MatterLetter.objects.exists()


def test_an_answer_at_the_office_is_not_urged_and_nothing_is_urged_twice(city, matter):
    _urge(city, matter)
    with pytest.raises(ServiceError, match="已发催办函"):
        _urge(city, matter)
    answer(matter, city.users["liaison_a"])
    step(matter, city.users["liaison_a"], "submit")
    step(matter, city.users["head_a"], "approve")
    with pytest.raises(ServiceError, match="办理情况已报送改革办待办结"):
        letters.matter_escalate(actor=city.users["office"], matter=matter, today=date(2023, 12, 20))
    assert MatterLetter.objects.count() == 1


def test_a_reply_deadline_must_be_after_today(city, matter):
    with pytest.raises(ServiceError, match="答复时限应晚于今天"):
        _urge(city, matter, reply_deadline=LATE)
    assert not MatterLetter.objects.exists()


def test_the_tick_escalates_an_unanswered_letter_to_a_supervision_letter(city, matter):
    run_tick(today=LATE)  # overdue: the unit is told, the office hears it may urge
    office_told = Notification.objects.filter(
        user=city.users["office"], title__startswith="督办事项逾期未办结"
    )
    assert office_told.count() == 1 and "可发催办函" in office_told.get().body
    with clock.pinned(LATE):
        urge = _urge(city, matter)
    run_tick(today=date(2023, 12, 8))  # on the 催办函's deadline: not yet
    assert not MatterLetter.objects.filter(kind=L.SUPERVISE).exists()
    reminder = (
        Notification.objects.filter(user=city.users["liaison_a"], title__startswith="督办事项已逾期")
        .order_by("id")
        .last()
    )
    assert reminder is not None and urge.doc_number in reminder.body  # the day's notice names the letter
    run = run_tick(today=date(2023, 12, 9))
    sup = MatterLetter.objects.get(kind=L.SUPERVISE)
    assert (
        sup.doc_number == "改督〔2023〕1号" and sup.issued_by is None and sup.deadline == date(2023, 12, 16)
    )
    assert any(line.startswith("催办函逾期未复、发督办函") and sup.doc_number in line for line in lines(run))
    doc = letters.letter_as_document(sup)
    assert f"已发放催办函（{urge.doc_number}）" in doc.text() and "截至2023年12月8日" in doc.text()
    assert run_tick(today=date(2023, 12, 20)).names["matters_escalated"] == []  # once only
    assert MatterLetter.objects.filter(kind=L.SUPERVISE).count() == 1


def test_the_supervision_letter_is_copied_to_the_leader_who_wrote_the_instruction(city):
    from gandang.matters import services

    ins = services.instruction_write(
        actor=city.users["leader"],
        item=city.items["a"],
        text="请抓紧推进",
        unit=city.units["a"],
        deadline=date(2023, 11, 20),
    )
    m = ins.matters.get()
    _urge(city, m, today=date(2023, 11, 21))
    sup = letters.matter_escalate(actor=city.users["office"], matter=m, today=date(2023, 11, 29))
    assert letters.letter_as_document(sup).copy_to == "赵明远同志。"
    told = Notification.objects.filter(url=sup.get_absolute_url()).values_list("user__username", flat=True)
    assert "leader" in set(told)


def test_the_tick_does_not_escalate_an_answer_waiting_at_the_office(city, matter):
    _urge(city, matter)
    answer(matter, city.users["liaison_a"])
    step(matter, city.users["liaison_a"], "submit")
    step(matter, city.users["head_a"], "approve")
    run_tick(today=date(2023, 12, 20))
    assert not MatterLetter.objects.filter(kind=L.SUPERVISE).exists()


# ---------------------------------------------------------------- the pages


def test_the_overdue_list_offers_the_office_the_letter_and_returns_to_it(login, city, matter):
    client = login(city.users["office"])
    with clock.pinned(LATE):
        page = client.get("/matters/?overdue=1").content.decode()
        assert "发催办函" in page
        response = client.post(f"/matters/{matter.pk}/urge/", {"next": "/matters/?overdue=1"})
        assert response.status_code == 302 and response["Location"] == "/matters/?overdue=1"
        page = client.get("/matters/?overdue=1").content.decode()
    assert "已发催办函" in page and "改提〔2023〕1号" in page
    assert MatterLetter.objects.get().issued_by == city.users["office"]


def test_the_unit_sees_the_letter_on_its_matter_but_no_button(login, city, matter):
    _urge(city, matter)
    with clock.pinned(LATE):
        page = login(city.users["liaison_a"]).get(matter.get_absolute_url()).content.decode()
    assert "督办文书" in page and "改提〔2023〕1号" in page
    assert "发催办函</button>" not in page and "升级：发督办函" not in page


def test_the_matter_page_offers_the_escalation_once_the_letter_is_late(login, city, matter):
    _urge(city, matter)
    client = login(city.users["office"])
    with clock.pinned(date(2023, 12, 9)):
        assert "升级：发督办函" in client.get(matter.get_absolute_url()).content.decode()
        response = client.post(f"/matters/{matter.pk}/escalate/", {"deadline": "2023-12-31"})
        assert response.status_code == 302
        page = client.get(matter.get_absolute_url()).content.decode()
    assert MatterLetter.objects.get(kind=L.SUPERVISE).deadline == date(2023, 12, 31)
    assert "改督〔2023〕1号" in page and "升级：发督办函" not in page


@pytest.mark.parametrize("deadline", ["2023-02-30", "2023-12-01", "x" * 300])
def test_a_bad_reply_deadline_is_refused_and_issues_nothing(login, city, matter, deadline):
    client = login(city.users["office"])
    with clock.pinned(LATE):
        response = client.post(f"/matters/{matter.pk}/urge/", {"deadline": deadline}, follow=True)
    assert response.status_code == 200 and not MatterLetter.objects.exists()
    assert "msg-error" in response.content.decode()


def test_the_letter_downloads_as_word_and_a_gbt9704_pdf(login, city, matter, tmp_path):
    import shutil
    import subprocess

    letter = _urge(city, matter)
    client = login(city.users["liaison_a"])
    docx = client.get(f"/matters/letters/{letter.pk}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(f"/matters/letters/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login(city.users["liaison_b"]).get(f"/matters/letters/{letter.pk}.pdf").status_code == 404
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "改提〔2023〕1号" in text and "催办函" in text


def test_a_closed_matter_offers_no_letter(city, matter):
    answer(matter, city.users["liaison_a"])
    for who, action in (("liaison_a", "submit"), ("head_a", "approve"), ("office", "close")):
        step(matter, city.users[who], action)
    matter.refresh_from_db()
    assert matter.state == Matter.State.CLOSED
    assert letters.offer(city.users["office"], matter, today=LATE) is None
    with pytest.raises(ServiceError, match="不能催办"):
        _urge(city, matter)
