"""The listing state machine: list → letter → rectification through sign-off → delist, or escalate."""

from datetime import date, timedelta

import pytest

from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.documents.models import DocumentKind
from gandang.notifications.models import Notification
from gandang.supervision import services
from gandang.supervision.models import Letter, Listing, Rectification
from tests.supervision.conftest import TODAY, step, write


def _input(**kw):
    data = {
        "level": "office",
        "reason": "进展缓慢",
        "requirements": "加快推进",
        "deadline": date(2023, 12, 6),
    }
    return services.ListingInput(**(data | kw))


def test_listing_issues_a_numbered_reminder_letter_and_tells_the_unit(city, listed):
    letter = listed.letters.get()
    assert letter.kind == DocumentKind.REMINDER
    assert letter.doc_number == "改提〔2023〕1号"
    assert letter.unit == city.units["a"]
    text = services.letter_as_document(letter).text()
    assert "深化要素市场化配置改革" in text
    assert "一是倒排工期；二是明确责任人。" in text
    assert "2023年12月6日" in text
    assert "市发展改革委：" in text
    told = set(
        Notification.objects.filter(kind=Notification.Kind.SUPERVISION).values_list(
            "user__username", flat=True
        )
    )
    assert told == {"liaison_a", "head_a"}
    assert listed.rectification.state == Rectification.State.DRAFT
    assert AuditEntry.objects.filter(object_id=listed.pk, action="create").exists()


def test_leader_level_copies_the_lead_leader_and_notifies_them(city):
    listing = services.listing_create(
        actor=city.users["office"], item=city.items["a"], data=_input(level="leader"), today=TODAY
    )
    doc = services.letter_as_document(listing.letters.get())
    assert doc.copy_to == "赵明远同志。"
    assert Notification.objects.filter(user=city.users["leader"], kind="supervision").exists()


def test_letter_numbers_run_on_per_kind_and_year(city, listed):
    second = services.listing_create(
        actor=city.users["office"], item=city.items["b"], data=_input(), today=TODAY
    )
    assert second.letters.get().doc_number == "改提〔2023〕2号"
    nxt = services.listing_create(
        actor=city.users["office"],
        item=city.items["c"],
        data=_input(deadline=date(2024, 2, 1)),
        today=date(2024, 1, 3),
    )
    assert nxt.letters.get().doc_number == "改提〔2024〕1号"


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"requirements": "  "}, "请填写整改要求"),
        ({"reason": ""}, "请填写挂牌理由"),
        ({"deadline": TODAY}, "整改时限应晚于今天"),
        ({"level": "mayor"}, "请选择督办级别"),
    ],
)
def test_listing_refuses_bad_input_and_writes_nothing(city, kw, message):
    with pytest.raises(ServiceError, match=message):
        services.listing_create(
            actor=city.users["office"], item=city.items["a"], data=_input(**kw), today=TODAY
        )
    assert not Listing.objects.exists() and not Letter.objects.exists()


def test_an_item_is_listed_once_at_a_time(city, listed):
    with pytest.raises(ServiceError, match="已在挂牌督办中"):
        services.listing_create(actor=city.users["office"], item=city.items["a"], data=_input(), today=TODAY)
    assert Letter.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "liaison_a", "head_a", "observer"])
def test_only_the_office_lists(city, who):
    with pytest.raises(ServiceError):
        services.listing_create(actor=city.users[who], item=city.items["a"], data=_input(), today=TODAY)


def test_rectification_through_sign_off_then_verified_and_delisted(city, listed):
    u = city.users
    with pytest.raises(ServiceError, match="整改措施"):
        step(listed, u["liaison_a"], "submit")
    write(listed, u["liaison_a"])
    assert step(listed, u["liaison_a"], "submit").state == "submitted"
    assert Notification.objects.filter(user=u["head_a"], kind="to_sign").exists()
    assert step(listed, u["head_a"], "approve").state == "signed"
    assert Notification.objects.filter(user=u["office"], title__startswith="整改报告待核验").exists()
    # The office sends it back: the liaison sees why, revises and resubmits.
    assert step(listed, u["office"], "return", "措施不具体").state == "returned"
    listed.rectification.refresh_from_db()
    assert listed.rectification.return_reason == "措施不具体"
    write(listed, u["liaison_a"], measures="细化为三项措施，已出台办法并印发。")
    step(listed, u["liaison_a"], "submit")
    step(listed, u["head_a"], "approve")
    rect = step(listed, u["office"], "accept", "整改到位")
    assert rect.state == "accepted"
    listed.refresh_from_db()
    assert listed.state == Listing.State.DELISTED
    assert listed.closed_on is not None and listed.close_note == "整改到位"
    actions = list(listed.rectification.steps.values_list("action", flat=True))
    assert actions == ["submit", "approve", "return", "submit", "approve", "accept"]
    assert Notification.objects.filter(user=u["liaison_a"], title__startswith="已摘牌").exists()
    # A delisted item can be listed again later.
    again = services.listing_create(actor=u["office"], item=city.items["a"], data=_input(), today=TODAY)
    assert again.state == Listing.State.LISTED


def test_a_unit_without_a_head_signs_off_by_submitting(city):
    listing = services.listing_create(
        actor=city.users["office"], item=city.items["b"], data=_input(), today=TODAY
    )
    write(listing, city.users["liaison_b"])
    assert step(listing, city.users["liaison_b"], "submit").state == "signed"


