"""The monthly standing (月度晾晒): its figures are the month's records counted, units move against last
month, only the office computes and publishes, a unit reads its own explained line and no other's."""

from datetime import date

import pytest

from gandang.achievements.models import Experience, Promotion
from gandang.assessment import services, standing_services
from gandang.assessment.models import Indicator, Standing, StandingLine, StandingResult
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.dispatch.models import Period, Report, ReportStep, StatusSnapshot
from gandang.ledger.models import Item
from gandang.notifications.models import Notification
from gandang.supervision.models import Letter, Listing
from tests.assessment import factories as f

LAGGING = ["yellow", "red"]


@pytest.fixture
def months(city):
    """September and October 2023, closed, with records of every kind for units A and C (departments)
    and B (a county); some dated in September, some not counted at all (a send-back, an unconfirmed
    copy, a revoked listing)."""
    c = city
    office = c.users["office"]
    a, b, cc = c.items["a"], c.items["b"], c.items["c"]
    a2 = f.item(c.plan, "1.2", c.units["a"])
    a3 = f.item(c.plan, "1.3", c.units["a"])
    sep, oct_ = f.period(2023, 9), f.period(2023, 10)
    # September: C reported late and lagged badly; A was listed; an experience of A and C promoted.
    f.report(cc, sep, is_late=True)
    for it in (a, a2, a3, b):
        f.snapshot(it, sep, "green")
    f.snapshot(cc, sep, "red")
    f.listing(a3, office, on=date(2023, 9, 5), state="delisted")
    e = f.experience([c.units["a"], c.units["c"]], office)
    f.promotion(e, "province", office, on=date(2023, 9, 1))
    # October.
    f.report(a, oct_, is_late=True, returns=2)
    f.report(a2, oct_, is_missing=True)
    f.report(a3, oct_, is_copy=True, copy_confirmed=True)
    f.report(cc, oct_, is_copy=True)  # flagged, not confirmed by the office: not counted
    f.report(b, oct_, returns=1, send_backs=1)  # the unit head's send-back is not the office's return
    f.snapshot(a, oct_, "yellow")
    f.snapshot(a2, oct_, "red")
    f.snapshot(a3, oct_, "green")
    f.snapshot(cc, oct_, "yellow")
    f.snapshot(b, oct_, "green")
    x = f.listing(cc, office, on=date(2023, 10, 10))
    f.letter(x, on=date(2023, 10, 11))
    revoked = f.listing(a, office, on=date(2023, 10, 12), state="revoked")
    f.letter(revoked, on=date(2023, 10, 12))
    f.promotion(e, "ministry", office, on=date(2023, 10, 20))
    c.sep, c.oct = sep, oct_
    c.standing_scheme = f.standing_scheme()
    return c


def independent_points(period: Period, unit_id: int) -> dict[str, int]:
    """Each indicator's points for the unit, counted straight from the records (one point per record)."""
    reports = Report.objects.filter(period=period, unit_id=unit_id)
    month = (period.first_day, period.last_day)
    listings = Listing.objects.filter(unit_id=unit_id, listed_on__range=month).exclude(state="revoked")
    letters = Letter.objects.filter(unit_id=unit_id, issued_on__range=month).exclude(listing__state="revoked")
    promotions = Promotion.objects.filter(
        date__range=month,
        experience__units=unit_id,
        experience__state__in=[Experience.State.ADOPTED, Experience.State.PUBLISHED],
    )
    return {
        "按时报送": 20
        - reports.filter(is_late=True).count()
        - reports.filter(is_missing=True, submitted_at__isnull=True).count(),
        "退回": 20 - ReportStep.objects.filter(report__in=reports, action="return").count(),
        "照抄": 20 - reports.filter(is_copy=True, copy_confirmed=True).count(),
        "事项滞后": -StatusSnapshot.objects.filter(
            period=period, lead_unit_id=unit_id, status__in=LAGGING
        ).count(),
        "挂牌督办": -(listings.count() + letters.count()),
        "经验推广": promotions.count(),
    }


def lines_of(standing: Standing, unit_id: int) -> dict[str, int]:
    return {
        x.indicator_name: int(x.points)
        for x in StandingLine.objects.filter(standing=standing, unit_id=unit_id)
    }


