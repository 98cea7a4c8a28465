"""The notices matters and meetings sent before they had kinds of their own (filed under 其他, a matter's or a
topic's return under 报告退回) are filed under 督办事项, 催办 or 会议, as the services now send them. Each notice
is told by its key, which only these services write (matters/services.py, letters.py, meeting_services.py)."""

import re

from django.db import migrations

MATTER_STEP = re.compile(r"^matter:\d+:\d+$")  # a matter's step: 待办结, 退回, 办结 (its 待签发 keeps its kind)


def kind_of(key: str, kind: str) -> str | None:
    """The kind a notice of matters or meetings is filed under now, or None when it is not one of theirs."""
    if kind not in ("other", "returned"):
        return None
    if key.startswith("matter-overdue") or (key.startswith("matter:") and ":letter:" in key):
        return "urge" if kind == "other" else None
    if key.startswith("matter:"):
        return "matter" if kind == "other" or MATTER_STEP.match(key) else None
    if key.startswith(("topic:", "minutes:", "decision:")):
        return "meeting"
    return None


def refile(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    prefixes = ("matter:", "matter-overdue", "topic:", "minutes:", "decision:")
    old = Notification.objects.filter(kind__in=["other", "returned"])
    for n in old.only("id", "key", "kind").iterator():
        new = kind_of(n.key, n.kind) if n.key.startswith(prefixes) else None
        if new:
            Notification.objects.filter(pk=n.pk).update(kind=new)


def unfile(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ours = Notification.objects.filter(kind__in=["matter", "urge", "meeting"])
    ours.filter(title__contains="退回").update(kind="returned")
    ours.update(kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0007_observer_comment_source"),
        ("notifications", "0005_matter_meeting_kinds"),
    ]

    operations = [migrations.RunPython(refile, unfile)]
