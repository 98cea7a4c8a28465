"""Creating notices: once per person and key, with outbox rows by preference and configuration."""

from gandang.notifications.models import Delivery, Notification
from gandang.notifications.services import notify


def _notify(users, key="remind:2023-10:d3:unit1"):
    return notify(users=users, kind="reminder", title="报送提醒", body="尚有1项未报送", url="/x/", key=key)


def test_same_key_twice_gives_one_notice_per_person(city):
    u = city.users
    first = _notify([u["liaison_a"], u["head_a"]])
    again = _notify([u["liaison_a"], u["head_a"], u["liaison_b"]])
    assert len(first) == 2
    assert [n.user for n in again] == [u["liaison_b"]]
    assert Notification.objects.filter(key="remind:2023-10:d3:unit1").count() == 3


def test_a_person_listed_twice_gets_one_notice(city):
    assert len(_notify([city.users["liaison_a"], city.users["liaison_a"]])) == 1


def test_inactive_people_get_nothing(city):
    u = city.users["liaison_a"]
    u.is_active = False
    u.save()
    assert _notify([u]) == []


def test_no_outbox_when_nothing_is_configured(city):
    u = city.users["liaison_a"]
    u.email = "a@example.gov.cn"
    u.save()
    _notify([u])
    assert not Delivery.objects.exists()


def test_email_needs_configuration_an_address_and_the_wish(city, mail_on):
    u = city.users
    u["liaison_a"].email = "a@example.gov.cn"
    u["liaison_a"].save()
    u["head_a"].email, u["head_a"].notify_email = "h@example.gov.cn", False
    u["head_a"].save()
    _notify([u["liaison_a"], u["head_a"], u["liaison_b"]])  # liaison_b has no address
    assert list(Delivery.objects.values_list("notification__user__username", "channel")) == [
        ("liaison_a", "email")
    ]


def test_webhook_only_for_those_who_want_it(city, settings):
    settings.GANDANG_WEBHOOK_URL = "http://127.0.0.1:9/hook"
    u = city.users
    u["liaison_b"].notify_webhook = True
    u["liaison_b"].save()
    _notify([u["liaison_a"], u["liaison_b"]])
    assert list(Delivery.objects.values_list("notification__user__username", "channel")) == [
        ("liaison_b", "webhook")
    ]


def test_repeating_a_notice_queues_nothing_twice(city, mail_on):
    u = city.users["liaison_a"]
    u.email = "a@example.gov.cn"
    u.save()
    _notify([u])
    _notify([u])
    assert Delivery.objects.count() == 1