def test_the_standings_figures_are_the_months_records_counted(months):
    c = months
    oct_standing = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    for key in ("a", "b", "c"):
        unit = c.units[key]
        assert lines_of(oct_standing, unit.pk) == independent_points(c.oct, unit.pk), key
    # And the figures are what the fixture says (so the counting above counts something).
    assert lines_of(oct_standing, c.units["a"].pk) == {
        "按时报送": 18,
        "退回": 18,
        "照抄": 19,
        "事项滞后": -2,
        "挂牌督办": 0,
        "经验推广": 1,
    }
    total = StandingResult.objects.get(standing=oct_standing, unit=c.units["a"]).total
    assert total == sum(independent_points(c.oct, c.units["a"].pk).values())


def test_each_point_names_and_links_the_record_behind_it(months):
    c = months
    standing = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    late = StandingLine.objects.get(standing=standing, unit=c.units["a"], indicator_name="按时报送")
    report = Report.objects.get(period=c.oct, item=c.items["a"])
    assert {"model": "dispatch.report", "id": report.pk, "url": report.get_absolute_url()}.items() <= next(
        e for e in late.evidence if e["id"] == report.pk
    ).items()
    assert late.explanation.startswith("本月报送进展报告3份")
    lag = StandingLine.objects.get(standing=standing, unit=c.units["a"], indicator_name="事项滞后")
    assert "进度滞后1项、严重滞后1项" in lag.explanation
    a2 = Item.objects.get(code="1.2")
    assert {e["url"] for e in lag.evidence} == {c.items["a"].get_absolute_url(), a2.get_absolute_url()}


def test_units_are_ranked_by_kind_with_their_movement_since_last_month(months):
    c = months
    office = c.users["office"]
    sep = standing_services.standing_compute(actor=office, period=c.sep)
    standing_services.standing_publish(actor=office, standing=sep)
    oct_ = standing_services.standing_compute(actor=office, period=c.oct)
    assert oct_.compared_with == sep
    rank = {
        (r.standing_id, r.unit_id): (r.rank, r.previous_rank, r.movement)
        for r in StandingResult.objects.all()
    }
    a, b, cc = (c.units[k].pk for k in "abc")
    assert rank[(sep.pk, a)] == (1, None, None) and rank[(sep.pk, cc)] == (2, None, None)
    assert rank[(oct_.pk, cc)] == (1, 2, 1)  # up one place
    assert rank[(oct_.pk, a)] == (2, 1, -1)  # down one place
    assert rank[(oct_.pk, b)] == (1, 1, 0)  # the county is ranked among counties alone
    a_oct = StandingResult.objects.get(standing=oct_, unit_id=a)
    assert standing_services.movement_words(a_oct) == "较上月下降1位"


def test_a_unit_that_changed_kind_has_no_movement(months):
    c = months
    standing_services.standing_compute(actor=c.users["office"], period=c.sep)
    c.units["c"].kind = "enterprise"
    c.units["c"].save()
    oct_ = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    r = StandingResult.objects.get(standing=oct_, unit=c.units["c"])
    assert (r.rank, r.previous_rank, r.movement) == (1, None, None)


def test_only_the_office_computes_and_publishes_and_a_published_standing_is_frozen(months):
    c = months
    with pytest.raises(ServiceError):
        standing_services.standing_compute(actor=c.users["liaison_a"], period=c.oct)
    standing = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    again = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    assert again.pk == standing.pk and StandingResult.objects.filter(standing=standing).count() == 3
    for who in ("leader", "liaison_a", "observer"):
        with pytest.raises(ServiceError):
            standing_services.standing_publish(actor=c.users[who], standing=standing)
    standing_services.standing_publish(actor=c.users["office"], standing=standing)
    with pytest.raises(ServiceError, match="已发布"):
        standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    history = AuditEntry.objects.filter(object_id=standing.pk, content_type__model="standing").order_by("id")
    assert [(e.action, e.reason) for e in history] == [
        ("create", ""),
        ("update", "重新计算"),
        ("update", "发布"),
    ]
    assert history.last().changes["state"] == ["待发布", "已发布"]
    note = Notification.objects.get(
        user=c.users["liaison_a"], key=f"standing:{standing.pk}:unit{c.units['a'].pk}"
    )
    assert "本单位在市直部门中排第2名" in note.title
    assert note.url == f"/assessment/standings/{standing.pk}/units/{c.units['a'].pk}/"


def test_an_open_period_or_a_year_without_a_scheme_is_refused(months):
    c = months
    c.oct.state = Period.State.OPEN
    c.oct.save()
    with pytest.raises(ServiceError, match="尚未结束"):
        standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    nov = f.period(2024, 1)
    with pytest.raises(ServiceError, match="尚未启用月度晾晒方案"):
        standing_services.standing_compute(actor=c.users["office"], period=nov)


