"""The notices reform information sent before it had a kind of its own (filed under 其他: a piece reaching
the office, adopted, kept on file, used by a partner) are filed under 改革信息, as the services now send
them. Each is told by its key, which only the information services write ("piece:…", "information:use:…");
a piece's 待签发 and 退回 notices keep their kinds."""

from django.db import migrations


def refile(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    theirs = Notification.objects.filter(kind="other")
    (theirs.filter(key__startswith="piece:") | theirs.filter(key__startswith="information:use:")).update(
        kind="information"
    )


def unfile(apps, schema_editor):
    apps.get_model("notifications", "Notification").objects.filter(kind="information").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0004_attachment_size_label"),
        ("notifications", "0006_information_kind"),
    ]

    operations = [migrations.RunPython(refile, unfile)]
