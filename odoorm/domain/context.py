"""What a lookup knows about the leaf it builds (:class:`LookupContext`), and the
checks every lookup shares: a value against the field's type, the values that can
be known wrong before sending (selection keys, ids, date strings), whole days for
datetimes, ``any`` sub-domains and querysets as values (with their Odoo 16 forms).

Pure module: imports nothing of odoorm but the exceptions and the shared vocabulary.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from odoorm._schema import RELATIONAL_TYPES
from odoorm._values import is_missing, plain
from odoorm.domain.leaves import (
    FALSE_LEAF,
    NEGATIVE_OPERATORS,
    TRUE_LEAF,
    FieldInfo,
    ModelInfo,
    SubDomain,
    has_hook,
    is_iterable,
    to_wire,
)
from odoorm.domain.timezone import local_to_wire
from odoorm.exceptions import FieldError

__all__ = ["NUMERIC_TYPES", "ORDERED_TYPES", "PATTERN_TYPES", "TEXT_TYPES", "LookupContext"]


TEXT_TYPES = frozenset({"char", "text", "html"})
NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
ORDERED_TYPES = NUMERIC_TYPES | TEXT_TYPES | {"date", "datetime", "selection", "many2one"}
# pattern lookups: text, and relations (Odoo then searches the related records by name)
PATTERN_TYPES = TEXT_TYPES | RELATIONAL_TYPES | {"selection"}

# -------------------------------------------------------------------- context

# what each field type accepts in a comparison (bool is never a number here)
_ACCEPTS: dict[str, tuple[tuple[type, ...], str]] = {
    "char": ((str,), "a str"),
    "text": ((str,), "a str"),
    "html": ((str,), "a str"),
    "selection": ((str, int), "one of the selection keys (a str)"),
    "reference": ((str,), "a 'model,id' str"),
    "integer": ((int,), "an int"),
    "float": ((int, float, decimal.Decimal), "a number"),
    "monetary": ((int, float, decimal.Decimal), "a number"),
    "boolean": ((bool,), "True or False"),
    "date": ((dt.date, str), "a datetime.date or a 'YYYY-MM-DD' str"),
    "datetime": ((dt.date, str), "a datetime (naive = UTC) or a 'YYYY-MM-DD HH:MM:SS' str"),
    "many2one": ((int, str), "a record, an id (int) or a name (str)"),
    "one2many": ((int, str), "a record, an id (int) or a name (str)"),
    "many2many": ((int, str), "a record, an id (int) or a name (str)"),
}


def _is_day(value: Any) -> bool:
    """A date without a time: a ``date`` (not a datetime) or a ``"YYYY-MM-DD"`` str."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str) and len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return False


