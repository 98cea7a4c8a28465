"""Reform information's notices are filed under 改革信息 on the notice list: a piece reaching the office,
adopted, kept on file, used by a partner — never 其他; its 待签发 and 退回 notices keep their kinds."""

import html
import re
from importlib import import_module

from django.apps import apps
from django.urls import reverse

from gandang.information import services
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from tests.information.conftest import adopted, drafted, signed

NOTICE = re.compile(
    r'<span class="notice-title">(?:<span class="dot"[^>]*></span>)?(.*?)</span>.*?'
    r'<span class="notice-meta">(.*?) · ',
    re.S,
)


def _kinds(client, user) -> dict[str, str]:
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    return {html.unescape(title): html.unescape(kind) for title, kind in NOTICE.findall(page)}


def _kind_of(kinds: dict[str, str], start: str) -> set[str]:
    return {kind for title, kind in kinds.items() if title.startswith(start)}


def test_a_pieces_life_is_filed_under_reform_information(client, city):
    office, liaison, head = city.users["office"], city.users["liaison_a"], city.users["head_a"]
    kept = services.piece_step(
        actor=office, piece=signed(city, title="信息甲"), action="file", reason="已有同类"
    )
    adopted(city, title="信息乙")
    back = services.piece_step(actor=liaison, piece=drafted(city, title="信息丙"), action="submit")
    services.piece_step(actor=head, piece=back, action="send_back", reason="请补充数据")
    assert kept.state == kept.State.FILED

    assert _kind_of(_kinds(client, office), "改革信息待审核") == {"改革信息"}
    mine = _kinds(client, liaison)
    assert _kind_of(mine, "改革信息已被采用") == {"改革信息"}
    assert _kind_of(mine, "改革信息已阅存档") == {"改革信息"}
    assert _kind_of(mine, "单位负责人退回改革信息") == {"报告退回"}
    assert _kind_of(_kinds(client, head), "改革信息待签发") == {"待签发"}
    assert not Notification.objects.filter(kind="other").exists()


def test_a_partners_use_is_filed_under_reform_information(client, city):
    piece = adopted(city)
    client.force_login(city.users["partner"])
    client.post(
        reverse("information:use_record", args=[piece.pk]),
        {"publication": "《市委信息》", "used_on": "2023-11-06", "note": ""},
    )
    assert _kind_of(_kinds(client, city.users["liaison_a"]), "改革信息被") == {"改革信息"}


def test_the_notices_sent_before_are_refiled(city):
    user = city.users["liaison_a"]
    old = {
        "piece:7:3": ("other", "information"),
        "information:use:2": ("other", "information"),
        "piece:7:2": ("to_sign", "to_sign"),
        "piece:8:1": ("returned", "returned"),
        "report:9:1": ("other", "other"),  # not information's
    }
    for key, (kind, _new) in old.items():
        notify(users=[user], kind=kind, title=key, key=key)
    migration = import_module("gandang.information.migrations.0005_notification_kind")
    migration.refile(apps, None)
    now = dict(Notification.objects.filter(user=user).values_list("key", "kind"))
    assert now == {key: new for key, (_kind, new) in old.items()}
