"""The platform proposes listings by the configured rules, once, and the office decides."""

from datetime import UTC, date, datetime

import pytest

from gandang.core.errors import ServiceError
from gandang.dispatch.models import ItemStatus, Period, Report, StatusSnapshot
from gandang.supervision import services
from gandang.supervision.models import Listing, Proposal, Trigger

TODAY = date(2023, 11, 20)


def _period(month, state="closed"):
    return Period.objects.create(
        year=2023, month=month, opens_on=date(2023, month, 1), deadline=date(2023, month, 25), state=state
    )


def _snap(period, item, status, reason="时间节点“完成方案”已逾期"):
    StatusSnapshot.objects.create(
        item=item, period=period, status=status, reason=reason, lead_unit=item.lead_unit
    )


@pytest.fixture
def months(city):
    return _period(8), _period(9), _period(10)


def test_red_in_the_last_two_closed_periods_is_proposed(city, months):
    aug, sep, octo = months
    a, b, c = city.items["a"], city.items["b"], city.items["c"]
    _snap(sep, a, "red"), _snap(octo, a, "red", "时间节点“完成方案”已逾期120天")
    _snap(aug, b, "red"), _snap(sep, b, "red"), _snap(octo, b, "yellow")  # red earlier, not now
    _snap(sep, c, "yellow"), _snap(octo, c, "red")  # red once
    assert services.proposals_refresh(today=TODAY) == 1
    p = Proposal.objects.get()
    assert (p.item, p.trigger, p.period) == (a, Trigger.RED, octo)
    assert "2023年9月、10月连续2个月严重滞后" in p.reason and "120天" in p.reason
    # Idempotent: the same run again proposes nothing new.
    assert services.proposals_refresh(today=TODAY) == 0


def test_the_number_of_red_periods_is_configurable(city, months, settings):
    aug, sep, octo = months
    settings.GANDANG_LISTING_RULES = settings.GANDANG_LISTING_RULES | {"red_periods": 3}
    _snap(sep, city.items["a"], "red"), _snap(octo, city.items["a"], "red")
    assert services.proposals_refresh(today=TODAY) == 0
    _snap(aug, city.items["a"], "red")
    assert services.proposals_refresh(today=TODAY) == 1


def test_missing_reports_two_months_running_are_proposed(city, months):
    _aug, sep, octo = months
    a, b = city.items["a"], city.items["b"]
    for p in (sep, octo):
        Report.objects.create(item=a, period=p, unit=a.lead_unit, is_missing=True)
    Report.objects.create(item=b, period=sep, unit=b.lead_unit)
    # B's October report came in late: late is not missing.
    Report.objects.create(
        item=b,
        period=octo,
        unit=b.lead_unit,
        submitted_at=datetime(2023, 10, 28, tzinfo=UTC),
        is_late=True,
    )
    assert services.proposals_refresh(today=TODAY) == 1
    p = Proposal.objects.get()
    assert (p.item, p.trigger) == (a, Trigger.MISSING)


def test_no_effect_is_proposed_and_can_be_switched_off(city, months, settings):
    ItemStatus.objects.create(
        item=city.items["c"], status="green", reason="", no_effect=True, no_effect_reason="只发文件"
    )
    settings.GANDANG_LISTING_RULES = settings.GANDANG_LISTING_RULES | {"no_effect": False}
    assert services.proposals_refresh(today=TODAY) == 0
    settings.GANDANG_LISTING_RULES = settings.GANDANG_LISTING_RULES | {"no_effect": True}
    assert services.proposals_refresh(today=TODAY) == 1
    assert "只发文件" in Proposal.objects.get().reason


def test_listed_items_are_not_proposed_and_listing_answers_the_proposal(city, months):
    _aug, sep, octo = months
    a = city.items["a"]
    _snap(sep, a, "red"), _snap(octo, a, "red")
    services.proposals_refresh(today=TODAY)
    p = Proposal.objects.get()
    listing = services.listing_create(
        actor=city.users["office"],
        item=a,
        data=services.ListingInput(
            level="office", reason=p.reason, requirements="加快", deadline=date(2023, 12, 20)
        ),
        proposal=p,
        today=TODAY,
    )
    p.refresh_from_db()
    assert p.state == Proposal.State.LISTED and listing.trigger == Trigger.RED
    nov = _period(11)
    _snap(nov, a, "red")
    assert services.proposals_refresh(today=date(2023, 12, 11)) == 0  # listed: no new proposal
    # A proposal already decided cannot be used again.
    with pytest.raises(ServiceError, match="已处理"):
        services.listing_create(
            actor=city.users["office"],
            item=city.items["b"],
            data=services.ListingInput(
                level="office", reason="x", requirements="y", deadline=date(2023, 12, 20)
            ),
            proposal=p,
            today=TODAY,
        )
    assert Listing.objects.count() == 1


def test_dismissal_needs_a_reason_and_the_same_finding_is_not_proposed_again(city, months):
    _aug, sep, octo = months
    a = city.items["a"]
    _snap(sep, a, "red"), _snap(octo, a, "red")
    services.proposals_refresh(today=TODAY)
    p = Proposal.objects.get()
    with pytest.raises(ServiceError, match="理由"):
        services.proposal_dismiss(actor=city.users["office"], proposal=p, reason=" ")
    with pytest.raises(ServiceError):
        services.proposal_dismiss(actor=city.users["leader"], proposal=p, reason="客观原因")
    services.proposal_dismiss(actor=city.users["office"], proposal=p, reason="受上级政策调整影响")
    assert services.proposals_refresh(today=TODAY) == 0
    # Still red a month later: a new finding, a new proposal.
    nov = _period(11)
    _snap(nov, a, "red")
    assert services.proposals_refresh(today=date(2023, 12, 11)) == 1
    assert Proposal.objects.filter(state="open").get().period == nov


def test_the_tick_proposes_escalates_and_reports_it(city, months):
    from gandang.city.calendar import lines, run_tick

    _aug, sep, octo = months
    _snap(sep, city.items["b"], "red"), _snap(octo, city.items["b"], "red")
    listing = services.listing_create(
        actor=city.users["office"],
        item=city.items["a"],
        data=services.ListingInput(
            level="office", reason="慢", requirements="快", deadline=date(2023, 11, 10)
        ),
        today=date(2023, 11, 1),
    )
    result = run_tick(today=TODAY)
    assert result.counts["proposals"] == 1
    assert result.names["escalated"] and "已发督办函" in result.names["escalated"][0]
    listing.refresh_from_db()
    assert listing.escalation == Listing.Escalation.LETTER
    assert any("挂牌督办建议" in line for line in lines(result))
    again = run_tick(today=TODAY)
    assert again.counts["proposals"] == 0 and again.names["escalated"] == []
