"""The consultation's pages: the office records a session and its suggestions, assigns one, the unit answers
with the outcome on the matter's page, the office closes and issues the reply letter; the year's table links
to lists of the same size; refused input keeps what was typed."""

from datetime import date

import pytest

from gandang.matters.models import Consultation, Matter, Party, ReplyLetter, Suggestion
from tests.matters.conftest import assign, consultation, handle, suggestion


def _session_post(**over):
    data = {
        "title": "2023年第四季度深化改革协商座谈会",
        "on": "2023-10-20",
        "place": "市委常委会议室",
        "host": "市委副书记高振华",
        "parties": [p.pk for p in Party.objects.filter(name__in=["民盟", "民建"])],
        "attendees": "民盟市委会张伟，民建市委会王芳",
    }
    return data | over


def test_the_office_records_a_session_and_its_suggestions(login, city):
    client = login(city.users["office"])
    response = client.post("/matters/consult/new/", _session_post())
    c = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    minmeng = Party.objects.get(name="民盟")
    response = client.post(
        f"/matters/consult/{c.pk}/suggestions/",
        {
            "party": minmeng.pk,
            "person": "张伟",
            "title": "完善改革容错机制",
            "text": "建议出台容错纠错实施办法。",
        },
    )
    assert response.status_code == 302
    page = client.get(c.get_absolute_url()).content.decode()
    assert "完善改革容错机制" in page and "待交办" in page and "民盟、民建" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"on": "2099-01-01"}, "召开日期不能晚于今天"),
        ({"on": "2023-02-30"}, "2023"),
        ({"parties": []}, "这个字段是必填项"),
        ({"parties": ["99999999999999999999"]}, "选择"),
    ],
)
def test_a_refused_session_keeps_what_was_typed(login, city, change, message):
    client = login(city.users["office"])
    response = client.post("/matters/consult/new/", _session_post(**change))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "民盟市委会张伟" in body
    assert not Consultation.objects.exists()


