"""Small stand-ins for ``Model._meta`` / ``Field``: just the ModelInfo / FieldInfo shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class FakeField:
    name: str
    type: str
    source: str = ""
    comodel: FakeModel | None = None

    def __post_init__(self) -> None:
        self.source = self.source or self.name

    @property
    def comodel_info(self) -> FakeModel | None:
        return self.comodel


@dataclass
class FakeModel:
    odoo_model: str
    fields: dict[str, FakeField] = field(default_factory=dict)

    def add(self, name: str, type: str, source: str = "", comodel: FakeModel | None = None):
        self.fields[name] = FakeField(name, type, source, comodel)
        return self

    def get_field_info(self, name: str) -> FakeField | None:
        if name in self.fields:
            return self.fields[name]
        return next((f for f in self.fields.values() if f.source == name), None)

    def field_names(self) -> Iterable[str]:
        return list(self.fields)


COUNTRY = FakeModel("res.country").add("name", "char").add("code", "char")
CATEGORY = FakeModel("res.partner.category").add("name", "char").add("color", "integer")
PARTNER = FakeModel("res.partner")
(
    PARTNER.add("name", "char")
    .add("email", "char")
    .add("comment", "html")
    .add("is_company", "boolean")
    .add("customer_rank", "integer")
    .add("credit_limit", "float")
    .add("birthday", "date")
    .add("write_date", "datetime")
    .add("type", "selection")
    .add("image", "binary", "image_1920")
    .add("country", "many2one", "country_id", COUNTRY)
    .add("parent", "many2one", "parent_id", PARTNER)
    .add("children", "one2many", "child_ids", PARTNER)
    .add("tags", "many2many", "category_id", CATEGORY)
)


class Record:
    """A record: its domain value is its id."""

    def __init__(self, id: int) -> None:
        self.id = id

    def __odoo_domain_value__(self) -> int:
        return self.id
