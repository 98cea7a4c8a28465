"""The configuration screens: the system administrator manages units, leaders and users, with audit history."""

from gandang.core.models import AuditEntry
from gandang.org.models import Unit, User


def test_the_system_administrator_adds_a_unit_and_history_shows_it(login, city):
    client = login(city.users["sysadmin"])
    response = client.post(
        "/manage/org/unit/add/",
        {"name": "市审计局", "aliases": "", "kind": "department", "sort_order": 50, "is_active": "on"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="市审计局")
    entry = AuditEntry.objects.get(object_id=unit.pk, content_type__model="unit")
    assert entry.action == "create" and entry.actor == city.users["sysadmin"]

    client.post(
        f"/manage/org/unit/{unit.pk}/change/",
        {"name": "市审计局", "aliases": "审计局", "kind": "department", "sort_order": 50, "is_active": "on"},
    )
    history = client.get(f"/manage/org/unit/{unit.pk}/history/").content.decode()
    assert "审计局" in history and "简称/别名" in history


def test_the_system_administrator_creates_a_liaison_who_must_have_a_unit(login, city):
    client = login(city.users["sysadmin"])
    data = {
        "username": "new_liaison",
        "full_name": "孙新",
        "role": "liaison",
        "password1": "Xq9-long-Pass!",
        "password2": "Xq9-long-Pass!",
        "usable_password": "true",
    }
    response = client.post("/manage/org/user/add/", data)
    assert response.status_code == 200
    assert "必须指定所属单位" in response.content.decode()
    assert not User.objects.filter(username="new_liaison").exists()
    response = client.post("/manage/org/user/add/", {**data, "unit": city.units["a"].pk})
    assert response.status_code == 302
    user = User.objects.get(username="new_liaison")
    assert user.unit == city.units["a"] and user.check_password("Xq9-long-Pass!")


def test_weak_password_is_refused(login, city):
    client = login(city.users["sysadmin"])
    data = {
        "username": "weak",
        "role": "observer",
        "password1": "123456",
        "password2": "123456",
        "usable_password": "true",
    }
    response = client.post("/manage/org/user/add/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()


def test_nothing_can_be_deleted_from_the_configuration_screens(login, city):
    client = login(city.users["sysadmin"])
    unit = city.units["c"]
    assert client.get(f"/manage/org/unit/{unit.pk}/delete/").status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()
