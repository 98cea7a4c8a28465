"""Pages run a constant number of queries however many rows they show (no N+1)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandang.dispatch import services as dispatch
from gandang.dispatch.engine import recompute_all
from gandang.ledger import services as ledger
from tests.achievements.conftest import levels  # noqa: F401  (a fixture)


def add_items(city, n, start):
    for i in range(start, start + n):
        ledger.item_create(
            actor=city.users["office"],
            fields={
                "plan": city.plan,
                "code": f"x{i}",
                "seq": 100 + i,
                "title": f"改革事项{i}",
                "area": city.area,
                "lead_unit": city.units["a"],
                "due_date": date(2023, 12, 31),
            },
            leaders=[city.leader],
            joint_leads=[city.units["b"]],  # 共同牵头: shown with the lead on every list, prefetched
            co_units=[city.units["c"]],
            milestones=[ledger.MilestoneData(title="节点", due_date=date(2023, 6, 30))],
        )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("office", "/ledger/"),
        ("office", "/"),
        ("liaison_a", "/"),
        ("leader", "/"),
        ("office", "/dispatch/periods/{period}/"),
        ("liaison_a", "/dispatch/periods/{period}/fill/"),
        ("liaison_b", "/dispatch/periods/{period}/fill/"),  # the items it leads jointly
        ("liaison_b", "/"),
        ("office", "/dispatch/"),
        ("office", "/api/ledger/items"),
    ],
)
def test_queries_do_not_grow_with_rows(login, city, settings, role, url):
    settings.GANDANG_PAGE_SIZE = 100
    client = login(city.users[role])
    add_items(city, 3, 0)
    period, _ = dispatch.period_open(actor=city.users["office"], year=2023, month=10)
    recompute_all(today=date(2023, 10, 15))
    url = url.format(period=period.pk)
    few = count(client, url)
    add_items(city, 12, 3)
    dispatch.period_open(actor=city.users["office"], year=2023, month=10)
    recompute_all(today=date(2023, 10, 15))
    assert count(client, url) == few


def _suggestions(city, n, session):
    """n suggestions at `session`, at every stage in turn: received, assigned, closed, replied."""
    from gandang.matters import consult_services
    from tests.matters.conftest import assign, handle, suggestion

    for i in range(n):
        sug = suggestion(city, session, title=f"建议{i}", party=["民盟", "无党派人士"][i % 2])
        if i % 4 == 1:
            assign(city, sug, deadline=date(2099, 1, 1))
        elif i % 4 >= 2:
            handle(city, sug, deadline=date(2099, 1, 1))
        if i % 4 == 3:
            sug.refresh_from_db()
            d = consult_services.reply_draft(sug)
            consult_services.reply_issue(
                actor=city.users["office"], suggestion=sug, title=d.title, recipient=d.recipient, body=d.body
            )


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("office", "/matters/consult/suggestions/?year=2023"),
        ("liaison_a", "/matters/consult/suggestions/?year=2023"),
        ("office", "/matters/consult/?year=2023"),
        ("office", "/matters/consult/{session}/"),
        ("office", "/api/matters/suggestions"),
    ],
)
def test_the_consultations_pages_do_not_grow_with_suggestions(login, city, settings, role, url):
    from tests.matters.conftest import consultation

    settings.GANDANG_PAGE_SIZE = 100
    client = login(city.users[role])
    session = consultation(city)
    url = url.format(session=session.pk)
    _suggestions(city, 4, session)
    few = count(client, url)
    _suggestions(city, 12, session)
    assert count(client, url) == few


def _pieces(city, n, *, unit_b_too=True):
    """`n` adopted pieces of unit A (and as many drafts of unit B), an issue of the first half issued."""
    from tests.information.conftest import adopted, drafted

    for k in range(n):
        adopted(city, title=f"信息{k}")
        if unit_b_too:
            drafted(city, unit="b", title=f"乙信息{k}")


def _standings(city, units: int, months: list[int]):
    """`units` more departments with a late report and a lagging item in each month, and a published
    standing of each month (computed again from scratch)."""
    from gandang.assessment import standing_services
    from gandang.assessment.models import Scheme, Standing
    from gandang.dispatch.models import Period
    from gandang.org.models import Unit
    from tests.assessment import factories as f

    if not Scheme.objects.filter(purpose="standing").exists():
        f.standing_scheme()
    Standing.objects.update(compared_with=None)  # each protects the next month's, compared with it
    Standing.objects.all().delete()
    periods = [Period.objects.filter(year=2023, month=m).first() or f.period(2023, m) for m in months]
    start = Unit.objects.count()
    for i in range(start, start + units):
        unit = Unit.objects.create(name=f"单位{i}", kind=Unit.Kind.DEPARTMENT)
        it = f.item(city.plan, f"u{i}", unit)
        for p in periods:
            f.report(it, p, is_late=True)
            f.snapshot(it, p, "yellow")
    out = []
    for p in periods:
        s = standing_services.standing_compute(actor=city.users["office"], period=p)
        out.append(standing_services.standing_publish(actor=city.users["office"], standing=s))
    return out[-1]


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("office", "/information/"),
        ("liaison_a", "/information/"),
        ("office", "/information/?year=2023&month=11&adopted=1"),
        ("office", "/information/counts/?year=2023"),
        ("liaison_b", "/information/counts/?year=2023"),
        ("office", "/information/issues/"),
        ("office", "/information/issues/{issue}/"),
        ("leader", "/information/issues/{published}/"),
    ],
)
def test_the_information_pages_do_not_grow_with_pieces(login, city, settings, role, url):
    from gandang.core import clock
    from gandang.information import services
    from gandang.information.models import Piece

    settings.GANDANG_PAGE_SIZE = 100
    client = login(city.users[role])
    office = city.users["office"]
    with clock.pinned(date(2023, 11, 6)):

        def grow(n):
            _pieces(city, n)
            ids = list(Piece.objects.filter(state="adopted", issue__isnull=True).values_list("pk", flat=True))
            services.issue_add(actor=office, issue=draft, pieces=ids[: len(ids) // 2])
            done = services.issue_create(actor=office)
            services.issue_add(actor=office, issue=done, pieces=ids[len(ids) // 2 :])
            return services.issue_publish(actor=office, issue=done)

        draft = services.issue_create(actor=office)
        published = grow(2)
        url = url.format(issue=draft.pk, published=published.pk)
        few = count(client, url)
        grow(8)
        assert count(client, url) == few


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("office", "/assessment/standings/"),
        ("liaison_a", "/assessment/standings/"),
        ("office", "/assessment/standings/{standing}/"),
        ("liaison_a", "/assessment/standings/{standing}/"),
        ("office", "/assessment/standings/{standing}/units/{unit}/"),
        ("liaison_a", "/"),
    ],
)
def test_the_standings_pages_do_not_grow_with_units_or_months(login, city, role, url):
    client = login(city.users[role])
    standing = _standings(city, 3, [9, 10])
    few = count(client, url.format(standing=standing.pk, unit=city.units["a"].pk))
    standing = _standings(city, 60, [7, 8, 9, 10])  # more units than a page shows, more months
    assert count(client, url.format(standing=standing.pk, unit=city.units["a"].pk)) == few


def test_the_fact_sheets_pages_do_not_grow_with_sheets_or_records(login, city, levels):  # noqa: F811
    """The list of fact sheets a page at a time; a fact sheet's figures are counts, its named records bounded."""
    from gandang.achievements import services as achievements
    from gandang.bulletins import factsheet_services
    from gandang.core import clock

    office = city.users["office"]
    client = login(office)

    def sheets(n):
        for _ in range(n):
            sheet = factsheet_services.factsheet_create(
                actor=office, start=date(2023, 1, 1), end=date(2023, 11, 30), since=date(2021, 1, 1)
            )
        return sheet

    def promoted(n, start):
        for i in range(start, start + n):
            exp = achievements.experience_create(
                actor=office,
                data=achievements.ExperienceInput(
                    title=f"经验{i}", summary="摘要", body="正文", units=[city.units["a"]], items=[]
                ),
            )
            exp = achievements.experience_step(actor=office, experience=exp, action="adopt")
            for key in ("province", "central"):
                achievements.promotion_add(
                    actor=office, experience=exp, outlet=levels["outlets"][key], on=date(2023, 5, 1)
                )

    with clock.pinned(date(2023, 12, 5)):
        sheet = sheets(2)
        promoted(2, 0)
        few = [count(client, "/factsheets/"), count(client, f"/factsheets/{sheet.pk}/")]
        sheets(12)
        promoted(12, 2)
        assert [count(client, "/factsheets/"), count(client, f"/factsheets/{sheet.pk}/")] == few


