"""An integer outside the database's range matches no row, in every lookup a forged id can reach.

Django (since 5.0) answers `exact`, `gt`, `lt`… on an integer column given an out-of-range value
by matching nothing rather than sending it to the database. It does not for `in`, nor for foreign
keys, where SQLite's driver raises OverflowError ("Python int too large to convert to SQLite
INTEGER") and the page fails with a 500: `?unit=99999999999999999999` on a list, a huge id among a
form's ticked boxes (ModelMultipleChoiceField filters with `in`), an admin list posted with a
forged row id. These lookups extend Django's rule to them, on every database: an out-of-range
value matches no row, and is dropped from an `in` list. No row can hold such a value, so no answer
changes.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _bounds(lookup, connection) -> tuple[int | None, int | None] | None:
    """The range of the integers the lookup's column holds on this database (None: not integers)."""
    field = lookup.lhs.output_field
    field = getattr(field, "target_field", field)  # a foreign key holds its target's values
    kind = field.get_internal_type()
    if kind not in connection.ops.integer_field_ranges:
        return None
    return connection.ops.integer_field_range(kind)


def _out_of_range(lookup, connection, value) -> bool:
    if not isinstance(value, int):
        return False
    bounds = _bounds(lookup, connection)
    return bounds is not None and _outside(value, *bounds)


def _outside(value: int, low: int | None, high: int | None) -> bool:
    return (low is not None and value < low) or (high is not None and value > high)


class _DropOutOfRange:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _bounds(self, connection)  # once for the list (a page's ids, a form's ticked boxes)
            if bounds is not None:
                kept = [v for v in self.rhs if not (isinstance(v, int) and _outside(v, *bounds))]
                if len(kept) != len(self.rhs):
                    self.rhs = kept  # In raises EmptyResultSet when none is left
        return super().process_rhs(compiler, connection)


class IntegerIn(_DropOutOfRange, In):
    pass


class BoundedRelatedIn(_DropOutOfRange, RelatedIn):
    pass


class BoundedRelatedExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and _out_of_range(self, connection, self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Called once from CoreConfig.ready(); replaces Django's `in` for integer columns and `exact`
    and `in` for foreign keys (the lookups keep their names, so every query uses them)."""
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(BoundedRelatedIn)
    ForeignObject.register_lookup(BoundedRelatedExact)