@dataclass(frozen=True)
class LookupContext:
    """What a lookup knows about the leaf it builds.

    ``key`` is the user's keyword (``country__code__in``), ``lookup`` the
    lookup name, ``path`` the Odoo dotted path (``country_id.code``), ``field``
    the final field and ``model`` the model owning it (``None`` when unknown),
    ``version`` the Odoo major version (``None``: assume the newest),
    ``compile_sub(value, model)`` compiles a Q / raw domain / dict of lookups
    against another model.
    """

    key: str
    lookup: str
    path: str
    field: FieldInfo | None
    model: ModelInfo | None
    version: int | None
    compile_sub: Callable[[Any, ModelInfo | None], list[Any]]

    @property
    def ftype(self) -> str | None:
        """The final field's Odoo type, or ``None`` when unknown."""
        return self.field.type if self.field is not None else None

    @property
    def comodel(self) -> ModelInfo | None:
        """The related model of a relational final field, when known."""
        return self.field.comodel_info if self.field is not None else None

    @property
    def modern(self) -> bool:
        """True on Odoo 17+ (or an unknown version): ``any``/``not any`` exist."""
        return self.version is None or self.version >= 17

    def describe(self) -> str:
        """``res.partner.customer_rank (integer)``, or ``'path'`` without a model."""
        if self.field is None or self.model is None:
            return f"'{self.path}'"
        return f"{self.model.odoo_model}.{self.field.name} ({self.field.type})"

    def error(self, message: str) -> FieldError:
        """A FieldError for this filter, saying which filter it is."""
        return FieldError(f"Bad filter {self.key}: {message}")

    def scalar(self, value: Any, *, allow_false: bool = True) -> Any:
        """Check one comparison value against the field type and convert it."""
        if isinstance(value, enum.Enum):
            value = value.value
        value = plain(value)  # numpy scalars; pandas' NaN/NaT/NA mean "no value"
        if is_missing(value):
            value = None
        if has_hook(value):
            value = self.records_value(value)
            if isinstance(value, (list, SubDomain)):
                raise self.error(
                    "got several records where one value is expected; "
                    f"use {self.path_key()}__in=... to match any of them"
                )
        if value is None or (value is False and self.ftype != "boolean"):
            if allow_false:
                return False
            raise self.error(f"cannot compare {self.describe()} with {value!r}")
        if isinstance(value, (list, tuple, set, frozenset, Mapping)):
            raise self.error(
                f"expects one value, got a {type(value).__name__} {value!r}; "
                f"use {self.path_key()}__in=[...] to match any of several values"
            )
        ftype = self.ftype
        if ftype in _ACCEPTS:
            accepted, wanted = _ACCEPTS[ftype]
            bad_bool = isinstance(value, bool) and ftype != "boolean"
            if bad_bool or not isinstance(value, accepted):
                hint = ""
                if isinstance(value, str) and ftype in NUMERIC_TYPES:
                    hint = " (give numbers as numbers, not strings)"
                raise self.error(
                    f"{self.describe()} expects {wanted}, "
                    f"got {type(value).__name__} {value!r}{hint}"
                )
            if ftype == "date" and isinstance(value, dt.datetime):
                value = value.date()
            self._check_known(ftype, value)
            if ftype == "datetime" and _is_day(value):
                return self.whole_day(value)
        return to_wire(value)

    def whole_day(self, value: Any) -> Any:
        """A datetime field compared with a day (a ``date``, or ``"YYYY-MM-DD"``):
        the ordering lookups take the whole day (``gte``/``lt``: from its start,
        ``gt``/``lte``: to its end, in the query's time zone); equality would
        mean midnight only, so it is refused with the ``__date`` lookup to use."""
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        key = self.path_key()
        if self.lookup in ("gte", "lt", "range_low"):
            return local_to_wire(day, self.key)
        if self.lookup in ("gt", "lte", "range_high"):
            end = dt.datetime.combine(day, dt.time(23, 59, 59))
            return local_to_wire(end, self.key)
        raise self.error(
            f"{self.describe()} compared with the day {day.isoformat()} would match "
            f"midnight only: use {key}__date={day!r} for the whole day, or give a datetime"
        )

    def _check_known(self, ftype: str, value: Any) -> None:
        """What can be known wrong before sending: a selection key not among the
        declared ones, an id that cannot exist, a date string that is not a date."""
        if ftype == "selection":
            choices = getattr(self.field, "selection", None)
            if isinstance(choices, (list, tuple)) and value not in choices:
                raise self.error(
                    f"{value!r} is not a value of {self.describe()}; valid values: "
                    f"{', '.join(repr(c) for c in choices)}"
                )
        elif ftype in RELATIONAL_TYPES and isinstance(value, int) and value <= 0:
            raise self.error(f"{value} is not a record id (Odoo ids are positive)")
        elif ftype in ("date", "datetime") and isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is None or (ftype == "date" and parsed.time() != dt.time(0)):
                form = "'YYYY-MM-DD'" if ftype == "date" else "'YYYY-MM-DD HH:MM:SS' (UTC)"
                raise self.error(
                    f"{value!r} is not a {ftype} for {self.describe()}: write {form} or pass "
                    "a datetime.date/datetime (relative words such as 'yesterday' are read "
                    "by some servers' databases and refused by Odoo 19)"
                )

    def many(self, value: Any) -> list[Any] | SubDomain:
        """Check an iterable of values (for ``in``) and convert each one."""
        if has_hook(value):
            value = self.records_value(value)
            if not isinstance(value, (list, SubDomain)):
                value = [value]
        if isinstance(value, SubDomain):
            return value
        value = plain(value)  # a numpy array or a pandas Index/Series: its values
        if isinstance(value, (str, bytes, Mapping)) or not is_iterable(value):
            raise self.error(
                f"expects a list, tuple or set of values, got {type(value).__name__} "
                f"{value!r}; write [{value!r}] for a single value"
            )
        items = [self.scalar(v) for v in value]
        if isinstance(value, (set, frozenset)):
            with suppress(TypeError):
                items.sort()
        return items

    def records_value(self, value: Any) -> Any:
        """A record's or queryset's domain value, once it is known to be of the model
        this field points to (a partner given for a country would match by id)."""
        got = getattr(getattr(value, "_meta", None), "odoo_model", None)
        expected = None
        if self.ftype in RELATIONAL_TYPES and self.comodel is not None:
            expected = self.comodel.odoo_model
        elif self.field is not None and self.field.source == "id" and self.model is not None:
            expected = self.model.odoo_model
        if isinstance(got, str) and expected is not None and got != expected:
            describe = getattr(value, "describe", None)  # a queryset: its repr would fetch
            shown = describe() if callable(describe) else repr(value)
            raise self.error(
                f"got {shown}, of model {got}, but {self.describe()} holds {expected} ids; "
                f"pass a {expected} record or id"
            )
        return value.__odoo_domain_value__()

    def path_key(self) -> str:
        """The user's key without the lookup: ``country__code`` of ``country__code__in``."""
        suffix = "__" + self.lookup
        return self.key[: -len(suffix)] if self.key.endswith(suffix) else self.key

    def any_leaf(self, sub: list[Any], *, negate: bool) -> list[Any]:
        """``(path, 'any', sub)``; before Odoo 17 the equivalent dotted-path domain."""
        if self.modern:
            return [(self.path, "not any" if negate else "any", sub)]
        rewritten = self._as_dotted(sub)
        if rewritten is not None:
            return ["!", *rewritten] if negate else rewritten
        comodel = self.comodel
        if comodel is None:
            raise self.error(
                f"this 'any' sub-domain needs Odoo 17+ (this server is Odoo {self.version}) "
                "or a declared relation: odoorm does not know which model to search first"
            )
        # no 'any' before Odoo 17, and not expressible as dotted paths: the query
        # searches the related records first (one more call) and matches their ids
        return [(self.path, "not in" if negate else "in", SubDomain(comodel.odoo_model, sub))]

    def _as_dotted(self, sub: list[Any]) -> list[Any] | None:
        if not sub:  # any [] = "has a related record"
            return [(self.path, "!=", False)]
        # a many2one has at most one related record, so '&' distributes too
        allowed = {"|", "&"} if self.ftype in (None, "many2one") else {"|"}
        out: list[Any] = []
        for item in sub:
            if isinstance(item, str):
                if item not in allowed:
                    return None
                out.append(item)
                continue
            name, op, value = item
            if not isinstance(name, str) or op in NEGATIVE_OPERATORS or "any" in op:
                return None
            if value is False or (isinstance(value, list) and False in value):
                return None  # "unset" through a path is not "a related record unset"
            out.append((f"{self.path}.{name}", op, value))
        return out

    def subdomain_leaf(self, sub: SubDomain, *, negate: bool) -> list[Any]:
        """A queryset's SubDomain as a leaf: ``any`` on Odoo 17+, else its ids."""
        if self.path == "id" and (self.model is None or self.model.odoo_model == sub.model):
            inner = self.compile_sub(list(sub.domain), None)  # the records themselves
            if not inner:
                return [FALSE_LEAF] if negate else [TRUE_LEAF]
            return ["!", *inner] if negate else inner
        comodel = self.comodel
        if comodel is not None and comodel.odoo_model != sub.model:
            raise self.error(
                f"the queryset is on {sub.model} but {self.describe()} points to "
                f"{comodel.odoo_model}"
            )
        relational = self.ftype in RELATIONAL_TYPES or (self.field is None and self.path != "id")
        if relational and self.modern:
            inner = self.compile_sub(list(sub.domain), None)
            return [(self.path, "not any" if negate else "any", inner)]
        if sub.ids is None:
            raise self.error(
                f"a queryset on {sub.model} can only be used here as a list of ids: "
                "pass list(qs.values_list('id', flat=True))"
            )
        return [(self.path, "not in" if negate else "in", [int(i) for i in sub.ids()])]
