"""Shared fixtures: a small city with two units, and one persona per role."""

import os
from datetime import date

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Gd-test-2023!"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The second factor has its own tests (tests/accounts/test_two_factor.py, and the browser's); the
    # other tests sign the office in with its password, as a browser it trusts would.
    settings.GANDANG_2FA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test (the browser tests) empties every table when it ends, including what
    the migrations seeded (promotion levels and outlets): put it back for the next one."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from gandang.achievements.models import PromotionLevel

    if not PromotionLevel.objects.exists():
        import_module("gandang.achievements.migrations.0002_default_levels_and_outlets").forwards(apps, None)


@pytest.fixture(autouse=True)
def _security_log_emptied(request):
    """A transactional test ends with a flush, which the security log's triggers refuse while it has
    entries (DELETE on SQLite, TRUNCATE on PostgreSQL): first let them all go, as a purge would."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    empty_security_log()


def empty_security_log() -> None:
    """Let every security event go, as a purge would, and start the chain again: what a test does
    before it deletes the people its events name (the log protects them)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("UPDATE security_chainhead SET anchor_seq = last_seq")
        cur.execute("DELETE FROM security_securityevent")
        cur.execute("DELETE FROM security_chainhead")


@pytest.fixture
def city(db):
    """Two units (A leads, B co-operates on one item and leads another), a leader, a plan with three items."""
    from gandang.ledger import services
    from gandang.ledger.models import Area, Plan
    from gandang.org.models import Leader, Unit, User

    unit_a = Unit.objects.create(name="市发展改革委", aliases="市发改委")
    unit_b = Unit.objects.create(name="岱岳区", kind=Unit.Kind.COUNTY)
    unit_c = Unit.objects.create(name="市教育局")
    # A partner of the "两办两研" mechanism: its reader sees the office's published information only.
    unit_p = Unit.objects.create(name="市委办公室", kind=Unit.Kind.PARTNER)
    leader = Leader.objects.create(name="赵明远", title="副市长")
    users = {
        "office": User.objects.create_user("office", password=PASSWORD, role="office", full_name="改革办甲"),
        "leader": User.objects.create_user("leader", password=PASSWORD, role="leader", leader=leader),
        "liaison_a": User.objects.create_user("liaison_a", password=PASSWORD, role="liaison", unit=unit_a),
        "head_a": User.objects.create_user("head_a", password=PASSWORD, role="head", unit=unit_a),
        "liaison_b": User.objects.create_user("liaison_b", password=PASSWORD, role="liaison", unit=unit_b),
        "observer": User.objects.create_user("observer", password=PASSWORD, role="observer"),
        "partner": User.objects.create_user("partner", password=PASSWORD, role="partner", unit=unit_p),
        # 三权分立: the three administrators, none of them a business role.
        "sysadmin": User.objects.create_user("sysadmin", password=PASSWORD, role="sysadmin"),
        "secadmin": User.objects.create_user("secadmin", password=PASSWORD, role="secadmin"),
        "auditadmin": User.objects.create_user("auditadmin", password=PASSWORD, role="auditadmin"),
    }
    plan = Plan.objects.create(year=2023, name="2023年全市重点改革任务")
    area = Area.objects.create(name="经济体制改革")
    office = users["office"]
    item_a = services.item_create(
        actor=office,
        fields={
            "plan": plan,
            "code": "1",
            "seq": 1,
            "title": "深化要素市场化配置改革",
            "area": area,
            "lead_unit": unit_a,
            "due_date": date(2023, 12, 31),
        },
        leaders=[leader],
        co_units=[unit_b],
        milestones=[services.MilestoneData(title="完成方案", due_date=date(2023, 6, 30))],
    )
    item_b = services.item_create(
        actor=office,
        fields={
            "plan": plan,
            "code": "2",
            "seq": 2,
            "title": "推进乡村振兴片区建设",
            "area": area,
            "lead_unit": unit_b,
            "due_date": date(2023, 9, 30),
        },
    )
    item_c = services.item_create(
        actor=office,
        fields={
            "plan": plan,
            "code": "3",
            "seq": 3,
            "title": "推行思政首课负责制",
            "lead_unit": unit_c,
            "no_fixed_date": True,
            "due_text": "长期坚持",
        },
    )

    class City:
        pass

    c = City()
    c.units = {"a": unit_a, "b": unit_b, "c": unit_c, "p": unit_p}
    c.leader, c.plan, c.area, c.users = leader, plan, area, users
    c.items = {"a": item_a, "b": item_b, "c": item_c}  # a: A leads, B co; b: B leads; c: neither A nor B
    return c


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
