"""The import pages: upload → preview → confirm, office only."""

import re

from django.core.files.storage import default_storage
from django.urls import reverse

from gandang.ledger.models import ImportBatch, Item, Plan
from gandang.org.models import Unit

from .workbooks import messy_ledger, write_xlsx


def _upload(client, path, **data):
    with path.open("rb") as fh:
        return client.post(reverse("ledger:import"), {"file": fh, **data})


def _token(response):
    return response.context["token"]


def test_office_sees_the_upload_form_with_format_help_and_template(city, login):
    response = login(city.users["office"]).get(reverse("ledger:import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "改革事项" in body and "长期坚持" in body
    assert reverse("ledger:import_template") in body


def test_template_download_is_an_empty_ledger_with_headings(city, login):
    response = login(city.users["office"]).get(reverse("ledger:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_office_previews_without_writing(city, login, xlsx, counts):
    before = counts()
    response = _upload(login(city.users["office"]), messy_ledger(xlsx()), plan=city.plan.pk)
    assert response.status_code == 200
    assert response.context["counts"] == {"new": 5, "update": 2, "unchanged": 0}
    body = response.content.decode()
    assert "确认新建以上单位和领导" in body
    assert "泰山城建集团" in body and "王建国" in body
    assert "推进国资国企改革" in body
    assert counts() == before
    assert default_storage.exists(f"imports/{_token(response)}.xlsx")


def test_office_confirms_and_lands_on_the_plan_list(city, login, xlsx):
    client = login(city.users["office"])
    token = _token(_upload(client, messy_ledger(xlsx("我的台账.xlsx")), plan=city.plan.pk))
    response = client.post(
        reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk, "create_missing": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('ledger:item_list')}?plan={city.plan.pk}"
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.created, batch.updated, batch.actor) == (
        "我的台账.xlsx",
        5,
        2,
        city.users["office"],
    )
    page = client.get(response["Location"])
    assert "导入完成：新增 5 项，更新 2 项，未变 0 项" in page.content.decode()
    assert Unit.objects.filter(name="泰山城建集团").exists()
    # The temp file is gone: the token cannot be used twice.
    again = client.post(reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk})
    assert again.status_code == 200 and "已过期或不存在" in again.content.decode()


def test_confirm_without_ticking_unknown_names_shows_the_preview_again(city, login, xlsx, counts):
    client = login(city.users["office"])
    token = _token(_upload(client, messy_ledger(xlsx()), plan=city.plan.pk))
    before = counts()
    response = client.post(reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk})
    assert response.status_code == 200
    assert "请确认新建" in response.content.decode()
    assert counts() == before


def test_import_into_a_new_plan(city, login, xlsx):
    client = login(city.users["office"])
    path = write_xlsx(xlsx(), [["改革事项", "牵头单位"], ["甲", "岱岳区"]])
    target = {"new_plan_year": 2024, "new_plan_name": "2024年改革要点"}
    response = _upload(client, path, **target)
    assert "导入到新方案" in response.content.decode()
    response = client.post(reverse("ledger:import_confirm"), {"token": _token(response), **target})
    plan = Plan.objects.get(year=2024, name="2024年改革要点")
    assert response["Location"].endswith(f"?plan={plan.pk}")
    assert plan.items.get().title == "甲"


def test_a_new_plan_that_already_exists_is_previewed_against_its_items(city, login, xlsx):
    path = write_xlsx(xlsx(), [["编号", "改革事项"], ["2", "推进乡村振兴片区建设"]])
    target = {"new_plan_year": city.plan.year, "new_plan_name": city.plan.name}
    response = _upload(login(city.users["office"]), path, **target)
    assert response.context["counts"] == {"new": 0, "update": 0, "unchanged": 1}


def test_upload_needs_a_plan(city, login, xlsx):
    response = _upload(
        login(city.users["office"]), write_xlsx(xlsx(), [["改革事项"], ["甲"]]), into="existing"
    )
    assert response.status_code == 200
    assert "请选择要导入到的方案" in response.content.decode()


def test_the_chosen_destination_wins_over_values_left_in_the_other(city, login, xlsx):
    """A plan preselected and 新方案 typed: the radio says which one, never “二选一”."""
    client = login(city.users["office"])
    path = write_xlsx(xlsx(), [["改革事项"], ["甲"]])
    existing = _upload(
        client, path, into="existing", plan=city.plan.pk, new_plan_year=2024, new_plan_name="新方案"
    )
    assert existing.context["target"]["plan"] == city.plan
    new = _upload(client, path, into="new", plan=city.plan.pk, new_plan_year=2024, new_plan_name="2024年要点")
    assert new.context["target"] == {
        "plan": None,
        "new_plan_year": 2024,
        "new_plan_name": "2024年要点",
        "plans_from_file": False,
    }
    assert "二选一" not in existing.content.decode() + new.content.decode()


def test_a_form_error_keeps_the_chosen_file(city, login, xlsx):
    client = login(city.users["office"])
    path = write_xlsx(xlsx(), [["改革事项"], ["保留的事项"]])
    first = _upload(client, path, into="new", new_plan_year=2024)  # the name is missing
    body = first.content.decode()
    assert "请填写新方案的名称" in body
    assert "已选择文件" in body and path.name in body
    token = re.search(r'name="upload_token" value="([^"]+)"', body).group(1)
    # The same form again, the name filled, no file chosen this time: the kept file is previewed.
    second = client.post(
        reverse("ledger:import"),
        {"upload_token": token, "into": "new", "new_plan_year": 2024, "new_plan_name": "2024年要点"},
    )
    assert second.status_code == 200 and "保留的事项" in second.content.decode()
    assert second.context["counts"]["new"] == 1


def test_a_kept_file_is_only_for_its_uploader(city, login, xlsx):
    from gandang.org.models import User

    client = login(city.users["office"])
    body = _upload(client, write_xlsx(xlsx(), [["改革事项"], ["甲"]]), into="new").content.decode()
    token = re.search(r'name="upload_token" value="([^"]+)"', body).group(1)
    other = User.objects.create_user("office2", password="x", role="office")
    response = login(other).post(
        reverse("ledger:import"), {"upload_token": token, "into": "existing", "plan": city.plan.pk}
    )
    assert "请选择要导入的台账文件" in response.content.decode()


def test_a_file_with_errors_has_no_confirm_button(city, login, xlsx):
    path = write_xlsx(xlsx(), [["改革事项", "完成时限"], ["甲", "=TODAY()"]])
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    body = response.content.decode()
    assert "公式" in body and "确认导入（" not in body
    assert response.context["can_commit"] is False


def test_a_non_excel_upload_shows_the_reason(city, login, xlsx):
    path = xlsx("notes.xlsx")
    path.write_text("hello")
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    assert response.status_code == 200
    assert "不是 Excel 工作簿" in response.content.decode()


def test_an_upload_over_the_size_limit_is_refused_before_parsing(city, login, xlsx, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.GANDANG_IMPORT_MAX_BYTES = 1024
    path = messy_ledger(xlsx())
    response = _upload(login(city.users["office"]), path, plan=city.plan.pk)
    assert response.status_code == 200
    assert "超过" in response.content.decode()
    assert "result" not in response.context
    assert not (tmp_path / "files").exists()  # nothing kept


def test_stale_or_forged_token_gives_a_message_not_an_error_page(city, login):
    client = login(city.users["office"])
    for token in ["x" * 32, "../../etc/passwd", ""]:
        response = client.post(
            reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk}, follow=True
        )
        assert response.status_code == 200
        assert "已过期或不存在" in response.content.decode()


def test_a_token_of_another_user_does_not_work(city, login, xlsx, django_user_model):
    other = django_user_model.objects.create_user("office2", role="office")
    token = _token(_upload(login(other), messy_ledger(xlsx()), plan=city.plan.pk))
    client = login(city.users["office"])
    response = client.post(
        reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk}, follow=True
    )
    assert "已过期或不存在" in response.content.decode()
    assert not Item.objects.filter(title="推进国资国企改革").exists()


