"""Integer lookups with a value no column can hold match nothing, on every database.

Django answers ``pk=2**63`` with an empty result: its integer lookups (exact, gt, gte, lt,
lte) check the value against the column's range first. It does not for ``in``, nor for
any lookup across a foreign key (``team=2**63``, ``team__in=[...]``), and SQLite then
refuses to bind the value (OverflowError): a 500 for a URL such as the admin's
``?pk__in=9223372036854775808``. These lookups apply the same rule; PostgreSQL, which
compares such a value without complaint, gives the same answers as before.

Registered by ``AssessmentConfig.ready``.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedGreaterThanOrEqual,
    RelatedIn,
    RelatedLessThan,
    RelatedLessThanOrEqual,
)
from django.db.models.lookups import In


def column_range(lookup, connection) -> tuple[int | None, int | None] | None:
    """The range of the integer column a lookup compares with (for a foreign key, the one
    it points at), or None for a column that is not an integer."""
    field = lookup.lhs.output_field
    try:
        field = getattr(field, "target_field", field)
    except FieldError:  # a foreign key over several columns
        return None
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:
        return None


def in_range(value, bounds: tuple[int | None, int | None]) -> bool:
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


def is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class OneValueInRange:
    """A comparison with one value outside the column's range matches no row, or every
    row (``gt`` a value below the range), without asking the database."""

    below: type[Exception] = EmptyResultSet
    above: type[Exception] = EmptyResultSet

    def process_rhs(self, compiler, connection):
        bounds = column_range(self, connection)
        if bounds is not None and is_integer(self.rhs) and not in_range(self.rhs, bounds):
            low = bounds[0]
            raise self.below if low is not None and self.rhs < low else self.above
        return super().process_rhs(compiler, connection)


class ValuesInRange:
    """``in`` leaves out the values outside the column's range: no row can have them."""

    def process_rhs(self, compiler, connection):
        bounds = column_range(self, connection)
        if bounds is not None and self.rhs_is_direct_value():
            self.rhs = [
                value for value in self.rhs if not is_integer(value) or in_range(value, bounds)
            ]
        return super().process_rhs(compiler, connection)


class IntegerIn(ValuesInRange, In):
    pass


class RelatedInRange(ValuesInRange, RelatedIn):
    pass


class RelatedExactInRange(OneValueInRange, RelatedExact):
    pass


class RelatedLessThanInRange(OneValueInRange, RelatedLessThan):
    above = FullResultSet


class RelatedLessThanOrEqualInRange(OneValueInRange, RelatedLessThanOrEqual):
    above = FullResultSet


class RelatedGreaterThanInRange(OneValueInRange, RelatedGreaterThan):
    below = FullResultSet


class RelatedGreaterThanOrEqualInRange(OneValueInRange, RelatedGreaterThanOrEqual):
    below = FullResultSet


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    for lookup in (
        RelatedInRange,
        RelatedExactInRange,
        RelatedLessThanInRange,
        RelatedLessThanOrEqualInRange,
        RelatedGreaterThanInRange,
        RelatedGreaterThanOrEqualInRange,
    ):
        ForeignObject.register_lookup(lookup)
