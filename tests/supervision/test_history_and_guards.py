"""Who reads what in the histories, and the guards on escalation, attachments, reasons and the summary."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gandang.core.errors import ServiceError
from gandang.documents.models import DocumentKind
from gandang.supervision import proposals, rectification, selectors, services
from gandang.supervision.models import Letter, Listing, Proposal
from tests.supervision.conftest import step, write

SECRET = "仅本单位可见的整改措施甲乙丙"


def _pdf(name="整改佐证.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


# ---------------------------------------------------------------- 1. the item page's history


def test_item_page_history_does_not_show_the_rectification_to_a_co_unit(city, listed, login, settings):
    settings.GANDANG_TODAY = "2023-11-06"
    write(listed, city.users["liaison_a"], measures=SECRET)
    services.rectification_attachment_add(
        actor=city.users["liaison_a"], rectification=listed.rectification, upload=_pdf()
    )
    step(listed, city.users["liaison_a"], "submit")
    step(listed, city.users["head_a"], "send_back", "请补充佐证")
    item_url = reverse("ledger:item_detail", args=[city.items["a"].pk])
    # Unit B co-operates on item a: it reads the item's page, not unit A's rectification report.
    page = login(city.users["liaison_b"]).get(item_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert SECRET not in body and "整改佐证.pdf" not in body and "请补充佐证" not in body
    assert "改提〔2023〕1号" in body  # the letter issued stays on the item's record
    # The listing's page (unit A, the office) keeps the whole record.
    listing_url = reverse("supervision:listing_detail", args=[listed.pk])
    for who in ("liaison_a", "office"):
        body = login(city.users[who]).get(listing_url).content.decode()
        assert body.count(SECRET) >= 2  # the report and its history
        assert "整改佐证.pdf" in body and "请补充佐证" in body
    assert login(city.users["liaison_b"]).get(listing_url).status_code == 404


def test_a_dismissal_reason_stays_with_the_office(city, listed, login):
    p = Proposal.objects.create(item=city.items["a"], trigger="red", reason="连续严重滞后")
    services.proposal_dismiss(actor=city.users["office"], proposal=p, reason="省级统筹事项不予挂牌内部研判")
    item_url = reverse("ledger:item_detail", args=[city.items["a"].pk])
    for who in ("liaison_a", "liaison_b", "head_a"):
        assert "内部研判" not in login(city.users[who]).get(item_url).content.decode()
    proposals = login(city.users["office"]).get(reverse("supervision:index") + "?tab=proposals")
    assert "内部研判" in proposals.content.decode()


# ---------------------------------------------------------------- 2, 3. escalation


def test_a_second_identical_escalate_post_changes_nothing(city, listed, login, settings):
    settings.GANDANG_TODAY = "2023-12-07"
    c = login(city.users["office"])
    url = reverse("supervision:listing_escalate", args=[listed.pk])
    c.post(url, {"escalation": 0})
    r = c.post(url, {"escalation": 0}, follow=True)
    assert "督办状态已变化，请刷新页面" in r.content.decode()
    listed.refresh_from_db()
    assert listed.escalation == Listing.Escalation.LETTER
    assert Letter.objects.filter(kind=DocumentKind.SUPERVISION).count() == 1
    with pytest.raises(ServiceError, match="督办状态已变化"):
        services.listing_escalate(actor=city.users["office"], listing=listed, expected=0)
    # The tick read level 1 before this escalation: it does not escalate again either.
    services.listing_escalate(actor=city.users["office"], listing=listed, today=date(2024, 1, 2), expected=1)
    with pytest.raises(ServiceError, match="督办状态已变化"):
        services.listing_escalate(actor=None, listing=listed, today=date(2024, 1, 3), expected=1)


def test_manual_escalation_waits_for_the_deadline(city, listed):
    office = city.users["office"]
    for today in (date(2023, 11, 20), listed.deadline):
        with pytest.raises(ServiceError, match="未过"):
            services.listing_escalate(actor=office, listing=listed, today=today, expected=0)
    listed.refresh_from_db()
    assert listed.escalation == 0 and not Letter.objects.filter(kind=DocumentKind.SUPERVISION).exists()
    after = services.listing_escalate(actor=office, listing=listed, today=date(2023, 12, 7), expected=0)
    assert after.escalation == 1 and after.deadline == date(2023, 12, 21)


@pytest.mark.parametrize("accept", [False, True])
def test_no_escalation_while_the_report_is_at_the_office(city, listed, accept):
    write(listed, city.users["liaison_a"])
    step(listed, city.users["liaison_a"], "submit")
    step(listed, city.users["head_a"], "approve")
    for actor in (city.users["office"], None):  # the page, and the tick racing the sign-off
        with pytest.raises(ServiceError, match="整改报告已报送改革办待核验，不能升级"):
            services.listing_escalate(actor=actor, listing=listed, today=date(2023, 12, 10))
    listed.refresh_from_db()
    assert listed.escalation == 0


def test_escalate_button_only_when_escalation_is_allowed(city, listed, login, settings):
    c = login(city.users["office"])
    url = reverse("supervision:listing_detail", args=[listed.pk])
    settings.GANDANG_TODAY = "2023-11-20"
    assert "升级：发督办函" not in c.get(url).content.decode()
    settings.GANDANG_TODAY = "2023-12-07"
    body = c.get(url).content.decode()
    assert "升级：发督办函" in body and 'name="escalation" value="0"' in body


# ---------------------------------------------------------------- 4. the deadline the letter cites


def test_the_supervision_letter_cites_the_extended_deadline(city, listed, settings):
    settings.GANDANG_TODAY = "2023-11-20"
    services.listing_extend(
        actor=city.users["office"], listing=listed, deadline=date(2023, 12, 20), reason="涉及省级审批"
    )
    assert services.escalate_overdue(today=date(2023, 12, 20)) == []
    [escalated] = services.escalate_overdue(today=date(2023, 12, 21))
    letter = escalated.letters.get(kind=DocumentKind.SUPERVISION)
    text = services.letter_as_document(letter).text()
    assert "截至2023年12月20日" in text and "截至2023年12月6日" not in text
    assert "于2024年1月4日前" in text and letter.deadline == date(2024, 1, 4)


# ---------------------------------------------------------------- 5. attachments of a closed listing


def test_attachments_are_refused_once_the_listing_is_closed(city, listed):
    liaison = city.users["liaison_a"]
    att = services.rectification_attachment_add(
        actor=liaison, rectification=listed.rectification, upload=_pdf()
    )
    services.listing_revoke(actor=city.users["office"], listing=listed, reason="误挂")
    with pytest.raises(ServiceError, match="不在督办中"):
        services.rectification_attachment_add(
            actor=liaison, rectification=listed.rectification, upload=_pdf("新的.pdf")
        )
    with pytest.raises(ServiceError, match="不在督办中"):
        services.rectification_attachment_remove(actor=liaison, attachment=att)
    assert [a.name for a in listed.rectification.attachments.all()] == ["整改佐证.pdf"]


# ---------------------------------------------------------------- 8. a past quarter's summary


def test_a_past_quarter_names_only_what_was_named_by_its_end(city, listed):
    services.escalate_overdue(today=date(2023, 12, 7))  # 督办函, reply by 12-21
    [named] = services.escalate_overdue(today=date(2024, 1, 5))  # named in January
    assert named.escalation == Listing.Escalation.BULLETIN and named.named_on == date(2024, 1, 5)
    q4 = selectors.summary(date(2023, 10, 1), date(2023, 12, 31))
    assert [x.pk for x in q4.open_at_end] == [listed.pk] and q4.named == []
    q1 = selectors.summary(date(2024, 1, 1), date(2024, 3, 31))
    assert [x.pk for x in q1.named] == [listed.pk]


def test_letters_of_a_revoked_listing_are_not_counted(city, listed):
    other = services.listing_create(
        actor=city.users["office"],
        item=city.items["b"],
        data=services.ListingInput(level="office", reason="x", requirements="y", deadline=date(2023, 12, 30)),
        today=date(2023, 11, 6),
    )
    q4 = selectors.summary(date(2023, 10, 1), date(2023, 12, 31))
    assert (len(q4.listed), q4.reminder_letters) == (2, 2)
    services.listing_revoke(actor=city.users["office"], listing=other, reason="误挂")
    q4 = selectors.summary(date(2023, 10, 1), date(2023, 12, 31))
    assert (len(q4.listed), q4.reminder_letters) == (1, 1)


# ---------------------------------------------------------------- 9. a reason too long


def test_a_reason_too_long_is_refused_with_its_own_message(city, listed, login, settings):
    settings.GANDANG_TODAY = "2023-11-20"
    c = login(city.users["office"])
    long = "长" * 501
    p = Proposal.objects.create(item=city.items["b"], trigger="red", reason="连续严重滞后")
    r = c.post(reverse("supervision:proposal_dismiss", args=[p.pk]), {"reason": long}, follow=True)
    body = r.content.decode()
    assert "理由不能超过500字" in body and "请填写不予挂牌的理由" not in body
    p.refresh_from_db()
    assert p.state == Proposal.State.OPEN
    r = c.post(reverse("supervision:listing_revoke", args=[listed.pk]), {"reason": long}, follow=True)
    assert "理由不能超过500字" in r.content.decode()
    r = c.post(
        reverse("supervision:listing_extend", args=[listed.pk]),
        {"deadline": "2023-12-20", "reason": "长" * 301},
        follow=True,
    )
    assert "理由不能超过300字" in r.content.decode()
    listed.refresh_from_db()
    assert listed.state == Listing.State.LISTED and listed.deadline == date(2023, 12, 6)
    write(listed, city.users["liaison_a"])
    step(listed, city.users["liaison_a"], "submit")
    c = login(city.users["head_a"])
    url = reverse("supervision:rectification_step", args=[listed.pk, "send_back"])
    r = c.post(url, {"reason": long}, follow=True)
    body = r.content.decode()
    assert "理由不能超过500字" in body and "需要填写意见" not in body
    listed.rectification.refresh_from_db()
    assert listed.rectification.state == "submitted"


# ---------------------------------------------------------------- suspicions (a), (c)


def test_delisting_a_listing_revoked_meanwhile_is_refused(city, listed):
    services.listing_revoke(actor=city.users["office"], listing=listed, reason="误挂")
    stale = Listing.objects.get(pk=listed.pk)
    stale.state = Listing.State.LISTED  # what a step that read it before the revocation holds
    with pytest.raises(ServiceError, match="不在督办中"):
        rectification._delist(stale, actor=city.users["office"], note="整改到位", on=date(2023, 12, 1))
    listed.refresh_from_db()
    assert listed.state == Listing.State.REVOKED


def test_the_proposals_notice_counts_only_what_was_inserted(city, monkeypatch):
    from django.db import transaction

    from gandang.dispatch.models import ItemStatus
    from gandang.notifications.models import Notification
    from tests.supervision.test_proposals import _period

    october = _period(10)
    for key in ("a", "b"):
        ItemStatus.objects.update_or_create(
            item=city.items[key], defaults={"no_effect": True, "no_effect_reason": "未见实效"}
        )
    raced: list[bool] = []

    class Racing:
        """Another process proposes item a between the refresh's reads and its inserts."""

        @staticmethod
        def atomic(*args, **kwargs):
            if not raced:
                raced.append(True)
                Proposal.objects.create(
                    item=city.items["a"], trigger="no_effect", period=october, reason="并发"
                )
            return transaction.atomic(*args, **kwargs)

    monkeypatch.setattr(proposals, "transaction", Racing)
    assert services.proposals_refresh(today=date(2023, 11, 20)) == 1
    assert raced and Proposal.objects.count() == 2
    assert Notification.objects.filter(title="新增挂牌督办建议1项，请研究").exists()


def test_rectification_steps_are_recorded_on_the_listing(city, listed):
    from gandang.core import audit

    write(listed, city.users["liaison_a"])
    step(listed, city.users["liaison_a"], "submit")
    entries = audit.history_for(listed)
    assert entries.filter(content_type__model="rectification", changes__has_key="state").exists()
    assert not audit.history_for(city.items["a"]).filter(content_type__model="rectification").exists()
