"""Write each item's current status onto its new summary fields (ledger 0005), as the engine now does."""

from django.db import migrations


def forwards(apps, schema_editor):
    Item = apps.get_model("ledger", "Item")
    ItemStatus = apps.get_model("dispatch", "ItemStatus")
    for st in ItemStatus.objects.all().iterator(chunk_size=2000):
        Item.objects.filter(pk=st.item_id).update(
            status=st.status,
            status_reason=st.reason,
            no_effect=st.no_effect,
            no_effect_reason=st.no_effect_reason,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0003_report_text_limits_copy_verdict"),
        ("ledger", "0005_item_status_summary"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