def test_a_standing_scheme_has_no_manual_points_and_is_not_run_as_an_annual_assessment(months):
    c = months
    ind = Indicator(
        scheme=c.standing_scheme,
        name="评定",
        rule="manual",
        unit_kinds=["department"],
        max_points=3,
        params={},
    )
    with pytest.raises(Exception, match="不设评定加减分"):
        ind.full_clean()
    with pytest.raises(ServiceError, match="按调度期计算"):
        services.run_compute(actor=c.users["office"], scheme=c.standing_scheme)


def test_the_calendar_computes_the_standing_of_a_period_once_it_closed(months):
    from gandang.city.calendar import lines, run_tick

    run = run_tick(today=date(2023, 11, 12))
    assert set(Standing.objects.values_list("period__month", flat=True)) == {9, 10}
    assert any(line.startswith("计算月度晾晒：") for line in lines(run))
    run_tick(today=date(2023, 11, 13))  # again: nothing new
    assert Standing.objects.count() == 2


# -- pages -------------------------------------------------------------------------------------------


@pytest.fixture
def published(months):
    """September and October computed and published, in order."""
    c = months
    sep = standing_services.standing_compute(actor=c.users["office"], period=c.sep)
    c.sep_standing = standing_services.standing_publish(actor=c.users["office"], standing=sep)
    oct_ = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    c.standing = standing_services.standing_publish(actor=c.users["office"], standing=oct_)
    return c


def test_a_unit_sees_the_published_table_and_only_its_own_explained_line(published, login):
    c = published
    client = login(c.users["liaison_a"])
    s = c.standing
    page = client.get(f"/assessment/standings/{s.pk}/").content.decode()
    assert "市发展改革委" in page and "市教育局" in page
    own = f"/assessment/standings/{s.pk}/units/{c.units['a'].pk}/"
    other = f"/assessment/standings/{s.pk}/units/{c.units['c'].pk}/"
    assert own in page and other not in page  # the other unit's name is not a link
    body = client.get(own).content.decode()
    report = Report.objects.get(period=c.oct, item=c.items["a"])
    assert report.get_absolute_url() in body  # a point links to the record behind it
    assert "较上月下降1位" in body and "本月报送进展报告3份" in body
    assert client.get(other).status_code == 404


def test_a_computed_standing_is_the_offices_alone(months, login, client):
    c = months
    s = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    assert login(c.users["office"]).get(f"/assessment/standings/{s.pk}/").status_code == 200
    for who in ("leader", "liaison_a", "observer"):
        client.force_login(c.users[who])
        assert client.get(f"/assessment/standings/{s.pk}/").status_code == 404, who
        assert client.get("/assessment/standings/").content.decode().count(f"/standings/{s.pk}/") == 0


def test_the_office_publishes_from_the_page_and_units_are_told(months, login):
    c = months
    client = login(c.users["office"])
    r = client.post("/assessment/standings/compute/", {"period": c.oct.pk})
    s = Standing.objects.get(period=c.oct)
    assert r.status_code == 302 and r["Location"] == f"/assessment/standings/{s.pk}/"
    r = client.post(f"/assessment/standings/{s.pk}/publish/", {"on_showcase": "on"})
    s.refresh_from_db()
    assert s.is_published and s.on_showcase
    assert Notification.objects.filter(user=c.users["head_a"], key__startswith=f"standing:{s.pk}:").exists()
    showcase = client.get("/showcase/").content.decode()
    assert "2023年10月月度晾晒" in showcase and "市教育局" in showcase
    client.post(f"/assessment/standings/{s.pk}/showcase/", {"on": "0"})
    assert "月度晾晒" not in client.get("/showcase/").content.decode()


def test_bad_input_gets_a_chinese_message_not_a_server_error(published, login):
    c = published
    client = login(c.users["office"])
    r = client.get(f"/assessment/standings/{c.standing.pk}/?kind=nonsense")
    assert r.status_code == 400 and "单位类型参数不正确" in r.content.decode()
    r = client.post("/assessment/standings/compute/", {"period": "99999999"}, follow=True)
    assert "请选择已结束且晾晒尚未发布的调度期" in r.content.decode()
    r = client.post("/assessment/standings/compute/", {"period": c.oct.pk}, follow=True)  # published
    assert "请选择已结束且晾晒尚未发布的调度期" in r.content.decode()
    r = client.post(f"/assessment/standings/{c.standing.pk}/showcase/", {"on": "maybe"}, follow=True)
    assert "请选择在公开专栏展示或撤下" in r.content.decode()
    assert client.get(f"/assessment/standings/{c.standing.pk}/?page=abc").status_code == 200


