"""A plan's reporting cycle: what the office may set, the words it reads, and the cycle a plan
document's cover letter names."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.ledger import cycles, services
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Plan
from tests.fixtures import plan_documents as docs

SENTENCE = "请将一季度、上半年、前三季度和全年工作落实情况分别于4月25日、6月25日、9月25日和11月25日前报送市委改革办。"


@pytest.mark.parametrize(
    ("cycle", "deadlines", "error"),
    [
        (Cycle.MONTHLY, "", None),
        (Cycle.MONTHLY, "04-25", "按月报送的方案使用全市月调度的截止日"),
        (Cycle.QUARTERLY, "", None),
        (Cycle.QUARTERLY, "04-25,06-25,09-25,11-25", None),
        (Cycle.QUARTERLY, "04-25,06-25", "每年有4个报送截止日，填写了2个"),
        (Cycle.QUARTERLY, "06-25,04-25,09-25,11-25", "应按时间先后排列"),
        (Cycle.QUARTERLY, "04-25,06-25,09-25,13-01", "“13-01”不是“月-日”形式的日期"),
        (Cycle.QUARTERLY, "04-25,06-25,09-25,02-30", "“02-30”不是"),
        (Cycle.HALFYEARLY, "07-10,01-10", "应按时间先后排列"),
        (Cycle.HALFYEARLY, "07-10,12-20", None),
        (Cycle.HALFYEARLY, "03-10,05-10", "早于其报送期开始的月份"),
        (Cycle.YEARLY, "11-25", None),
        (Cycle.YEARLY, "11-25,12-25", "每年有1个报送截止日"),
    ],
)
def test_the_deadlines_must_fit_the_cycle(db, cycle, deadlines, error):
    plan = Plan(year=2023, name="方案", cycle=cycle, deadlines=deadlines)
    if error is None:
        plan.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert error in " ".join(exc.value.message_dict["deadlines"])
    with pytest.raises(ServiceError, match=error):
        services.plan_save(
            actor=None,
            plan=Plan(),
            fields={"year": 2023, "name": "方案", "cycle": cycle, "deadlines": deadlines},
        )


def test_a_blank_deadline_is_the_citys_day_of_the_spans_last_month(settings):
    settings.GANDANG_REPORT_DEADLINE_DAY = 20
    assert cycles.deadline_of(Cycle.QUARTERLY, "", 2023, 6).isoformat() == "2023-06-20"
    assert cycles.deadline_of(Cycle.QUARTERLY, "4-25 6-25 9-25 11-25", 2023, 12).isoformat() == "2023-11-25"
    assert cycles.describe(Cycle.YEARLY, "", 2023) == "按年报送：2023年度12月20日前"


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        (SENTENCE, ("quarterly", "04-25,06-25,09-25,11-25")),
        ("上半年和全年工作情况分别于7月10日和12月20日前报送。", ("halfyearly", "07-10,12-20")),
        ("全年工作总结于11月30日前报送市委改革办。", ("yearly", "11-30")),
        ("请于每月25日前报送工作进展。", None),
        ("请于2023年3月10日前报送实施方案。", None),  # a date, but no span named: not a cycle
        ("每季度末报送进展情况。", None),
    ],
)
def test_the_cover_letters_sentence_names_the_cycle(sentence, found):
    assert cycles.from_cadence(sentence) == found


def test_the_office_sets_a_plans_cycle_on_its_page(city, login):
    client = login(city.users["office"])
    url = reverse("ledger:plan_edit", args=[city.plan.pk])
    form = {"year": 2023, "name": city.plan.name, "cycle": "quarterly", "deadlines": "04-25,06-25"}
    response = client.post(url, form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "每年有4个报送截止日，填写了2个" in body and 'value="04-25,06-25"' in body  # the typed text stays
    response = client.post(url, {**form, "deadlines": "4-25，6-25，9-25，11-25"})
    assert response.status_code == 302
    city.plan.refresh_from_db()
    assert (city.plan.cycle, city.plan.deadlines) == ("quarterly", "04-25,06-25,09-25,11-25")
    entry = AuditEntry.objects.filter(
        object_id=city.plan.pk, object_repr=str(city.plan), action=AuditEntry.Action.UPDATE
    ).latest("pk")
    assert "cycle" in entry.changes and "deadlines" in entry.changes
    listing = client.get(reverse("ledger:plan_list")).content.decode()
    assert "按季度报送：2023年第一季度4月25日前" in listing


@pytest.mark.parametrize("role", ["leader", "liaison_a", "head_a", "observer"])
def test_only_the_office_changes_a_plans_cycle(city, login, role):
    client = login(city.users[role])
    url = reverse("ledger:plan_edit", args=[city.plan.pk])
    response = client.post(
        url, {"year": 2023, "name": city.plan.name, "cycle": "yearly", "deadlines": "11-25"}
    )
    assert response.status_code == 403
    city.plan.refresh_from_db()
    assert city.plan.cycle == "monthly"
    # The API lists plans with their cycle and has no way to change one.
    api = client.put(
        f"/api/ledger/plans/{city.plan.pk}", {"cycle": "yearly"}, content_type="application/json"
    )
    assert api.status_code in (404, 405)
    assert client.get("/api/ledger/plans").json()[0]["cycle"] == "monthly"


def test_a_documents_cadence_sets_the_plans_cycle_on_import(city, login, tmp_path):
    [(labelled, path)] = [(x, p) for x, p in docs.write_all(tmp_path) if x.name == "gongzuo_yaodian"]
    client = login(city.users["office"])
    with path.open("rb") as fh:
        response = client.post(reverse("ledger:import"), {"file": fh, "into": "new"})
    assert "导入后该方案按季度报送：2023年第一季度4月25日前" in response.content.decode()
    out = StringIO()
    call_command("ledger", "import", str(path), "--create-missing", stdout=out)
    plan = Plan.objects.get(name=labelled.plan_title, year=2023)
    assert (plan.cycle, plan.deadlines) == ("quarterly", "04-25,06-25,09-25,11-25")
    # The office changes it; a re-import of the same document keeps the office's choice.
    services.plan_save(actor=city.users["office"], plan=plan, fields={"cycle": "halfyearly", "deadlines": ""})
    call_command("ledger", "import", str(path), stdout=StringIO())
    plan.refresh_from_db()
    assert plan.cycle == "halfyearly"


def test_a_document_imported_into_a_plan_with_items_leaves_its_cycle(city, login, tmp_path):
    """The office uploads the quarterly 工作要点 into the monthly plan already in the ledger (the
    form's first choice): the plan keeps reporting monthly, and the preview says so before commit."""
    [(labelled, path)] = [(x, p) for x, p in docs.write_all(tmp_path) if x.name == "gongzuo_yaodian"]
    client = login(city.users["office"])
    with path.open("rb") as fh:
        response = client.post(
            reverse("ledger:import"), {"file": fh, "into": "existing", "plan": city.plan.pk}
        )
    page = response.content.decode()
    assert "文件要求按季度报送：2023年第一季度4月25日前" in page
    assert f"所选方案“{city.plan}”已有事项，导入后仍按月报送（全市月调度）" in page
    assert "请改选“新建方案”、填写另一个方案名称后重新上传" in page
    assert "导入后该方案按季度报送" not in page
    call_command(
        "ledger",
        "import",
        str(path),
        "--plan",
        city.plan.name,
        "--year",
        "2023",
        "--create-missing",
        stdout=StringIO(),
    )
    city.plan.refresh_from_db()
    assert (city.plan.cycle, city.plan.deadlines) == ("monthly", "")
    assert city.plan.items.count() > 3


def test_a_document_imported_into_an_empty_plan_sets_its_cycle(city, login, tmp_path):
    [(labelled, path)] = [(x, p) for x, p in docs.write_all(tmp_path) if x.name == "gongzuo_yaodian"]
    empty = Plan.objects.create(year=2023, name=labelled.plan_title)
    client = login(city.users["office"])
    with path.open("rb") as fh:
        response = client.post(reverse("ledger:import"), {"file": fh, "into": "existing", "plan": empty.pk})
    assert "导入后该方案按季度报送：2023年第一季度4月25日前" in response.content.decode()
    call_command(
        "ledger",
        "import",
        str(path),
        "--plan",
        empty.name,
        "--year",
        "2023",
        "--create-missing",
        stdout=StringIO(),
    )
    empty.refresh_from_db()
    assert empty.cycle == "quarterly"


def test_a_document_uploaded_into_another_plan_is_moved_to_its_own_with_one_button(city, login, tmp_path):
    """The office leaves the form's first choice (the ledger's plan) for a 工作要点 of another title: the
    preview offers the document's own plan, and pressing it previews a new quarterly plan of that name
    from the same upload, without choosing the file again."""
    [(labelled, path)] = [(x, p) for x, p in docs.write_all(tmp_path) if x.name == "gongzuo_yaodian"]
    client = login(city.users["office"])
    with path.open("rb") as fh:
        page = client.post(
            reverse("ledger:import"), {"file": fh, "into": "existing", "plan": city.plan.pk}
        ).content.decode()
    assert f"改为导入到《{labelled.plan_title}》" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    moved = client.post(
        reverse("ledger:import_confirm"),
        {"token": token, "plan": city.plan.pk, "action": "retitle"},  # what the page's button sends
    ).content.decode()
    assert f"导入到新方案：{labelled.plan_title}（2023年度" in moved
    assert "导入后该方案按季度报送" in moved
    assert "改为导入到" not in moved
    # The same title as the chosen plan: no such button.
    same = Plan.objects.create(year=2023, name=labelled.plan_title)
    with path.open("rb") as fh:
        again = client.post(reverse("ledger:import"), {"file": fh, "into": "existing", "plan": same.pk})
    assert "改为导入到" not in again.content.decode()
