"""The consultation's services and states: a suggestion assigned becomes a matter of source 协商建议; its answer
cannot be submitted without the outcome and its reason; the reply letter is numbered like supervision's
letters and frozen as issued; the year's counts equal the lists they link to."""

from datetime import date

import pytest

from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.matters import consult_selectors, consult_services, services
from gandang.matters.consult_access import suggestions_visible_to
from gandang.matters.models import Matter, Outcome, Party, ReplyLetter, Source, Suggestion
from tests.matters.conftest import assign, consultation, handle, step, suggestion

St = Suggestion.State


def _reply(city, sug, **over):
    draft = consult_services.reply_draft(sug)
    data = {
        "title": draft.title,
        "recipient": draft.recipient,
        "body": draft.body,
        "copy_to": draft.copy_to,
        "sent_via": "机要交换",
    } | over
    return consult_services.reply_issue(actor=city.users["office"], suggestion=sug, **data)


def test_the_standard_parties_are_configured_out_of_the_box(db):
    names = list(Party.objects.values_list("name", flat=True))
    assert names[:3] == ["民革", "民盟", "民建"] and "无党派人士" in names and len(names) == 10
    assert Party.objects.get(name="无党派人士").individual


def test_a_suggestion_goes_from_received_to_replied(city):
    sug = suggestion(city)
    assert sug.state == St.RECEIVED
    m = assign(city, sug)
    assert (m.source, m.suggestion, m.unit, m.state) == (Source.SUGGESTION, sug, city.units["a"], "draft")
    assert m.title == "民盟建议：优化营商环境评价机制" and "张伟" in m.origin
    sug = Suggestion.objects.get(pk=sug.pk)
    assert sug.state == St.HANDLING
    # The unit's liaison is told, as for every matter.
    assert city.users["liaison_a"].notifications.filter(title__contains="民盟建议").exists()
    handle_rest = services.matter_save(
        actor=city.users["liaison_a"], matter=m, answer="已办", outcome="partly", outcome_reason="部分可行"
    )
    step(handle_rest, city.users["liaison_a"], "submit")
    step(handle_rest, city.users["head_a"], "approve")
    assert Suggestion.objects.get(pk=sug.pk).state == St.HANDLING  # waiting for the office's 办结
    step(handle_rest, city.users["office"], "close")
    sug = Suggestion.objects.get(pk=sug.pk)
    assert (sug.state, sug.outcome) == (St.HANDLED, Outcome.PARTLY)
    _reply(city, sug)
    assert Suggestion.objects.get(pk=sug.pk).state == St.REPLIED


@pytest.mark.parametrize(("outcome", "reason"), [("", "理由"), ("adopted", ""), ("adopted", "   ")])
def test_a_suggestions_answer_cannot_be_submitted_without_outcome_and_reason(city, outcome, reason):
    m = assign(city, suggestion(city))
    services.matter_save(
        actor=city.users["liaison_a"], matter=m, answer="已办理", outcome=outcome, outcome_reason=reason
    )
    with pytest.raises(ServiceError, match="采纳情况并说明理由"):
        step(m, city.users["liaison_a"], "submit")
    assert Matter.objects.get(pk=m.pk).state == "draft"


def test_a_bad_outcome_is_refused(city):
    m = assign(city, suggestion(city))
    with pytest.raises(ServiceError, match="请选择采纳情况"):
        services.matter_save(actor=city.users["liaison_a"], matter=m, answer="x", outcome="maybe")


def test_an_instructions_matter_ignores_outcome_and_needs_none(city):
    from tests.matters.conftest import record_directive

    m = record_directive(city).matters.get()
    services.matter_save(actor=city.users["liaison_a"], matter=m, answer="已办", outcome="adopted")
    assert Matter.objects.get(pk=m.pk).outcome == ""
    step(m, city.users["liaison_a"], "submit")  # no outcome asked of it
    assert Matter.objects.get(pk=m.pk).state == "submitted"


def test_only_the_office_records_and_assigns(city):
    with pytest.raises(ServiceError):
        consult_services.consultation_create(
            actor=city.users["leader"],
            data=consult_services.ConsultationInput(title="x", on=date(2023, 10, 1), parties=[]),
        )
    sug = suggestion(city)
    with pytest.raises(ServiceError):
        consult_services.suggestion_assign(
            actor=city.users["liaison_a"],
            suggestion=sug,
            assignment=services.Assignment(unit=city.units["a"], deadline=date(2023, 12, 1)),
        )
    assert not Matter.objects.exists()


def test_a_suggestion_is_assigned_once(city):
    sug = suggestion(city)
    assign(city, sug)
    with pytest.raises(ServiceError, match="已交办"):
        assign(city, sug, unit="b")
    assert Matter.objects.count() == 1


