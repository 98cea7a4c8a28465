"""core.bulk.insert writes what bulk_create would: defaults, prepared values, stamps on the product's clock."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gandang.core import bulk, clock
from gandang.core.models import AuditEntry
from gandang.org.models import Unit


def _entry(n: int, **extra) -> dict:
    ct = ContentType.objects.get_for_model(Unit)
    changes = {"name": ["", f"单位{n}"]}
    return {"content_type_id": ct.pk, "object_id": n, "object_repr": f"单位{n}", "changes": changes, **extra}


def test_it_inserts_every_row_with_the_fields_defaults(db):
    assert bulk.insert(Unit, [{"name": f"单位{n}"} for n in range(5)], batch_size=2) == 5
    units = list(Unit.objects.filter(name__startswith="单位").order_by("name"))
    assert [u.name for u in units] == [f"单位{n}" for n in range(5)]
    assert {(u.kind, u.sort_order, u.is_active, u.aliases) for u in units} == {
        (Unit.Kind.DEPARTMENT, 100, True, "")
    }


def test_json_values_and_stamps_are_written_as_bulk_create_writes_them(db):
    with clock.pinned(date(2023, 12, 5)):
        bulk.insert(AuditEntry, [_entry(1, action="import"), _entry(2, action="import", at=None)])
    entries = list(AuditEntry.objects.order_by("object_id"))
    assert entries[1].changes == {"name": ["", "单位2"]}
    assert (entries[0].reason, entries[0].scope, entries[0].actor_id) == ("", "", None)
    # auto_now_add takes the product's (pinned) clock, whatever the row says.
    assert {timezone.localtime(e.at).date() for e in entries} == {date(2023, 12, 5)}