def test_liaison_cannot_import(city, login, xlsx):
    client = login(city.users["liaison_a"])
    assert client.get(reverse("ledger:import")).status_code == 403
    assert _upload(client, messy_ledger(xlsx()), plan=city.plan.pk).status_code == 403
    assert client.post(reverse("ledger:import_confirm"), {"token": "x" * 32}).status_code == 403
    assert client.get(reverse("ledger:import_template")).status_code == 403


def test_leader_and_observer_cannot_import(city, login):
    for role in ("leader", "observer", "head_a"):
        assert login(city.users[role]).get(reverse("ledger:import")).status_code == 403


def test_import_requires_login(client):
    response = client.get(reverse("ledger:import"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_confirm_rejects_get(city, login):
    assert login(city.users["office"]).get(reverse("ledger:import_confirm")).status_code == 405


def test_navigation_links_to_import_for_the_office(city, login):
    body = login(city.users["office"]).get(reverse("ledger:item_list")).content.decode()
    assert reverse("ledger:import") in body and reverse("ledger:export_xlsx") in body


def test_a_partner_office_named_as_lead_unit_is_shown_in_the_preview_and_blocks_it(city, login, xlsx):
    from .workbooks import ledger

    row = [1, "", "推进机关效能提升", "", "", "", "市委办公室", "", "2023年12月", "", "", ""]
    response = _upload(login(city.users["office"]), ledger(xlsx(), [row]), plan=city.plan.pk)
    body = response.content.decode()
    assert "“市委办公室”是“两办两研”协同单位" in body and "不能作为牵头单位" in body
    assert response.context["can_commit"] is False and "确认导入（" not in body
    assert not Item.objects.filter(title="推进机关效能提升").exists()
    assert Unit.objects.filter(name="市委办公室").count() == 1
