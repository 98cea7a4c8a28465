"""Snapshots keep the item's joint lead units (共同牵头单位) as of their period.

The snapshots taken before kept only the first lead, and the pages showed the ledger's joint leads of
the day; each is given the joint leads its item has now, which is what those pages showed until
today (what they were at the time was not recorded)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_joint_leads(apps, schema_editor):
    JointLead = apps.get_model("ledger", "JointLead")
    StatusSnapshot = apps.get_model("dispatch", "StatusSnapshot")
    SnapshotJointLead = apps.get_model("dispatch", "SnapshotJointLead")
    joint: dict[int, list[int]] = {}
    for item_id, unit_id in JointLead.objects.order_by("item_id", "order", "id").values_list("item_id", "unit_id"):
        joint.setdefault(item_id, []).append(unit_id)
    rows = StatusSnapshot.objects.filter(item_id__in=list(joint)).values_list("pk", "item_id")
    SnapshotJointLead.objects.bulk_create(
        [
            SnapshotJointLead(snapshot_id=pk, unit_id=unit_id, order=n)
            for pk, item_id in rows.iterator()
            for n, unit_id in enumerate(joint[item_id])
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('dispatch', '0008_contribution_text_label'),
        ('org', '0006_partner_role_and_kind'),
        ('ledger', '0007_item_joint_lead_units'),
    ]

    operations = [
        migrations.CreateModel(
            name='SnapshotJointLead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('snapshot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='joint_lead_links', to='dispatch.statussnapshot')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='共同牵头单位')),
            ],
            options={
                'verbose_name': '快照中的共同牵头单位',
                'verbose_name_plural': '快照中的共同牵头单位',
                'ordering': ['order', 'id'],
                'constraints': [models.UniqueConstraint(fields=('snapshot', 'unit'), name='snapshotjointlead_unique_snapshot_unit')],
            },
        ),
        migrations.RunPython(copy_joint_leads, migrations.RunPython.noop),
    ]
