"""People's phone numbers and e-mail addresses encrypted at rest (gandang.core.crypto).

The columns become text columns (the ciphertext is longer than the number), every stored value is
written again encrypted, and the audit history of people keeps them masked instead of in plain text.
Going back decrypts them into the old columns; the audit history stays masked.
"""

import gandang.core.fields
from django.db import migrations

CONTACT_FIELDS = ("phone", "email")


def encrypt_existing(apps, schema_editor):
    User = apps.get_model("org", "User")
    people = User.objects.exclude(phone="", email="")
    # A value stored before encryption reads as it is; update() writes it encrypted.
    for pk, phone, email in people.values_list("pk", "phone", "email").iterator():
        User.objects.filter(pk=pk).update(phone=phone, email=email)
    _mask_history(apps, User)


def _mask_history(apps, User):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="org", model="user").first()
    if ct is None:
        return
    fields = {name: User._meta.get_field(name) for name in CONTACT_FIELDS}
    for entry in AuditEntry.objects.filter(content_type=ct).iterator():
        changes = dict(entry.changes)
        touched = [name for name in CONTACT_FIELDS if name in changes]
        if not touched:
            continue
        for name in touched:
            changes[name] = [fields[name].audit_value(v) for v in changes[name]]
        AuditEntry.objects.filter(pk=entry.pk).update(changes=changes)


def decrypt_existing(apps, schema_editor):
    User = apps.get_model("org", "User")
    rows = list(User.objects.exclude(phone="", email="").values_list("pk", "phone", "email"))
    qn = schema_editor.quote_name
    sql = f"UPDATE {qn(User._meta.db_table)} SET {qn('phone')} = %s, {qn('email')} = %s WHERE {qn('id')} = %s"
    with schema_editor.connection.cursor() as cursor:
        for pk, phone, email in rows:
            cursor.execute(sql, [phone, email, pk])


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_alter_user_date_joined'),
        ('core', '0005_alter_auditentry_actor_alter_auditentry_content_type_and_more'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='email',
            field=gandang.core.fields.EncryptedTextField(blank=True, kind='email', max_length=254, verbose_name='电子邮箱'),
        ),
        migrations.AlterField(
            model_name='user',
            name='phone',
            field=gandang.core.fields.EncryptedTextField(blank=True, kind='phone', max_length=30, verbose_name='电话'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
