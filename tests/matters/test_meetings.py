"""Reform-committee meetings: topics and their review, observers, minutes issued as a numbered document,
decisions turned into matters or ledger items, and the next meeting's agenda of open decisions."""

from datetime import date

import pytest

from gandang.core.errors import ServiceError
from gandang.matters import meeting_services as ms
from gandang.matters.meeting_models import Meeting, Topic
from gandang.matters.models import Matter, Source
from tests.matters.meetings import held, prepare

pytestmark = pytest.mark.django_db


def test_a_units_topic_waits_for_review_and_the_office_puts_it_on_the_agenda_in_order(city):
    office = city.users["office"]
    meeting = prepare(city)
    own = ms.topic_propose(actor=office, meeting=meeting, title="改革办工作汇报")
    topic = ms.topic_propose(actor=city.users["liaison_a"], meeting=meeting, title="要素市场化配置改革")
    assert (own.state, own.order) == (Topic.State.ACCEPTED, 1)
    assert topic.state == Topic.State.PROPOSED and topic.unit == city.units["a"]
    assert office.notifications.filter(title__contains="要素市场化配置改革").exists()
    topic = ms.topic_step(actor=office, topic=topic, action="accept")
    assert (topic.state, topic.order) == (Topic.State.ACCEPTED, 2)
    ms.topic_move(actor=office, topic=topic, up=True)
    assert list(meeting.topics.order_by("order").values_list("title", flat=True)) == [
        "要素市场化配置改革",
        "改革办工作汇报",
    ]


def test_a_returned_topic_needs_a_reason_and_its_unit_proposes_it_again(city):
    office, liaison = city.users["office"], city.users["liaison_a"]
    topic = ms.topic_propose(actor=liaison, meeting=prepare(city), title="议题")
    with pytest.raises(ServiceError, match="需要填写原因"):
        ms.topic_step(actor=office, topic=topic, action="return")
    topic = ms.topic_step(actor=office, topic=topic, action="return", reason="材料不全")
    assert topic.return_reason == "材料不全"
    assert liaison.notifications.filter(title__contains="被退回").exists()
    with pytest.raises(ServiceError, match="本单位"):
        ms.topic_step(actor=city.users["liaison_b"], topic=topic, action="resubmit")
    assert ms.topic_step(actor=liaison, topic=topic, action="resubmit").state == Topic.State.PROPOSED


def test_a_unit_cannot_review_topics_nor_propose_after_the_meeting(city):
    meeting = prepare(city)
    topic = ms.topic_propose(actor=city.users["liaison_a"], meeting=meeting, title="议题")
    with pytest.raises(ServiceError, match="只有改革办"):
        ms.topic_step(actor=city.users["liaison_a"], topic=topic, action="accept")
    ms.meeting_hold(actor=city.users["office"], meeting=meeting)
    with pytest.raises(ServiceError, match="会议已召开"):
        ms.topic_propose(actor=city.users["liaison_a"], meeting=meeting, title="迟到的议题")
    with pytest.raises(ServiceError, match="会议已召开"):
        ms.topic_update(actor=city.users["liaison_a"], topic=topic, title="改", summary="")


def test_observers_are_invited_confirmed_and_present_and_only_those_present_are_heard(city):
    office = city.users["office"]
    meeting = prepare(city)
    obs = ms.observer_add(
        actor=office, meeting=meeting, kind="enterprise", name="王企业", affiliation="泰山集团"
    )
    absent = ms.observer_add(actor=office, meeting=meeting, kind="citizen", name="张群众")
    ms.meeting_hold(actor=office, meeting=meeting)
    ms.observer_step(actor=office, observer=obs, action="present")
    ms.observer_step(actor=office, observer=absent, action="absent")
    with pytest.raises(ServiceError, match="到会人员"):
        ms.comment_add(actor=office, observer=absent, text="意见")
    comment = ms.comment_add(actor=office, observer=obs, text="建议加快企业开办一网通办")
    matter = ms.comment_assign(
        actor=office,
        comment=comment,
        assignment=ms.Assignment(unit=city.units["a"], deadline=date(2023, 12, 31)),
    )
    assert matter.source == Source.OBSERVER and "王企业" in matter.origin
    assert city.users["liaison_a"].notifications.filter(title__contains="新的督办事项").exists()
    with pytest.raises(ServiceError, match="已交办"):
        ms.comment_assign(
            actor=office,
            comment=comment,
            assignment=ms.Assignment(unit=city.units["a"], deadline=date(2023, 12, 31)),
        )


