"""What the emulator's hook modules may ask of the database they serve.

The ORM core (:class:`odoorm.testing.orm.Database`, built from ``records`` and ``writes``)
calls out to modules that hold behaviour: the standard RPC methods (``methods``,
``read_group``), the per-model business rules (``models/``), the data generator. Those
modules are typed against :class:`DB`, the small set of attributes and operations below,
rather than against the ORM classes, so they import nothing above this module and the
ORM can import them without an import circle.

:class:`ModelHooks` is the shape of one model's registered behaviour (see
:mod:`odoorm.testing.behaviours` for when each hook runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from odoorm.testing import errors
from odoorm.testing.clock import Clock
from odoorm.testing.store import Table

Row = dict[str, Any]
#: a custom record method: ``func(db, table, ids, *args, **kwargs)``
Method = Callable[..., Any]


def model_method(func: Method) -> Method:
    """Mark a registered method as Odoo's ``@api.model``: called without ids (its ``ids``
    parameter gets ``[]`` and every positional argument goes to the rest)."""
    func.__dict__["model_method"] = True
    return func


def is_model_method(func: Method) -> bool:
    return bool(getattr(func, "model_method", False))


class DB(Protocol):
    """The database as the hook modules see it."""

    tables: dict[str, Table]
    version: int
    uid: int
    clock: Clock
    _ctx: dict[str, Any]
    #: tax id -> rate, learnt from the loaded order lines
    tax_rates: dict[int, float]
    #: login -> password, and API key -> uid
    passwords: dict[str, str]
    api_keys: dict[str, int]
    #: codes of the active languages (``res.lang``), the ones a context may name
    languages: set[str]

    # -- tables and searching -----------------------------------------------------------
    def table(self, model: str) -> Table: ...
    def now(self) -> str: ...
    def active_test(self) -> bool: ...
    def filtered_rows(
        self,
        table: Table,
        domain: Any,
        active_test: bool | None = None,
        stop: int | None = None,
        descending: bool = False,
    ) -> list[Row]: ...
    def search_ids(self, model: str, domain: list, active_test: bool = True) -> set[int]: ...
    def name_search_ids(self, model: str, value: Any, operator: str) -> set[int]: ...
    def parse_order(self, table: Table, order: str | None) -> list[tuple[str, bool, bool]]: ...
    def sort_rows(
        self, table: Table, rows: list[Row], order: str | None, _depth: int = 0
    ) -> list[Row]: ...
    def ranks(self, table: Table, depth: int = 0) -> dict[int, int]: ...

    # -- names, relations, wire values ----------------------------------------------------
    def display_name(self, table: Table, row: Row) -> str: ...
    def name_of(self, model: str, rid: int) -> str: ...
    def inverse_index(self, comodel: Table, inverse: str) -> dict[int, list[int]]: ...
    def x2many_ids(self, table: Table, row: Row, fname: str) -> list[int]: ...
    def x2many_read(self, table: Table, row: Row, fname: str) -> list[int]: ...
    def check_fields(self, table: Table, fnames: Iterable[str]) -> None: ...
    def value_out(
        self, table: Table, row: Row, fname: str, load: str | None = "_classic_read"
    ) -> Any: ...
    def read_rows(
        self, table: Table, rows: list[Row], fnames: list[str], load: str | None = "_classic_read"
    ) -> list[dict[str, Any]]: ...
    def default_read_fields(self, table: Table) -> list[str]: ...

    # -- writing (journalled: a failed call is rolled back) ----------------------------------
    def existing(self, table: Table, ids: Any) -> list[int]: ...
    def as_ids(self, ids: Any) -> list[int]: ...
    def _save(self, table: Table, rid: int) -> None: ...
    def create_records(self, table: Table, vals_list: list[dict[str, Any]]) -> list[int]: ...
    def write_records(self, table: Table, ids: list[int], vals: dict[str, Any]) -> bool: ...
    def unlink_records(self, table: Table, ids: Any) -> bool: ...
    def copy_record(self, table: Table, rid: int, default: dict[str, Any] | None) -> int: ...


class Service(DB, Protocol):
    """The database as the RPC methods see it: :class:`DB` and the caller's rights."""

    def allowed(self, model: str, operation: str) -> bool: ...
    def access_error(self, table: Table, operation: str) -> errors.AccessError: ...


@dataclass(frozen=True)
class ModelHooks:
    """The behaviour one model adds to the generic ORM; every hook is optional.

    ``since`` / ``until`` limit the entry to some Odoo versions, so a rule that changed
    between versions is two entries rather than a branch inside one function.
    """

    #: default values of a new record: ``defaults(db, table) -> {field: value or callable}``
    defaults: Callable[[DB, Table], dict[str, Any]] | None = None
    #: values a copy overrides: ``copy_defaults(db, table, source_row)``
    copy_defaults: Callable[[DB, Table, Row], dict[str, Any]] | None = None
    #: writable computed fields turned into the stored values they set
    inverse_values: Callable[[DB, Table, dict[str, Any]], dict[str, Any]] | None = None
    #: fills the row of a record about to be inserted (after defaults and values)
    before_create: Callable[[DB, Table, Row], None] | None = None
    #: recomputes derived values after records were created or written
    after_change: Callable[[DB, Table, list[int]], None] | None = None
    #: raises when created or written records break a constraint (the call is rolled back)
    check: Callable[[DB, Table, list[int]], None] | None = None
    #: raises when records may not be deleted
    before_unlink: Callable[[DB, Table, list[int]], None] | None = None
    #: recomputes what depended on deleted rows
    after_unlink: Callable[[DB, Table, list[Row]], None] | None = None
    #: completes the rows of this model once data has been loaded
    after_load: Callable[[DB, Table], None] | None = None
    #: fields computed when read (not stored): name -> ``compute(db, table, row)``
    computed: dict[str, Callable[[DB, Table, Row], Any]] | None = None
    #: fields stored per company (jsonb from Odoo 18): the database refuses NaN and Infinity
    company_dependent: frozenset[str] = frozenset()
    #: the ids a method gets, when some are strings: ``record_ids(db, table, method, ids,
    #: arguments)`` returns those the method works on, or raises as Odoo does
    record_ids: Callable[[DB, Table, str, Any, dict[str, Any]], Any] | None = None
    #: the value a write stores for a string in a many2one: ``(db, table, field, value)``
    string_many2one: Callable[[DB, Table, str, str], Any] | None = None
    #: record methods callable over RPC: name -> (function, access operation)
    methods: dict[str, tuple[Method, str]] | None = None
    since: int = 0
    until: int = 999

    def applies_to(self, version: int) -> bool:
        return self.since <= version <= self.until