@pytest.mark.parametrize(
    "who, action, state",
    [
        ("liaison_a", "accept", "signed"),
        ("head_a", "submit", "draft"),
        ("office", "accept", "submitted"),
        ("liaison_b", "submit", "draft"),  # another unit
        ("leader", "approve", "submitted"),
        ("office", "reopen", "accepted"),  # no correction step for a rectification
    ],
)
def test_illegal_steps_are_refused(city, listed, who, action, state):
    Rectification.objects.filter(pk=listed.rectification.pk).update(state=state, measures="x")
    with pytest.raises(ServiceError):
        step(listed, city.users[who], action, "理由")
    listed.rectification.refresh_from_db()
    assert listed.rectification.state == state


def test_verification_needs_an_opinion(city, listed):
    Rectification.objects.filter(pk=listed.rectification.pk).update(state="signed")
    with pytest.raises(ServiceError, match="意见"):
        step(listed, city.users["office"], "accept", "")
    listed.refresh_from_db()
    assert listed.state == Listing.State.LISTED


def test_a_stale_rectification_edit_is_refused(city, listed):
    rect = listed.rectification
    old = rect.version
    write(listed, city.users["liaison_a"])
    with pytest.raises(ServiceError, match="他人修改"):
        services.rectification_save(
            actor=city.users["liaison_a"], rectification=rect, data={"measures": "旧页面"}, version=old
        )
    rect.refresh_from_db()
    assert "旧页面" not in rect.measures


def test_overdue_listing_escalates_to_a_supervision_letter_then_to_the_bulletin(city, listed):
    after = listed.deadline + timedelta(days=1)
    assert services.escalate_overdue(today=listed.deadline) == []  # due on the day, not before
    [escalated] = services.escalate_overdue(today=after)
    assert escalated.escalation == Listing.Escalation.LETTER
    assert escalated.deadline == after + timedelta(days=14)
    letter = escalated.letters.get(kind=DocumentKind.SUPERVISION)
    assert letter.doc_number == "改督〔2023〕1号"
    text = services.letter_as_document(letter).text()
    assert "改提〔2023〕1号" in text  # cites the reminder,
    assert "截至2023年12月6日" in text  # the deadline the unit missed,
    assert "于2023年12月21日前" in text  # and sets the new one
    assert services.escalate_overdue(today=after) == []  # new deadline not passed yet
    [named] = services.escalate_overdue(today=escalated.deadline + timedelta(days=1))
    assert named.escalation == Listing.Escalation.BULLETIN
    assert services.escalate_overdue(today=date(2024, 6, 1)) == []  # nothing above the bulletin
    assert Letter.objects.count() == 2


def test_a_rectification_at_the_office_is_not_escalated(city, listed):
    write(listed, city.users["liaison_a"])
    step(listed, city.users["liaison_a"], "submit")
    step(listed, city.users["head_a"], "approve")
    assert services.escalate_overdue(today=listed.deadline + timedelta(days=5)) == []


def test_revoke_needs_a_reason_and_stops_the_flow(city, listed):
    with pytest.raises(ServiceError, match="撤销理由"):
        services.listing_revoke(actor=city.users["office"], listing=listed, reason="")
    services.listing_revoke(actor=city.users["office"], listing=listed, reason="误挂")
    listed.refresh_from_db()
    assert listed.state == Listing.State.REVOKED
    write_refused = pytest.raises(ServiceError)
    with write_refused:
        step(listed, city.users["liaison_a"], "submit")
    assert services.escalate_overdue(today=date(2024, 6, 1)) == []


def test_the_office_extends_the_deadline_with_a_reason_and_the_unit_hears(city, listed, settings):
    settings.GANDANG_TODAY = "2023-11-20"
    with pytest.raises(ServiceError, match="理由"):
        services.listing_extend(
            actor=city.users["office"], listing=listed, deadline=date(2023, 12, 20), reason=""
        )
    with pytest.raises(ServiceError, match="晚于今天"):
        services.listing_extend(
            actor=city.users["office"], listing=listed, deadline=date(2023, 11, 19), reason="x"
        )
    with pytest.raises(ServiceError):
        services.listing_extend(
            actor=city.users["head_a"], listing=listed, deadline=date(2023, 12, 20), reason="x"
        )
    services.listing_extend(
        actor=city.users["office"], listing=listed, deadline=date(2023, 12, 20), reason="涉及省级审批"
    )
    listed.refresh_from_db()
    assert listed.deadline == date(2023, 12, 20)
    entry = AuditEntry.objects.filter(object_id=listed.pk, reason="涉及省级审批").get()
    assert entry.changes["deadline"] == ["2023-12-06", "2023-12-20"]
    assert Notification.objects.filter(
        user=city.users["liaison_a"], title__startswith="整改时限调整为2023年12月20日"
    ).exists()


def test_letters_keep_typed_lines_and_nest_quotes(city):
    from gandang.ledger.models import Item

    Item.objects.filter(pk=city.items["b"].pk).update(title="推进“泰山+”片区建设")
    listing = services.listing_create(
        actor=city.users["office"],
        item=city.items["b"],
        data=_input(requirements="一是倒排工期。\n二是明确责任人。"),
        today=TODAY,
    )
    doc = services.letter_as_document(listing.letters.get())
    assert doc.title == "关于加快推进“推进‘泰山+’片区建设”改革事项的提醒函"
    texts = [b.text for b in doc.blocks if hasattr(b, "text")]
    assert "一是倒排工期。" in texts and "二是明确责任人。" in texts