def test_a_refused_suggestion_keeps_what_was_typed(login, city):
    c = consultation(city)
    client = login(city.users["office"])
    response = client.post(
        f"/matters/consult/{c.pk}/suggestions/",
        {
            "party": Party.objects.get(name="民盟").pk,
            "person": "",
            "title": "完善改革容错机制",
            "text": "长" * 4001,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "完善改革容错机制" in body and "2000" in body
    assert not Suggestion.objects.exists()


def test_the_office_assigns_and_the_unit_must_give_the_outcome_to_submit(login, city):
    sug = suggestion(city)
    office = login(city.users["office"])
    response = office.post(
        f"/matters/consult/suggestions/{sug.pk}/assign/",
        {
            "assign-unit": city.units["a"].pk,
            "assign-deadline": "2023-11-30",
            "assign-requirements": "月底前答复",
        },
    )
    assert response.status_code == 302
    m = Matter.objects.get(suggestion=sug)
    assert m.text == "月底前答复"

    liaison = login(city.users["liaison_a"])
    page = liaison.get(m.get_absolute_url()).content.decode()
    assert "采纳情况" in page and "查看意见建议" in page and sug.text in page
    # Saved and submitted without the outcome: saved, but not submitted, with the reason.
    response = liaison.post(
        f"/matters/{m.pk}/answer/",
        {"answer": "已研究办理", "outcome": "", "outcome_reason": "", "version": m.version, "then": "submit"},
        follow=True,
    )
    assert "采纳情况并说明理由" in response.content.decode()
    m.refresh_from_db()
    assert (m.state, m.answer) == ("draft", "已研究办理")
    response = liaison.post(
        f"/matters/{m.pk}/answer/",
        {
            "answer": "已研究办理",
            "outcome": "partly",
            "outcome_reason": "第三方评估已采纳，按季公开暂不具备条件",
            "version": m.version,
            "then": "submit",
        },
    )
    m.refresh_from_db()
    assert (m.state, m.outcome) == ("submitted", "partly")
    # The unit reads its suggestion; another unit gets the 404 of a missing one.
    assert liaison.get(sug.get_absolute_url()).status_code == 200
    assert login(city.users["liaison_b"]).get(sug.get_absolute_url()).status_code == 404


def test_a_refused_assignment_keeps_what_was_typed(login, city):
    sug = suggestion(city)
    client = login(city.users["office"])
    response = client.post(
        f"/matters/consult/suggestions/{sug.pk}/assign/",
        {"assign-unit": "", "assign-deadline": "2023-11-30", "assign-requirements": "请认真研究"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择牵头单位" in body and "请认真研究" in body
    assert not Matter.objects.exists()


def test_the_office_edits_and_issues_the_reply_letter_in_word_and_pdf(login, city):
    sug = suggestion(city)
    handle(city, sug)
    client = login(city.users["office"])
    page = client.get(f"/matters/consult/suggestions/{sug.pk}/reply/").content.decode()
    assert "已制定第三方评估办法" in page and "民盟：" in page
    response = client.post(
        f"/matters/consult/suggestions/{sug.pk}/reply/",
        {
            "title": "关于对民盟张伟同志所提意见建议的答复函",
            "recipient": "民盟泰安市委会：",
            "body": "您提出的意见建议收悉。\n# 办理情况\n已采纳。\n特此函复。",
            "copy_to": "市发展改革委。",
            "sent_via": "机要交换",
            "issued_on": "2023-11-06",
        },
    )
    letter = ReplyLetter.objects.get()
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    assert letter.doc_number == "改函〔2023〕1号" and letter.recipient == "民盟泰安市委会："
    page = client.get(sug.get_absolute_url()).content.decode()
    assert "已答复" in page and "改函〔2023〕1号" in page and "机要交换" in page
    docx = client.get(f"/matters/consult/replies/{letter.pk}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(f"/matters/consult/replies/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    # Issued once: the page now sends the office back with the reason.
    again = client.get(f"/matters/consult/suggestions/{sug.pk}/reply/", follow=True)
    assert "该建议已答复" in again.content.decode()


def test_a_refused_reply_keeps_the_edited_text(login, city):
    sug = suggestion(city)
    handle(city, sug)
    client = login(city.users["office"])
    response = client.post(
        f"/matters/consult/suggestions/{sug.pk}/reply/",
        {"title": "答复", "recipient": "民盟：", "body": "我修改过的正文", "issued_on": "2099-01-01"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "发文日期不能晚于今天" in body and "我修改过的正文" in body
    assert not ReplyLetter.objects.exists()


def test_the_years_table_links_to_lists_of_the_same_size(login, city):
    session = consultation(city)
    a, b = suggestion(city, session, title="甲"), suggestion(city, session, title="乙")
    suggestion(city, session, title="丙", party="无党派人士", person="李娜")
    handle(city, a, outcome="adopted")
    assign(city, b)
    client = login(city.users["leader"])
    page = client.get("/matters/consult/?year=2023").content.decode()
    minmeng = Party.objects.get(name="民盟")
    link = f"/matters/consult/suggestions/?year=2023&amp;party={minmeng.pk}&amp;outcome=adopted"
    assert f'<a href="{link}">1</a>' in page
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "甲" in listing and "乙" not in listing and "共 1 条" in listing
    listing = client.get("/matters/consult/suggestions/?year=2023&state=received").content.decode()
    assert "丙" in listing and "共 1 条" in listing


def test_the_suggestions_list_ignores_malformed_filters(login, city):
    suggestion(city)
    client = login(city.users["office"])
    for query in (
        "party=abc",
        "outcome=maybe",
        "state=xyz",
        "year=99999",
        "page=-1",
        "party=99999999999999999999",
    ):
        assert client.get(f"/matters/consult/suggestions/?{query}").status_code == 200, query


def test_a_leader_reads_but_cannot_assign(login, city):
    sug = suggestion(city)
    client = login(city.users["leader"])
    page = client.get(sug.get_absolute_url()).content.decode()
    assert "交办" in page and 'name="assign-unit"' not in page
    response = client.post(
        f"/matters/consult/suggestions/{sug.pk}/assign/",
        {"assign-unit": city.units["a"].pk, "assign-deadline": "2023-11-30"},
    )
    assert response.status_code == 403 and not Matter.objects.exists()


def test_the_reply_date_defaults_to_today(login, city):
    sug = suggestion(city)
    handle(city, sug)
    page = login(city.users["office"]).get(f"/matters/consult/suggestions/{sug.pk}/reply/").content.decode()
    assert date(2023, 11, 6).isoformat() in page


def test_the_consultation_pages_in_english(login, city):
    sug = suggestion(city)
    handle(city, sug, outcome="partly")
    client = login(city.users["office"])
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get("/matters/consult/?year=2023").content.decode()
    assert "Suggestions of 2023 and their handling" in page and "Partly adopted" in page
    assert "Record a consultation" in page and "意见建议办理情况" not in page
    page = client.get(sug.get_absolute_url()).content.decode()
    assert "Assignment and handling" in page and "Draft the reply letter" in page
    # The outcome and its reason are joined in the reader's language, not by a Chinese colon.
    assert "Partly adopted: 与我市营商环境改革方向一致。" in page and "Partly adopted：" not in page


def test_the_offices_workbench_lists_suggestions_to_assign_and_to_answer(login, city):
    session = consultation(city)
    suggestion(city, session, title="甲")
    handle(city, suggestion(city, session, title="乙"))
    client = login(city.users["office"])
    page = client.get("/").content.decode()
    assert "1条待交办" in page and "1条已办结待答复" in page
    listing = client.get("/matters/consult/suggestions/?year=2023&state=handled").content.decode()
    assert "乙" in listing and "共 1 条" in listing
    assert "待交办" not in login(city.users["liaison_a"]).get("/").content.decode()


def test_the_office_corrects_a_session_and_an_unassigned_suggestion_with_history(login, city):
    c = consultation(city)
    sug = suggestion(city, c)
    client = login(city.users["office"])
    post = _session_post(title="更正后的会议名称", parties=[p.pk for p in c.parties.all()], version=c.version)
    assert client.post(f"/matters/consult/{c.pk}/edit/", post).status_code == 302
    c.refresh_from_db()
    assert c.title == "更正后的会议名称" and c.version == 2
    assert (
        "深化改革协商座谈会" in client.get(c.get_absolute_url()).content.decode()
    )  # what it was, in history
    # A stale form is refused and keeps what was typed.
    stale = client.post(f"/matters/consult/{c.pk}/edit/", post | {"title": "又一次修改"})
    assert stale.status_code == 400 and "又一次修改" in stale.content.decode()
    # Removing a party that has suggestions is refused.
    other = [p.pk for p in c.parties.exclude(name="民盟")]
    refused = client.post(f"/matters/consult/{c.pk}/edit/", post | {"parties": other, "version": 2})
    assert refused.status_code == 400 and "已有建议的党派团体不能去掉" in refused.content.decode()

    data = {"party": sug.party_id, "person": "张伟", "title": "更正后的建议", "text": "更正", "version": 1}
    assert client.post(f"/matters/consult/suggestions/{sug.pk}/edit/", data).status_code == 302
    assert Suggestion.objects.get(pk=sug.pk).title == "更正后的建议"
    assign(city, sug)
    response = client.get(f"/matters/consult/suggestions/{sug.pk}/edit/", follow=True)
    assert "已交办，不能再修改" in response.content.decode()
