"""Tiny stand-ins for the models layer (contract D of INTERFACES.md), so the
QuerySet is tested on its own: a ``_meta`` with fields, ``_from_rows`` with an
identity map, ``save()`` for create, per-class DoesNotExist."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from odoorm.exceptions import FieldError, MultipleObjectsReturned, ObjectDoesNotExist


class FakeField:
    def __init__(self, type_: str, source: str | None = None, comodel: Any = None, **kw: Any):
        self.type = type_
        self.source = source
        self.comodel = comodel
        self.readonly = kw.get("readonly", False)
        self.required = kw.get("required", False)
        self.name = ""

    @property
    def comodel_info(self) -> Any:
        if self.comodel is None:
            return None
        return self.comodel()._meta if callable(self.comodel) else self.comodel._meta

    def to_python(self, value: Any, conn: Any = None) -> Any:
        if self.type == "boolean":
            return bool(value)
        if value is False or value is None:
            return None
        if self.type == "date":
            return dt.date.fromisoformat(value)
        if self.type == "datetime":
            return dt.datetime.fromisoformat(value).replace(tzinfo=dt.timezone.utc)
        return value

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, dt.date):
            return value.isoformat()
        if hasattr(value, "id") and self.type == "many2one":
            return value.id
        return value


class FakeMeta:
    def __init__(self, odoo_model: str, fields: dict[str, FakeField]):
        self.odoo_model = odoo_model
        self.fields = fields
        for name, f in fields.items():
            f.name = name
            f.source = f.source or name

    def get_field_info(self, name: str) -> FakeField | None:
        if name in self.fields:
            return self.fields[name]
        for f in self.fields.values():
            if f.source == name:
                return f
        return None

    def field_names(self) -> list[str]:
        return list(self.fields)

    def get_field(self, name: str) -> FakeField:
        found = self.get_field_info(name)
        if found is None:
            close = difflib.get_close_matches(name, list(self.fields), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise FieldError(f"{self.odoo_model} has no field {name!r}{hint}")
        return found

    def read_fields(self) -> list[str]:
        return [f.source for f in self.fields.values()]


class FakeModel:
    _meta: FakeMeta
    _identity: dict[tuple[int, int], FakeModel]
    calls_from_rows = 0

    class DoesNotExist(ObjectDoesNotExist):
        pass

    class MultipleObjectsReturned(MultipleObjectsReturned):
        pass

    def __init_subclass__(cls, **kw: Any) -> None:
        cls._identity = {}

        class DoesNotExist(ObjectDoesNotExist):
            pass

        class Multiple(MultipleObjectsReturned):
            pass

        cls.DoesNotExist = DoesNotExist  # type: ignore[misc]
        cls.MultipleObjectsReturned = Multiple  # type: ignore[misc]

    def __init__(self, **values: Any):
        self.id: int | None = None
        self._conn: Any = None
        self._values = dict(values)
        self.loaded: set[str] = set(values)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("id", "_conn", "_values", "loaded") or name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self._values[name] = value
            self.__dict__.setdefault("dirty", set()).add(name)

    @classmethod
    def _from_rows(
        cls, conn: Any, rows: list[dict], fields: list[str], ticket: int | None = None
    ) -> list[FakeModel]:
        cls.calls_from_rows += 1
        out = []
        for row in rows:
            key = (id(conn.transport), row["id"])
            obj = cls._identity.get(key)
            if obj is None:
                obj = cls()
                obj.id = row["id"]
                obj._conn = conn
                cls._identity[key] = obj
            for f in cls._meta.fields.values():
                if f.source in row:
                    obj._values[f.name] = f.to_python(row[f.source], conn)
                    obj.loaded.add(f.name)
            out.append(obj)
        return out

    def _create_vals(self) -> dict[str, Any]:
        return {
            self._meta.get_field(k).source: self._meta.get_field(k).to_wire(v)
            for k, v in self._values.items()
        }

    def _mark_created(self, conn: Any, new_id: int) -> None:
        self.id = new_id
        self._conn = conn
        type(self)._identity[(id(conn.transport), new_id)] = self

    def save(self, using: Any = None) -> None:
        from odoorm.session import get_default_connection

        conn = using or self._conn or get_default_connection()
        if self.id is None:
            new_id = conn.rpc(self._meta.odoo_model, "create", vals_list=[self._create_vals()])
            self._mark_created(conn, new_id[0] if isinstance(new_id, list) else new_id)
        else:
            dirty = self.__dict__.pop("dirty", set())
            vals = {
                self._meta.get_field(k).source: self._meta.get_field(k).to_wire(self._values[k])
                for k in dirty
            }
            conn.rpc(self._meta.odoo_model, "write", [self.id], vals=vals)

    def __odoo_domain_value__(self) -> int | None:
        return self.id

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class Country(FakeModel):
    _meta = FakeMeta("res.country", {"name": FakeField("char"), "code": FakeField("char")})


class Category(FakeModel):
    _meta = FakeMeta("res.partner.category", {"name": FakeField("char")})


class Partner(FakeModel):
    _meta = FakeMeta(
        "res.partner",
        {
            "name": FakeField("char"),
            "email": FakeField("char"),
            "is_company": FakeField("boolean"),
            "customer_rank": FakeField("integer"),
            "country": FakeField("many2one", "country_id", Country),
            "parent": FakeField("many2one", "parent_id", lambda: Partner),
            "tags": FakeField("many2many", "category_id", Category),
            "children": FakeField("one2many", "child_ids", lambda: Partner),
            "write_date": FakeField("datetime", readonly=True),
        },
    )


class SaleOrder(FakeModel):
    _meta = FakeMeta(
        "sale.order",
        {
            "name": FakeField("char"),
            "state": FakeField("selection"),
            "partner": FakeField("many2one", "partner_id", Partner),
            "amount_total": FakeField("monetary"),
            "date_order": FakeField("datetime"),
        },
    )