def _item_records(city, months: list[int], start: int) -> None:
    """Item a's records for the `months` of 2023: each month's period, closed with the item's snapshot (unit
    C leading jointly, so the snapshot keeps it), a directive on the item with its matter, a sub-item led
    by unit A with unit C jointly; each leaves entries in the item's history."""
    from gandang.ledger.models import Item
    from tests.matters.conftest import record_directive

    office, item = city.users["office"], city.items["a"]
    for k, month in enumerate(months, start):
        item = Item.objects.get(pk=item.pk)
        ledger.item_update(
            actor=office, item=item, expected_version=item.version, fields={}, joint_leads=[city.units["c"]]
        )
        period, _ = dispatch.period_open(actor=office, year=2023, month=month)
        dispatch.period_close(actor=office, period=period)
        record_directive(city, text=f"请抓紧推进，第{k}次。")
        ledger.item_create(
            actor=office,
            fields={
                "plan": city.plan,
                "code": f"1-{k}",
                "seq": k,
                "title": f"子事项{k}",
                "parent": item,
                "lead_unit": city.units["a"],
            },
            joint_leads=[city.units["c"]],
        )


@pytest.mark.parametrize("role", ["office", "leader", "liaison_a", "liaison_b"])
def test_the_item_page_does_not_grow_with_its_records(login, city, role):
    """The item page: its months (snapshots, reports), instructions and their matters, sub-items and history."""
    client = login(city.users[role])
    url = f"/ledger/items/{city.items['a'].pk}/"
    _item_records(city, [7, 8], 1)
    few = count(client, url)
    _item_records(city, [9, 10, 11], 3)
    assert count(client, url) == few
