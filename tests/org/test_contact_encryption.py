"""People's phone and e-mail encrypted at rest: the migration that switched it on, the audit history
(masked, never plain), and the e-mail notices (sent to the real address)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gandang.core import crypto
from gandang.core.models import AuditEntry
from gandang.notifications.services import deliver_pending, notify
from gandang.org.models import User

MIGRATION = import_module("gandang.org.migrations.0004_encrypt_contact")
PHONE, EMAIL = "13812345678", "zhangsan@example.gov.cn"


def _raw(user_id: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM org_user WHERE id = %s", [user_id])
        return cursor.fetchone()


def _plain_row(user: User, phone: str, email: str) -> None:
    """The row as it was before encryption: plain text in the columns."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_user SET phone = %s, email = %s WHERE id = %s", [phone, email, user.pk])


def _history_text(user: User) -> str:
    return repr(
        list(AuditEntry.objects.filter(object_id=user.pk, content_type__model="user").values("changes"))
    )


def test_the_data_migration_encrypts_existing_rows_and_masks_their_history(city):
    person = city.users["liaison_a"]
    _plain_row(person, PHONE, EMAIL)
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=person.pk,
        object_repr=str(person),
        action="update",
        changes={"phone": ["", PHONE], "email": ["old@example.gov.cn", EMAIL], "full_name": ["", "李联络"]},
    )
    assert _raw(person.pk) == (PHONE, EMAIL)

    MIGRATION.encrypt_existing(apps, None)

    phone, email = _raw(person.pk)
    assert crypto.is_encrypted(phone) and crypto.is_encrypted(email) and PHONE not in phone
    person.refresh_from_db()
    assert (person.phone, person.email) == (PHONE, EMAIL)
    changes = AuditEntry.objects.get(object_id=person.pk, content_type__model="user").changes
    assert changes["phone"][0] == "" and changes["phone"][1].startswith("138****5678 [")
    assert changes["email"][0].startswith("o***@example.gov.cn [")
    assert changes["email"][1].startswith("z***@example.gov.cn [")
    assert changes["full_name"] == ["", "李联络"]
    assert PHONE not in _history_text(person) and EMAIL not in _history_text(person)


@pytest.mark.django_db(transaction=True)
def test_migrating_an_install_with_plain_columns(django_db_blocker):
    """From the plain columns of before (org 0003) to the encrypted ones, and back."""
    executor = MigrationExecutor(connection)
    before = [("org", "0003_alter_user_date_joined")]
    after = executor.loader.graph.leaf_nodes("org")
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldUser = old_apps.get_model("org", "User")
    person = OldUser.objects.create(username="zhangsan", phone=PHONE, email=EMAIL)
    assert _raw(person.pk) == (PHONE, EMAIL)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert PHONE not in _raw(person.pk)[0] and EMAIL not in _raw(person.pk)[1]
    again = User.objects.get(pk=person.pk)
    assert (again.phone, again.email) == (PHONE, EMAIL)

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert _raw(person.pk) == (PHONE, EMAIL)
    executor = MigrationExecutor(connection)
    executor.migrate(after)


def _change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "role": user.role,
        "unit": user.unit_id or "",
        "leader": user.leader_id or "",
        "is_active": "on",
        "notify_email": "on",
    }
    return {**data, **changes}


def people_admin(city) -> User:
    """Who keeps people's accounts in 配置管理: the system administrator (三权分立), before it the office."""
    return city.users.get("sysadmin") or city.users["office"]


def test_the_audit_history_keeps_contact_masked_never_plain(city, login):
    person = city.users["liaison_a"]
    client = login(people_admin(city))
    url = f"/manage/org/user/{person.pk}/change/"
    response = client.post(url, _change_form(person, phone=PHONE, email=EMAIL))
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.phone, person.email) == (PHONE, EMAIL)
    # Another number with the same mask (138****5678) is still recorded as a change.
    client.post(url, _change_form(person, phone="13899995678"))

    entries = AuditEntry.objects.filter(object_id=person.pk, content_type__model="user").order_by("id")
    assert [e.changes["phone"][1][:11] for e in entries] == ["138****5678", "138****5678"]
    assert entries[0].changes["email"][1].startswith("z***@example.gov.cn")
    text = _history_text(person)
    for plain in (PHONE, "13899995678", EMAIL, "zhangsan"):
        assert plain not in text
    page = client.get(f"/manage/org/user/{person.pk}/history/").content.decode()
    assert "138****5678" in page and PHONE not in page and EMAIL not in page


def test_setting_ones_own_email_is_audited_masked(city, login):
    person = city.users["liaison_a"]
    login(person).post("/notifications/settings/", {"email": EMAIL, "notify_email": "on"})
    assert User.objects.get(pk=person.pk).email == EMAIL
    assert EMAIL not in _raw(person.pk)[1]
    entry = AuditEntry.objects.filter(object_id=person.pk, content_type__model="user").latest("id")
    assert entry.changes["email"][1].startswith("z***@example.gov.cn [")


def test_the_notice_email_goes_to_the_decrypted_address(city, settings):
    settings.GANDANG_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = city.users["liaison_a"]
    person.email = EMAIL
    person.save()
    assert crypto.is_encrypted(_raw(person.pk)[1])
    notify(users=[User.objects.get(pk=person.pk)], kind="reminder", title="进展报告即将截止", key="k1")
    assert deliver_pending().sent == 1
    [message] = mail.outbox
    assert message.to == [EMAIL]


class RefusingBackend:
    """A mail server that refuses the recipient, naming the address as SMTP servers do."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"mailbox unavailable") for m in messages})


def test_a_refused_address_is_kept_masked_in_the_outbox(city, settings, caplog):
    from gandang.notifications.models import Delivery

    settings.GANDANG_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    person = city.users["liaison_a"]
    person.email = EMAIL
    person.save()
    notify(users=[User.objects.get(pk=person.pk)], kind="reminder", title="进展报告即将截止", key="k2")
    assert deliver_pending().retrying == 1
    error = Delivery.objects.get().last_error
    assert "z***@example.gov.cn" in error and "mailbox unavailable" in error
    assert EMAIL not in error and EMAIL not in caplog.text
