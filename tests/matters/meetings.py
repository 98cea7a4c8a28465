"""Builders of meetings for the tests: a held meeting with a topic, an observer present, a decision."""

from datetime import date


def prepare(city, *, number=1, held_on=date(2023, 10, 20)):
    from gandang.matters import meeting_services as ms

    return ms.meeting_create(
        actor=city.users["office"],
        data=ms.MeetingInput(number=number, held_on=held_on, place="市委第一会议室", chair=city.leader),
    )


def held(city, *, number=1, decision=True):
    """Meeting N held on 2023-10-20: unit A's topic on the agenda, a deputy present, a decision for unit A."""
    from gandang.matters import meeting_services as ms

    office = city.users["office"]
    meeting = prepare(city, number=number)
    topic = ms.topic_propose(
        actor=city.users["liaison_a"], meeting=meeting, title="关于要素市场化配置改革的汇报"
    )
    ms.topic_step(actor=office, topic=topic, action="accept")
    obs = ms.observer_add(actor=office, meeting=meeting, kind="npc", name="李人大", affiliation="市人大代表")
    ms.observer_step(actor=office, observer=obs, action="confirm")
    ms.meeting_hold(actor=office, meeting=meeting)
    ms.observer_step(actor=office, observer=obs, action="present")
    if decision:
        ms.decision_add(
            actor=office,
            meeting=meeting,
            data=ms.DecisionInput(
                text="市发展改革委牵头制定要素市场化配置改革实施方案",
                unit=city.units["a"],
                deadline=date(2099, 1, 1),
            ),
        )
    meeting.refresh_from_db()
    return meeting