def test_no_reply_before_the_matter_is_closed(city):
    sug = suggestion(city)
    with pytest.raises(ServiceError, match="办结后"):
        _reply(city, sug)
    handle(city, sug, close=False)
    with pytest.raises(ServiceError, match="办结后"):
        _reply(city, Suggestion.objects.get(pk=sug.pk))
    assert not ReplyLetter.objects.exists()


def test_reply_letters_are_numbered_in_sequence_like_supervisions_letters(city):
    from gandang.documents.models import DocumentSettings

    DocumentSettings.objects.create(prefix_reply="泰改函")
    session = consultation(city)
    first, second = (suggestion(city, session, title=t) for t in ("建议一", "建议二"))
    for sug in (first, second):
        handle(city, sug)
    one = _reply(city, Suggestion.objects.get(pk=first.pk))
    two = _reply(city, Suggestion.objects.get(pk=second.pk))
    assert (one.doc_number, two.doc_number) == ("泰改函〔2023〕1号", "泰改函〔2023〕2号")
    with pytest.raises(ServiceError, match="已答复"):
        _reply(city, Suggestion.objects.get(pk=first.pk))
    assert ReplyLetter.objects.count() == 2
    entry = AuditEntry.objects.filter(reason="发文").first()
    assert entry is not None and entry.actor == city.users["office"]


def test_the_draft_carries_the_suggestion_and_the_units_answer_and_the_office_edits_it(city):
    sug = suggestion(city)
    handle(city, sug)
    sug = Suggestion.objects.get(pk=sug.pk)
    draft = consult_services.reply_draft(sug)
    assert draft.recipient == "民盟："
    assert "张伟同志" in draft.title and "“优化营商环境评价机制”" in draft.title
    assert "已制定第三方评估办法" in draft.body and "该建议采纳。与我市营商环境改革方向一致。" in draft.body
    letter = _reply(city, sug, body=draft.body + "\n特此函复。")
    doc = consult_services.reply_as_document(letter)
    text = doc.text()
    assert "特此函复。" in text and "办理情况" in text and letter.doc_number in text
    assert doc.recipient == "民盟：" and doc.date == date(2023, 11, 6)


def test_a_person_without_party_is_answered_in_person(city):
    sug = suggestion(city, party="无党派人士", person="李娜")
    assert consult_services.reply_draft(sug).recipient == "李娜同志："


def test_a_reply_cannot_be_dated_in_the_future_or_left_empty(city):
    sug = suggestion(city)
    handle(city, sug)
    sug = Suggestion.objects.get(pk=sug.pk)
    with pytest.raises(ServiceError, match="晚于今天"):
        _reply(city, sug, issued_on=date(2023, 12, 1))
    with pytest.raises(ServiceError, match="标题、主送和正文"):
        _reply(city, sug, body="  ")
    assert not ReplyLetter.objects.exists()


def test_counts_equal_their_lists(city):
    session = consultation(city)
    a = suggestion(city, session, title="甲")
    b = suggestion(city, session, title="乙", party="无党派人士", person="李娜")
    c = suggestion(city, session, title="丙")
    suggestion(city, session, title="丁")  # not assigned
    handle(city, a, outcome="adopted")
    handle(city, b, outcome="reference")
    assign(city, c)
    _reply(city, Suggestion.objects.get(pk=a.pk))
    qs = suggestions_visible_to(city.users["office"])
    rows = consult_selectors.year_counts(qs, year=2023)
    total = rows[-1]
    assert total.party is None and total.total == 4
    expected = {
        "received": 1,
        "handling": 1,
        "adopted": 1,
        "partly": 0,
        "reference": 1,
        "handled": 1,
        "replied": 1,
    }
    assert total.counts == expected
    for row in rows:
        scope = qs.filter(consultation__on__year=2023)
        if row.party:
            scope = scope.filter(party=row.party)
        assert row.total == scope.count()
        for key, _param, _value, q in consult_selectors.COLUMNS:
            assert row.counts[key] == scope.filter(q).count(), (row.party, key)
    assert consult_selectors.year_counts(qs, year=2022) == []


def test_a_unit_sees_only_the_suggestions_assigned_to_it(city):
    session = consultation(city)
    mine = suggestion(city, session, title="甲")
    theirs = suggestion(city, session, title="乙")
    suggestion(city, session, title="丙")
    assign(city, mine, unit="a")
    assign(city, theirs, unit="b")
    assert list(suggestions_visible_to(city.users["liaison_a"])) == [mine]
    assert suggestions_visible_to(city.users["leader"]).count() == 3
