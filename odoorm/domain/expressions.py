"""``F()``: Django's field reference, and why Odoo cannot take it.

An Odoo domain compares a field with a constant (``("amount", ">", 100)``),
and ``write`` stores constants: there is no field-to-field comparison
(``filter(amount__gt=F("budget"))``) and no server-side arithmetic
(``update(qty=F("qty") + 1)``). ``F`` exists so that Django code fails with
the way to do it in Odoo instead of an ImportError or an odd type error:
using one in a filter raises :class:`odoorm.FieldError`, in ``update()`` a
``TypeError``. Pure module.
"""

from __future__ import annotations

from typing import Any

from odoorm.exceptions import FieldError

__all__ = ["F_IN_FILTER", "F_IN_WRITE", "F"]

F_IN_FILTER = (
    "Odoo domains compare a field with constant values, not with another field: "
    "F({name!r}) cannot be sent. Read both fields and compare in Python, e.g. "
    "[r for r in qs.only('a', 'b') if r.a > r.b], or filter on a stored field the "
    "server computes (see docs/queries.md, 'Django features and their Odoo form')"
)
F_IN_WRITE = (
    "{what}() with F({name!r}): Odoo's write stores constant values, it has no "
    "server-side expressions. Read the records and write each new value "
    "(qs.bulk_update(records, [...]) groups equal values into one write)"
)


class F:
    """A reference to a field, as in Django; refused on use (see the module docstring)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"F({self.name!r})"

    def __odoo_domain_value__(self) -> Any:
        raise FieldError(F_IN_FILTER.format(name=self.name))

    def _combine(self, other: Any) -> F:
        return self  # F("qty") + 1 is refused where it is used, naming the field

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _combine
    __truediv__ = __rtruediv__ = __mod__ = __pow__ = _combine
