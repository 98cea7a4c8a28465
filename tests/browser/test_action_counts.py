"""The units' burden is the product's first measure: every click, fill and navigation is counted,
sign-in included, and each everyday task must fit its budget.

- a liaison files 5 reports with new text and one milestone in ≤ 15 actions;
- a head signs 5 in ≤ 6;
- the office goes from the home page to an issued quarterly bulletin downloaded as Word in ≤ 8.
"""

from datetime import date

import pytest

from gandang.dispatch import services as dispatch
from gandang.dispatch.models import Report
from gandang.ledger import services as ledger
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


class Counted:
    """The page, with every action a person takes counted (navigation, click, fill, tick, dialog)."""

    def __init__(self, page):
        self.page = page
        self.actions: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.actions.append(f"accept dialog: {dialog.message}")
        dialog.accept()

    def goto(self, url):
        self.actions.append(f"goto {url}")
        return self.page.goto(url)

    def click(self, selector, **kw):
        self.actions.append(f"click {selector}")
        self.page.locator(selector, **kw).first.click()
        self.page.wait_for_load_state()

    def fill(self, locator, value):
        self.actions.append(f"fill {locator}")
        locator.fill(value)

    def check(self, locator):
        self.actions.append(f"tick {locator}")
        locator.check()

    def sign_in(self, live_server, username):
        self.goto(f"{live_server.url}/")
        self.fill(self.page.locator("#id_username"), username)
        self.fill(self.page.locator("#id_password"), PASSWORD)
        self.click("button[type=submit]")

    def within(self, budget):
        assert len(self.actions) <= budget, f"{len(self.actions)} actions > {budget}:\n" + "\n".join(
            self.actions
        )


@pytest.fixture
def month(city):
    """Unit A leads five items this month; the first has a milestone to report."""
    office = city.users["office"]
    titles = ["推进投资项目审批改革", "深化“一链办理”改革", "推进数据要素市场建设", "建立企业诉求直办机制"]
    items = [city.items["a"]]
    for n, title in enumerate(titles, start=10):
        items.append(
            ledger.item_create(
                actor=office,
                fields={
                    "plan": city.plan,
                    "code": str(n),
                    "seq": n,
                    "title": title,
                    "lead_unit": city.units["a"],
                    "due_date": date(2023, 12, 31),
                },
            )
        )
    period, _n = dispatch.period_open(actor=office, year=2023, month=10)
    return period, items


def test_a_liaison_files_five_reports_with_a_milestone_in_fifteen_actions(page, live_server, city, month):
    period, items = month
    ms = items[0].milestones.get()
    me = Counted(page)
    me.sign_in(live_server, "liaison_a")
    me.click(".tile:has-text('待填报/待修改')")
    for n, item in enumerate(items, start=1):
        card = page.locator("article.report-card", has_text=item.title)
        me.fill(card.locator("textarea[name$=progress]"), f"本月第{n}项：召开推进会，完成阶段任务")
    me.check(page.locator(f"input[name$='-reach-{ms.pk}']"))
    me.click("button[name=submit_all]")
    me.click("button:has-text('确认提交')")
    me.within(15)
    reports = Report.objects.filter(period=period, unit=city.units["a"])
    assert {r.state for r in reports} == {Report.State.SUBMITTED}
    assert sorted(r.progress for r in reports) == sorted(
        f"本月第{n}项：召开推进会，完成阶段任务" for n in range(1, 6)
    )
    reached = reports.get(item=items[0]).reached.get()
    assert reached.milestone_id == ms.pk and reached.done_date.month == 10  # its date filled in for them


def test_a_head_signs_five_reports_in_six_actions(page, live_server, city, month):
    period, items = month
    liaison = city.users["liaison_a"]
    for item in items:
        report = Report.objects.get(period=period, item=item)
        report = dispatch.report_save(
            actor=liaison,
            report=report,
            expected_version=report.version,
            fields={"progress": "本月按计划推进"},
        )
        dispatch.report_step(actor=liaison, report=report, action="submit")
    me = Counted(page)
    me.sign_in(live_server, "head_a")
    me.click(".tile:has-text('待签发报告')")
    assert page.locator("article.sign-card").count() == 5
    me.click("button[name=approve]")
    me.within(6)
    assert {r.state for r in Report.objects.filter(period=period)} >= {Report.State.SIGNED}
    assert Report.objects.filter(period=period, unit=city.units["a"], state=Report.State.SIGNED).count() == 5


def test_the_office_issues_a_quarterly_bulletin_and_downloads_it_in_eight_actions(
    page, live_server, city, settings
):
    from tests.bulletins.conftest import build_q3

    build_q3(city)
    settings.GANDANG_TODAY = "2023-10-15"
    me = Counted(page)
    me.sign_in(live_server, "office")
    me.click("nav.mainnav a:has-text('季通报')")
    me.click("button:has-text('生成草稿')")
    me.click("button:has-text('印发通报')")
    assert "通报已印发" in page.content()
    with page.expect_download() as download:
        me.click("a:has-text('下载Word')")
    me.within(8)
    assert download.value.suggested_filename.endswith(".docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
    assert "2023年第三季度" in text
