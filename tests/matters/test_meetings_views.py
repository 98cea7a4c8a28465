"""The meetings' pages: the office prepares a meeting, a unit proposes a topic with materials, the office
reviews, records observers, the minutes and decisions; bad input keeps what was typed; the list's queries
do not grow with its rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandang.matters import meeting_services as ms
from gandang.matters.meeting_models import Meeting, Topic
from gandang.matters.models import Matter
from tests.matters.meetings import held, prepare

pytestmark = pytest.mark.django_db


def test_the_office_creates_a_meeting_numbered_after_the_last(login, city):
    client = login(city.users["office"])
    prepare(city, number=2)
    assert 'value="3"' in client.get("/matters/meetings/new/").content.decode()
    response = client.post(
        "/matters/meetings/new/",
        {"number": 3, "held_on": "2023-12-20", "place": "市委第一会议室", "chair": city.leader.pk},
    )
    meeting = Meeting.objects.get(number=3)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.title == "市委全面深化改革委员会第三次会议" and meeting.state == "preparing"


def test_a_duplicate_number_is_refused_in_chinese_and_what_was_typed_stays(login, city):
    client = login(city.users["office"])
    prepare(city, number=2)
    response = client.post(
        "/matters/meetings/new/", {"number": 2, "held_on": "2023-12-20", "place": "第二会议室"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "第2次会议已存在" in page and "第二会议室" in page
    assert Meeting.objects.count() == 1


def test_a_liaison_proposes_a_topic_with_materials_and_the_office_sees_it_to_review(login, city, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = prepare(city)
    client.force_login(city.users["liaison_a"])
    response = client.post(f"/matters/meetings/{meeting.pk}/topics/", {"title": "要素市场化配置改革汇报"})
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    pdf = SimpleUploadedFile("汇报材料.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(f"/matters/meetings/topics/{topic.pk}/materials/", {"file": pdf})
    assert topic.materials.get().name == "汇报材料.pdf"
    # Unit B does not see unit A's topic, nor its materials.
    client.force_login(city.users["liaison_b"])
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert "要素市场化配置改革汇报" not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(city.users["office"])
    home = client.get("/").content.decode()
    assert "待审核的会议议题" in home and "要素市场化配置改革汇报" in home
    client.post(f"/matters/meetings/topics/{topic.pk}/step/return/", {"reason": "请补充起草说明"})
    client.force_login(city.users["liaison_a"])
    home = client.get("/").content.decode()
    assert "被退回的会议议题" in home and "请补充起草说明" in home
    client.post(f"/matters/meetings/topics/{topic.pk}/step/resubmit/")
    assert "被退回的会议议题" not in client.get("/").content.decode()
    client.force_login(city.users["office"])
    client.post(f"/matters/meetings/topics/{topic.pk}/step/accept/", {"next": "meeting"})
    topic.refresh_from_db()
    assert topic.state == Topic.State.ACCEPTED
    # On the agenda, unit B sees its title (not its materials).
    client.force_login(city.users["liaison_b"])
    assert "要素市场化配置改革汇报" in client.get(meeting.get_absolute_url()).content.decode()


def test_the_minutes_are_kept_when_refused_and_issued_as_word_and_pdf(login, city):
    client = login(city.users["office"])
    meeting = held(city)
    response = client.post(
        f"/matters/meetings/{meeting.pk}/minutes/",
        {"minutes": "会议听取了汇报。", "version": meeting.version + 5},
    )
    assert response.status_code == 400 and "会议听取了汇报。" in response.content.decode()
    assert "他人修改" in response.content.decode()
    client.post(
        f"/matters/meetings/{meeting.pk}/minutes/",
        {"minutes": "会议听取了汇报。", "version": meeting.version},
    )
    client.post(f"/matters/meetings/{meeting.pk}/minutes/issue/")
    meeting.refresh_from_db()
    assert meeting.doc_number == "改纪〔2023〕1号"
    docx = client.get(f"/matters/meetings/{meeting.pk}/minutes.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<h3>一、会议议定事项</h3>" in page and "改纪〔2023〕1号" in page
    client.force_login(city.users["liaison_b"])
    pdf = client.get(f"/matters/meetings/{meeting.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_a_decision_without_a_unit_is_refused_and_its_text_kept(login, city):
    client = login(city.users["office"])
    meeting = held(city, decision=False)
    response = client.post(
        f"/matters/meetings/{meeting.pk}/decisions/",
        {"decision-text": "制定实施方案", "decision-deadline": "2023-12-31"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "请选择牵头单位" in page and "制定实施方案" in page
    assert not meeting.decisions.exists()


def test_the_office_turns_a_decision_into_a_matter_from_the_meeting_page(login, city):
    client = login(city.users["office"])
    decision = held(city).decisions.get()
    response = client.post(f"/matters/meetings/decisions/{decision.pk}/matter/")
    matter = Matter.objects.get(decision=decision)
    assert response.status_code == 302
    page = client.get(decision.meeting.get_absolute_url()).content.decode()
    assert matter.get_absolute_url() in page and "办理中" in page
    assert decision.get_absolute_url() in client.get(matter.get_absolute_url()).content.decode()


def test_an_observers_comment_is_assigned_as_a_matter(login, city):
    client = login(city.users["office"])
    meeting = held(city, decision=False)
    obs = meeting.observers.get()
    client.post(f"/matters/meetings/observers/{obs.pk}/comments/", {"text": "建议加快审批改革"})
    comment = meeting.comments.get()
    response = client.post(
        f"/matters/meetings/comments/{comment.pk}/assign/",
        {"unit": city.units["b"].pk, "deadline": "2023-12-31"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.matter.unit == city.units["b"] and comment.matter.source == "observer"


def test_an_observers_comment_is_answered_like_a_suggestion_adopted_or_not_and_why(login, city):
    """The unit says whether it adopts the observer's comment before it can send its answer; the meeting's
    page then shows the outcome beside the comment."""
    office = city.users["office"]
    meeting = held(city, decision=False)
    comment = ms.comment_add(actor=office, observer=meeting.observers.get(), text="建议加快审批改革")
    matter = ms.comment_assign(
        actor=office,
        comment=comment,
        assignment=ms.Assignment(unit=city.units["a"], deadline=date(2023, 12, 31)),
    )
    client = login(city.users["liaison_a"])
    page = client.get(matter.get_absolute_url()).content.decode()
    assert 'name="outcome"' in page and 'name="outcome_reason"' in page
    refused = client.post(
        f"/matters/{matter.pk}/answer/",
        {"answer": "已研究", "version": matter.version, "then": "submit"},
        follow=True,
    )
    matter.refresh_from_db()
    assert matter.state == "draft" and matter.answer == "已研究"  # the text is kept, the step refused
    assert "采纳" in refused.content.decode()
    client.post(
        f"/matters/{matter.pk}/answer/",
        {
            "answer": "已研究，纳入明年改革要点",
            "outcome": "partly",
            "outcome_reason": "部分事项需省级授权",
            "version": matter.version,
            "then": "submit",
        },
    )
    matter.refresh_from_db()
    assert (matter.state, matter.outcome) == ("submitted", "partly")
    assert "部分采纳" in login(office).get(meeting.get_absolute_url()).content.decode()


def test_an_observers_comment_matter_links_back_to_its_meeting(login, city):
    """The unit answering a sit-in observer's comment, and the office closing it, reach the meeting it was
    made at from the matter's page, as a decision's matter does."""
    office = city.users["office"]
    meeting = held(city, decision=False)
    comment = ms.comment_add(actor=office, observer=meeting.observers.get(), text="建议加快审批改革")
    matter = ms.comment_assign(
        actor=office,
        comment=comment,
        assignment=ms.Assignment(unit=city.units["a"], deadline=date(2023, 12, 31)),
    )
    page = login(city.users["liaison_a"]).get(matter.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}#comment-{comment.pk}"' in page and "查看会议" in page


def test_a_decisions_matter_reads_as_one_matter_in_english(login, city):
    meeting = held(city)
    matter = ms.decision_to_matter(actor=city.users["office"], decision=meeting.decisions.get())
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in (meeting.get_absolute_url(), "/matters/meetings/decisions/"):
        page = client.get(url).content.decode()
        assert f'<a href="{matter.get_absolute_url()}">Tracked matter</a>' in page, url


def test_the_api_lists_meetings_with_their_decisions_state(login, city):
    client = login(city.users["liaison_b"])
    decision = held(city).decisions.get()
    ms.decision_to_matter(actor=city.users["office"], decision=decision)
    [row] = client.get("/api/matters/meetings").json()
    assert row["agenda"] == ["关于要素市场化配置改革的汇报"]
    assert row["decisions"][0]["matter_state"] == "draft" and row["decisions"][0]["open"] is True
    assert [d["id"] for d in client.get("/api/matters/decisions/open").json()] == [decision.pk]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_years_decisions_carried_out_and_open_link_to_their_lists(login, city):
    client = login(city.users["leader"])
    first = held(city)
    ms.decision_add(
        actor=city.users["office"],
        meeting=first,
        data=ms.DecisionInput(text="第二项已办结", unit=city.units["b"], deadline=date(2099, 1, 1)),
    )
    matter = ms.decision_to_matter(actor=city.users["office"], decision=first.decisions.get(seq=2))
    Matter.objects.filter(pk=matter.pk).update(state=Matter.State.CLOSED)
    page = client.get("/matters/meetings/").content.decode()
    assert "2023年会议议定事项 2 项" in page and "已落实 1 项" in page and "未落实 1 项" in page
    done = client.get("/matters/meetings/decisions/?year=2023&state=done").content.decode()
    assert "第二项已办结" in done and "要素市场化配置改革实施方案" not in done
    still = client.get("/matters/meetings/decisions/?year=2023&state=open").content.decode()
    assert "第二项已办结" not in still and "要素市场化配置改革实施方案" in still


@pytest.mark.parametrize(
    "url",
    [
        "/matters/meetings/",
        "/api/matters/meetings",
        "/matters/meetings/{next}/",
        "/matters/meetings/decisions/",
    ],
)
def test_queries_do_not_grow_with_meetings(login, city, settings, url):
    settings.GANDANG_PAGE_SIZE = 100
    client = login(city.users["office"])

    def add(first, n):
        for number in range(first, first + n):
            meeting = held(city, number=number)
            ms.decision_to_matter(actor=city.users["office"], decision=meeting.decisions.get())
            ms.decision_add(
                actor=city.users["office"],
                meeting=meeting,
                data=ms.DecisionInput(
                    text="第二项", unit=city.units["b"], deadline=date(2099, 1, 1), co_units=[city.units["c"]]
                ),
            )

    add(1, 2)
    nxt = prepare(city, number=99, held_on=date(2099, 1, 1))
    few = _count(client, url.format(next=nxt.pk))
    add(3, 6)
    assert _count(client, url.format(next=nxt.pk)) == few


def test_what_an_english_user_stores_stays_chinese(login, city):
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/matters/meetings/new/", {"number": 5, "held_on": "2023-10-20"})
    meeting = Meeting.objects.get(number=5)
    assert meeting.title == "市委全面深化改革委员会第五次会议"
    ms.meeting_hold(actor=city.users["office"], meeting=meeting)
    client.post(
        f"/matters/meetings/{meeting.pk}/decisions/",
        {"decision-text": "制定方案", "decision-unit": city.units["a"].pk, "decision-deadline": "2023-12-31"},
    )
    client.post(f"/matters/meetings/decisions/{meeting.decisions.get().pk}/matter/")
    assert Matter.objects.get().title.startswith("市委深改委第五次会议议定事项1")


def test_the_office_workbench_lists_a_held_meetings_decisions_still_to_dispatch(login, city):
    client = login(city.users["office"])
    decision = held(city).decisions.get()
    home = client.get("/").content.decode()
    assert "待交办的会议议定事项" in home and decision.get_absolute_url() in home
    todo = client.get(
        "/matters/meetings/decisions/", {"state": "todo", "year": decision.meeting.held_on.year}
    )
    assert decision.text[:10] in todo.content.decode()
    ms.decision_to_matter(actor=city.users["office"], decision=decision)
    assert "待交办的会议议定事项" not in client.get("/").content.decode()
    todo = client.get(
        "/matters/meetings/decisions/", {"state": "todo", "year": decision.meeting.held_on.year}
    )
    assert decision.text[:10] not in todo.content.decode()
    assert "待交办的会议议定事项" not in login(city.users["liaison_a"]).get("/").content.decode()