def test_the_workbench_links_a_unit_to_its_line_and_the_office_to_what_awaits_publishing(
    months, login, client
):
    c = months
    s = standing_services.standing_compute(actor=c.users["office"], period=c.oct)
    page = login(c.users["office"]).get("/").content.decode()
    assert "月度晾晒待发布" in page and f"/assessment/standings/{s.pk}/" in page
    standing_services.standing_publish(actor=c.users["office"], standing=s)
    client.force_login(c.users["liaison_a"])
    page = client.get("/").content.decode()
    assert f"/assessment/standings/{s.pk}/units/{c.units['a'].pk}/" in page


def test_the_standings_tab_sits_beside_the_annual_assessment(published, login):
    c = published
    page = login(c.users["liaison_b"]).get("/assessment/").content.decode()
    assert "/assessment/standings/" in page
    listing = login(c.users["liaison_b"]).get("/assessment/standings/").content.decode()
    assert f"/assessment/standings/{c.standing.pk}/units/{c.units['b'].pk}/" in listing  # its own line


def test_the_standing_scheme_page_says_how_units_are_scored_each_month(months, login):
    c = months
    page = login(c.users["liaison_a"]).get(f"/assessment/schemes/{c.standing_scheme.pk}/").content.decode()
    assert "期末牵头事项每项扣：进度滞后1分、严重滞后1分" in page
    assert "/assessment/standings/" in page and "评定加减分" not in page and "计算记录" not in page
    listing = login(c.users["liaison_a"]).get("/assessment/standings/").content.decode()
    assert f"/assessment/schemes/{c.standing_scheme.pk}/" in listing