def test_minutes_are_issued_numbered_like_the_offices_letters_and_frozen(city):
    office = city.users["office"]
    meeting = held(city)
    with pytest.raises(ServiceError, match="请先填写"):
        ms.minutes_issue(actor=office, meeting=meeting)
    ms.minutes_save(
        actor=office,
        meeting=meeting,
        text="会议听取了汇报。\n# 会议认为\n改革成效明显。",
        version=meeting.version,
    )
    with pytest.raises(ServiceError, match="他人修改"):
        ms.minutes_save(actor=office, meeting=meeting, text="旧", version=meeting.version)
    meeting = ms.minutes_issue(actor=office, meeting=meeting)
    assert meeting.state == Meeting.State.ISSUED
    assert meeting.doc_number == "改纪〔2023〕1号"
    assert city.users["liaison_a"].notifications.filter(title__contains="纪要已印发").exists()
    assert city.users["leader"].notifications.filter(title__contains="纪要已印发").exists()
    assert not city.users["liaison_b"].notifications.filter(title__contains="纪要已印发").exists()
    text = ms.minutes_as_document(meeting).text()
    assert "会议认为" in text and "制定要素市场化配置改革实施方案" in text and "改纪〔2023〕1号" in text
    second = held(city, number=2)
    ms.minutes_save(actor=office, meeting=second, text="纪要", version=second.version)
    assert ms.minutes_issue(actor=office, meeting=second).doc_number == "改纪〔2023〕2号"
    with pytest.raises(ServiceError):
        ms.minutes_save(actor=office, meeting=meeting, text="改", version=meeting.version)


def test_a_decision_becomes_a_tracked_matter_of_its_lead_unit(city):
    decision = held(city).decisions.get()
    matter = ms.decision_to_matter(actor=city.users["office"], decision=decision)
    assert (matter.source, matter.decision, matter.unit) == (Source.DECISION, decision, city.units["a"])
    assert "第一次会议" in matter.origin
    with pytest.raises(ServiceError, match="已交办或已立项"):
        ms.decision_to_matter(actor=city.users["office"], decision=decision)
    with pytest.raises(ServiceError, match="只有改革办"):
        ms.decision_to_matter(actor=city.users["leader"], decision=decision)


def test_a_decision_itemized_joins_the_open_months_dispatch(city):
    from gandang.core import clock
    from gandang.dispatch import services as dispatch
    from gandang.dispatch.models import Report

    with clock.pinned(date(2023, 10, 20)):
        period, _n = dispatch.period_open(actor=None, year=2023, month=10)
        decision = held(city).decisions.get()
        item = ms.decision_itemize(
            actor=city.users["office"],
            decision=decision,
            plan=city.plan,
            code="H-1",
            title="要素市场化配置改革实施方案",
        )
    decision.refresh_from_db()
    assert decision.created_item == item and item.source_decision == decision
    assert item.lead_unit == city.units["a"] and item.start_date == date(2023, 10, 20)
    assert Report.objects.filter(period=period, item=item, unit=city.units["a"]).exists()
    assert city.users["liaison_a"].notifications.filter(title__contains="议定事项已立项").exists()
    item.refresh_from_db()
    assert item.status == "not_started"  # its light from the start, before the tick
    with pytest.raises(ServiceError, match="已交办或已立项"):
        ms.decision_itemize(
            actor=city.users["office"], decision=decision, plan=city.plan, code="H-2", title="x"
        )


def test_the_next_meetings_agenda_lists_the_earlier_decisions_still_open(city):
    from gandang.matters import meeting_selectors

    office = city.users["office"]
    first = held(city)
    ms.decision_add(
        actor=office,
        meeting=first,
        data=ms.DecisionInput(text="第二项", unit=city.units["b"], deadline=date(2099, 1, 1)),
    )
    one, two = first.decisions.order_by("seq")
    matter = ms.decision_to_matter(actor=office, decision=one)
    nxt = prepare(city, number=2, held_on=date(2023, 12, 20))
    assert [d.pk for d in meeting_selectors.open_decisions_before(nxt)] == [one.pk, two.pk]
    Matter.objects.filter(pk=matter.pk).update(state=Matter.State.CLOSED)
    assert [d.pk for d in meeting_selectors.open_decisions_before(nxt)] == [two.pk]


def test_meetings_keep_their_audit_history(city):
    from gandang.core import audit

    meeting = held(city)
    actions = {e.reason for e in audit.history_for(meeting)}
    assert "会议召开" in actions
    assert audit.history_for(meeting).count() >= 5  # the meeting, its topic, observer, steps, decision


def test_the_minutes_take_the_prefix_the_office_sets_in_its_document_settings(city):
    from gandang.documents.models import DocumentSettings

    DocumentSettings.objects.create(prefix_minutes="泰改纪")
    office = city.users["office"]
    meeting = held(city)
    ms.minutes_save(actor=office, meeting=meeting, text="会议纪要正文")
    assert ms.minutes_issue(actor=office, meeting=meeting).doc_number == "泰改纪〔2023〕1号"