def test_the_published_table_exports_to_excel_with_ranks_and_movement(published, login):
    from io import BytesIO

    from openpyxl import load_workbook

    c = published
    r = login(c.users["liaison_b"]).get(f"/assessment/standings/{c.standing.pk}/export.xlsx")
    assert r.status_code == 200
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["市直部门排名", "县市区排名"]
    rows = [row for row in wb["市直部门排名"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert rows[0][:4] == (1, "市教育局", 2, "较上月上升1位")
    assert rows[1][:4] == (2, "市发展改革委", 1, "较上月下降1位")
    assert rows[1][4:] == (18, 18, 19, -2, 0, 1, 54)


def test_the_standing_pages_read_in_english(published, login):
    from django.utils import translation

    c = published
    client = login(c.users["liaison_a"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        index = client.get("/assessment/standings/").content.decode()
        assert "Monthly standing" in index and "Your rank" in index
        page = client.get(f"/assessment/standings/{c.standing.pk}/units/{c.units['a'].pk}/").content.decode()
        assert "Down 1 since last month" in page and "Points by indicator" in page
        # What was stored (the explanation) stays in the product's language.
        assert "本月报送进展报告3份" in page
    finally:
        translation.deactivate()


def test_the_months_report_count_opens_the_reports_it_counts(published, login):
    # 本月报送进展报告3份 at full marks has no deduction to list: the count itself opens the month's reports.
    c = published
    url = f"/dispatch/periods/{c.oct.pk}/?unit={c.units['a'].pk}"
    office = login(c.users["office"])
    body = office.get(f"/assessment/standings/{c.standing.pk}/units/{c.units['a'].pk}/").content.decode()
    assert f'href="{url}"'.replace("&", "&amp;") in body
    listed = office.get(url)
    assert listed.context["page"].paginator.count == 3  # 1, 1.2 and 1.3: the 3 of the explanation
    liaison = login(c.users["liaison_a"])
    assert liaison.get(url).status_code == 302  # a unit's own month, where its reports are


def test_movement_is_measured_only_against_a_published_last_month(months, login):
    # September computed, never published: no unit ever saw it, so October gives no movement (no number
    # measured against it), says why, on the table, the unit's line, its points and the Excel alike.
    c = months
    office = c.users["office"]
    sep = standing_services.standing_compute(actor=office, period=c.sep)
    oct_ = standing_services.standing_compute(actor=office, period=c.oct)
    oct_ = standing_services.standing_publish(actor=office, standing=oct_)
    assert oct_.compared_with is None
    results = StandingResult.objects.filter(standing=oct_).select_related("standing")
    assert {(r.previous_rank, r.movement) for r in results} == {(None, None)}
    note = "发布时上月没有已发布的晾晒，不计名次变化"
    assert {standing_services.movement_words(r) for r in results} == {note}
    liaison = login(c.users["liaison_a"])
    table = liaison.get(f"/assessment/standings/{oct_.pk}/").content.decode()
    assert note in table and 'class="mv mv-none"' in table and "mv-up" not in table and "mv-down" not in table
    line = f"/assessment/standings/{oct_.pk}/units/{c.units['a'].pk}/"
    september = f"/assessment/standings/{sep.pk}/units/{c.units['a'].pk}/"
    body = liaison.get(line).content.decode()
    assert note in body and "上月第" not in body
    assert september not in body and "上月 20" not in body and "上月明细" not in body
    assert liaison.get(september).status_code == 404
    # The office reads the unit's line as the unit does: the same movement and the same last month.
    body = login(office).get(line).content.decode()
    assert note in body and september not in body and "上月 20" not in body
    heard = Notification.objects.get(
        user=c.users["liaison_a"], key=f"standing:{oct_.pk}:unit{c.units['a'].pk}"
    )
    assert note in heard.body
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(liaison.get(f"/assessment/standings/{oct_.pk}/export.xlsx").content))
    rows = [row for row in wb["市直部门排名"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [row[2:4] for row in rows] == [(None, note), (None, note)]


def test_last_month_published_before_this_month_is_the_one_movement_is_measured_against(months, login):
    # October computed while September waited; September published, then October: October moves from
    # September, as the units saw it, and reads its points there.
    c = months
    office = c.users["office"]
    sep = standing_services.standing_compute(actor=office, period=c.sep)
    oct_ = standing_services.standing_compute(actor=office, period=c.oct)
    assert oct_.compared_with is None
    page = login(office).get(f"/assessment/standings/{oct_.pk}/").content.decode()
    assert "上月没有已发布的晾晒，不计名次变化" in page and "上月晾晒发布后，本月的升降随即与之比较" in page
    standing_services.standing_publish(actor=office, standing=sep)
    oct_.refresh_from_db()
    assert oct_.compared_with == sep
    entry = AuditEntry.objects.filter(object_id=oct_.pk, content_type__model="standing").latest("id")
    assert entry.reason == "上月晾晒已发布，名次变化改为与之比较" and "compared_with" in entry.changes
    a = StandingResult.objects.get(standing=oct_, unit=c.units["a"])
    assert (a.rank, a.previous_rank, a.movement) == (2, 1, -1)
    oct_ = standing_services.standing_compute(actor=office, period=c.oct)  # computed again: still so
    assert (
        oct_.compared_with == sep
        and StandingResult.objects.get(standing=oct_, unit=c.units["a"]).previous_rank == 1
    )
    standing_services.standing_publish(actor=office, standing=oct_)
    line = f"/assessment/standings/{oct_.pk}/units/{c.units['a'].pk}/"
    body = login(c.users["liaison_a"]).get(line).content.decode()
    assert "较上月下降1位" in body and "上月第1名" in body and "上月 20" in body
    assert f"/assessment/standings/{sep.pk}/units/{c.units['a'].pk}/" in body
    assert "不计名次变化" not in body


def test_the_migration_measures_existing_standings_against_published_months_only(months):
    # Standings computed before the fix carry ranks measured against an unpublished month: the data step
    # clears them, and keeps (and links) those measured against a published one.
    import importlib

    from django.apps import apps

    step = importlib.import_module("gandang.assessment.migrations.0007_standing_compared_with")
    c = months
    office = c.users["office"]
    sep = standing_services.standing_compute(actor=office, period=c.sep)
    oct_ = standing_services.standing_compute(actor=office, period=c.oct)
    standing_services.standing_publish(actor=office, standing=oct_)
    a = c.units["a"].pk
    StandingResult.objects.filter(standing=oct_, unit_id=a).update(previous_rank=1)  # as it was stored
    step.measure_against_published(apps, None)
    oct_.refresh_from_db()
    assert oct_.compared_with is None
    assert StandingResult.objects.get(standing=oct_, unit_id=a).previous_rank is None
    Standing.objects.filter(pk=sep.pk).update(state="published", published_at=oct_.published_at)
    step.measure_against_published(apps, None)
    oct_.refresh_from_db()
    assert oct_.compared_with_id == sep.pk
    assert StandingResult.objects.get(standing=oct_, unit_id=a).previous_rank == 1
