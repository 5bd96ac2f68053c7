"""Reports in notebooks: DataFrames, pivots and HTML tables.

::

    from odoorm.report import to_dataframe, pivot

    df = to_dataframe(Partner.objects.filter(is_company=True), "name", "country__name")
    table = pivot(SaleOrder.objects.all(), rows="partner", columns="date_order:month",
                  values=Sum("amount_total"))

pandas is optional (``pip install odoorm[pandas]``); only the DataFrame
functions need it. :func:`html_table` and :func:`record_html` are what
``QuerySet._repr_html_`` and ``Model._repr_html_`` show in a notebook.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from odoorm._schema import IMPLICIT_FIELDS, RELATIONAL_TYPES, X2MANY_TYPES, ImplicitField, walk_path
from odoorm.aggregates import Count
from odoorm.exceptions import FieldError
from odoorm.query.extensions import extend
from odoorm.query.names import IDS_ONLY, ManyToOneNames
from odoorm.query.paths import RowLoader
from odoorm.query.progress import progress_bar

if TYPE_CHECKING:
    import pandas as pd

    from odoorm.query import QuerySet

__all__ = [
    "html_table",
    "pivot",
    "record_html",
    "require_pandas",
    "rows_to_dataframe",
    "to_dataframe",
]

DEFAULT_CHUNK_SIZE = 2000
HTML_ROWS = 20
_DATES = frozenset({"date", "datetime"})


def require_pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "odoorm reports need pandas: pip install odoorm[pandas]  (or: pip install pandas)"
        ) from exc
    return pandas


# --------------------------------------------------------------------------- columns

#: field types whose ``read`` value converts straight into a column (no record, no
#: per-value Python conversion): the fast, columnar path of to_dataframe()
_FLAT_TYPES = frozenset(
    {
        "char",
        "text",
        "html",
        "selection",
        "integer",
        "float",
        "monetary",
        "boolean",
        "date",
        "datetime",
        "many2one",
        "one2many",
        "many2many",
    }
)


#: field types shown as pandas' nullable ``string`` dtype (empty: ``<NA>``)
_TEXT_TYPES = frozenset({"char", "text", "html", "selection"})


@attrs.frozen
class _Column:
    """One DataFrame column: its name, the ``values()`` path that fills it, its
    dtype kind (an Odoo type, or ``"list"``), and for a field of the model itself
    its Odoo name (``flat``: read as ``search_read`` gives it)."""

    name: str
    path: str
    kind: str
    flat: str | None
    m2o: str | None = None  # "name" | "id" for a many2one of the model itself
    comodel: str | None = None  # its comodel


def _field_type(meta: Any, path: str) -> tuple[str, bool, Any]:
    """(Odoo type of the last segment, whether the path crosses an x2many, the
    first segment's field) for ``country__name``-style paths."""
    before = [""]  # the segment before the current one
    crossed = [False]

    def field_of(info: Any, part: str) -> Any:
        if part in IMPLICIT_FIELDS:
            return IMPLICIT_FIELDS[part]
        if info is None:
            raise FieldError(f"{path!r}: {before[0]!r} is not a relation, it has no {part!r}")
        return info.get_field(part)

    def follow(field: Any, part: str, next_part: str, info: Any) -> Any:
        if isinstance(field, ImplicitField):
            raise FieldError(f"{path!r}: {part!r} has no fields to follow")
        before[0] = part
        if field.type in X2MANY_TYPES:
            crossed[0] = True
        return field.comodel_info if field.type in RELATIONAL_TYPES else None

    fields = walk_path(meta, path, field_of, follow=follow)
    return fields[-1].type, crossed[0], fields[0]


def column_names(qs: QuerySet[Any]) -> list[str]:
    """The columns a query shows by default, in order: its ``values()`` /
    ``values_list()`` names, else its ``only()`` fields, else the declared
    fields (binaries and ``defer()``-ed ones left out). ``id`` is the index."""
    plan = qs._plan
    meta = qs.model._meta
    if plan.mode != "records":
        return [n for n in plan.names if n not in ("id", "pk")]
    if plan.only is not None:
        return [meta.by_source[s].name for s in plan.only if s in meta.by_source]
    return [
        f.name for f in meta.fields.values() if f.type != "binary" and f.source not in plan.defer
    ]


def _columns(qs: QuerySet[Any], fields: Sequence[str], m2o: str) -> list[_Column]:
    """The wanted columns (``fields``, else :func:`column_names`), id left out."""
    meta = qs.model._meta
    names = list(fields) or column_names(qs)
    qs._learn_fields(names)  # classes built from fields_get learn the fields on the path
    out = []
    for column in names:
        if column in ("id", "pk"):
            continue  # the index
        ftype, crossed, first = _field_type(meta, column)
        single = "__" not in column and not isinstance(first, ImplicitField)
        flat = first.source if single and ftype in _FLAT_TYPES else None
        path, kind, which, comodel = column, ftype, None, None
        if ftype == "many2one":
            path = f"{column}__display_name" if m2o == "name" else f"{column}__id"
            kind, which = ("char" if m2o == "name" else "integer"), m2o
            comodel = first.comodel_info.odoo_model if flat else None
        if crossed:
            kind = "list"
        out.append(_Column(column, path, kind, flat, which, comodel))
    return out


# --------------------------------------------------------------------------- DataFrames


def _column_array(pd: Any, kind: str, values: list[Any], wire: bool) -> Any:
    """``values`` as the column of ``kind`` (see docs/reports.md for the mapping).

    ``wire``: dates and datetimes are still the server's strings.
    """
    import numpy as np  # a dependency of pandas, optional like it

    if kind == "date":
        if wire:
            return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
        return pd.to_datetime(values, errors="coerce")
    if kind == "datetime":
        if wire:
            return pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="coerce", utc=True)
        return pd.to_datetime(values, errors="coerce", utc=True)
    if kind == "integer":
        return pd.array(values, dtype="Int64")
    if kind in ("float", "monetary"):
        return pd.array([float("nan") if v is None else v for v in values], dtype="float64")
    if kind == "boolean":
        return pd.array(values, dtype="boolean")
    if kind in _TEXT_TYPES:
        return pd.array(values, dtype="string")
    if kind in X2MANY_TYPES or kind == "list":
        values = [v if isinstance(v, list) else [] for v in values]
    column = np.empty(len(values), dtype=object)  # lists stay lists, not a 2-D array
    column[:] = values
    return column


def rows_to_dataframe(
    rows: Iterable[Mapping[str, Any]], types: Mapping[str, str], *, index: str | None = "id"
) -> pd.DataFrame:
    """A DataFrame from plain rows, with dtypes from Odoo field types.

    Dates and datetimes become ``datetime64`` (UTC for datetimes), integers
    nullable ``Int64``, floats ``float64``, booleans ``boolean``, x2many lists
    (see the table in docs/reports.md).
    """
    pd = require_pandas()
    rows = list(rows)
    data = {
        column: _column_array(pd, ftype, [row.get(column) for row in rows], wire=False)
        for column, ftype in types.items()
    }
    frame = pd.DataFrame(data, columns=list(types))
    if index and index in frame.columns:
        frame = frame.set_index(index)
    return frame


def to_dataframe(
    qs: QuerySet[Any],
    *fields: str,
    m2o: str = "name",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    workers: int | None = None,
) -> pd.DataFrame:
    """The records of ``qs`` as a DataFrame indexed by id.

    Args:
        fields: python names or relation paths (``"country__name"``); default:
            the query's ``values()``/``values_list()`` names, else its ``only()``
            fields, else the model's declared fields (binary ones left out).
        m2o: many2one columns as the related ``"name"`` (display name) or ``"id"``.
        chunk_size: rows fetched per request; memory stays bounded by it.
        progress: show a tqdm progress bar (``pip install tqdm``).
        workers: read the chunks over this many threads (one ``search`` for
            the ids first), while earlier chunks are being converted.

    Fields of the model itself are read with ``search_read``/``read`` and
    converted column by column, no record built; over several chunks their
    many2one names are asked once per distinct id (see :func:`_flat_columns`).
    Relation paths (``country__code``) go through ``values()`` (one
    ``web_search_read`` per chunk on Odoo 17+).
    """
    pd = require_pandas()
    if m2o not in ("name", "id"):
        raise FieldError(f"m2o= takes 'name' or 'id', got {m2o!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise FieldError(f"chunk_size must be at least 1, got {chunk_size}")
    if _is_grouped(qs):
        return _groups_frame(qs)
    columns = _columns(qs, list(fields), m2o)
    wire = all(c.flat for c in columns)
    if wire:
        bar = progress_bar(qs.model._meta.odoo_model, "to_dataframe") if progress else None
        try:
            ids, data = _flat_columns(qs, columns, chunk_size, workers, bar)
        finally:
            if bar is not None:
                bar.close()
    else:
        ids, data = _path_columns(qs, columns, chunk_size, workers, progress)
    frame = pd.DataFrame(
        {c.name: _column_array(pd, c.kind, data[i], wire) for i, c in enumerate(columns)},
        index=pd.Index(ids, dtype="int64", name="id"),
        columns=[c.name for c in columns],
    )
    return frame


def _flat_columns(
    qs: QuerySet[Any], columns: Sequence[_Column], chunk_size: int, workers: int | None, bar: Any
) -> tuple[list[int], list[list[Any]]]:
    """Fields of the model itself: ``search_read``/``read`` rows poured into column
    lists chunk by chunk (the rows of one chunk are dropped once poured).

    When there is more than one chunk, many2one columns are read as bare ids
    from the second chunk on (from the first with ``workers``), and their
    display names are fetched once per distinct id (:mod:`odoorm.query.names`):
    a large export costs the server far less, and a one-chunk query stays one
    call.
    """
    sources = list(dict.fromkeys(c.flat for c in columns if c.flat))
    loader = RowLoader(qs.model._meta.odoo_model, sources)
    named = {c.flat: c.comodel for c in columns if c.m2o == "name" and c.flat and c.comodel}
    pool = (
        concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="odoorm-names")
        if named and workers and workers > 1
        else None
    )
    names = ManyToOneNames(qs._connection(), named, chunk_size, pool) if named else None
    ids: list[int] = []
    data: list[list[Any]] = [[] for _ in columns]

    def read_ids() -> None:
        loader.load = IDS_ONLY

    try:
        for rows in qs._row_chunks(loader, chunk_size, workers, bar, read_ids if names else None):
            ids.extend([row["id"] for row in rows])
            for out, column in zip(data, columns, strict=True):
                values = [row[column.flat] for row in rows]  # type: ignore[index]
                if column.m2o == "name" and names is not None:
                    out.extend(names.ids(column.flat, values))  # type: ignore[arg-type]
                elif column.m2o is not None:  # ids: [id, name] pairs or bare ids
                    out.extend([v if type(v) is int else v[0] if v else None for v in values])
                elif column.kind == "boolean":
                    out.extend(values)
                else:  # Odoo's False is an empty value everywhere else
                    out.extend([None if v is False else v for v in values])
            if bar is not None:
                bar.update(len(rows))
        if names is None:
            return ids, data
        at = {c.flat: i for i, c in enumerate(columns) if c.flat in named}  # one per field
        resolved, keep = names.resolve(
            loader.odoo_model, ids, {field: data[i] for field, i in at.items()}
        )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for i, column in enumerate(columns):
        if column.flat in resolved:
            data[i] = resolved[column.flat]
    if keep is not None:  # rows deleted while the names were read
        ids = [i for i, k in zip(ids, keep, strict=True) if k]
        data = [[v for v, k in zip(col, keep, strict=True) if k] for col in data]
    return ids, data


def _path_columns(
    qs: QuerySet[Any],
    columns: Sequence[_Column],
    chunk_size: int,
    workers: int | None,
    progress: bool,
) -> tuple[list[int], list[list[Any]]]:
    """Relation paths: ``values()`` rows (Python values), poured into column lists."""
    paths = [c.path for c in columns]
    ids: list[int] = []
    data: list[list[Any]] = [[] for _ in columns]
    stream = qs.values("id", *paths).iterator(chunk_size, progress=progress, workers=workers)
    for row in stream:
        ids.append(row["id"])
        for out, path in zip(data, paths, strict=True):
            out.append(row.get(path))
    return ids, data


def _is_grouped(qs: Any) -> bool:
    plan = getattr(qs, "_plan", None)
    return getattr(plan, "aggregates", None) is not None


def _groups_frame(qs: QuerySet[Any]) -> pd.DataFrame:
    """The rows of an ``annotate()`` query, related records shown by name."""
    pd = require_pandas()
    rows = [{k: _label(v) for k, v in row.items()} for row in qs]
    return pd.DataFrame.from_records(rows)


def pivot(
    qs: QuerySet[Any],
    rows: str | Sequence[str],
    columns: str | Sequence[str] | None = None,
    values: Any = None,
    *,
    fill_value: Any = 0,
) -> pd.DataFrame:
    """A pivot table from ONE ``read_group``: ``rows`` x ``columns`` -> ``values``.

    Args:
        rows, columns: group-by keys (python names, ``"date_order:month"`` granularities).
        values: an aggregate, e.g. ``Sum("amount_total")``; default ``Count()``.
        fill_value: what empty cells hold.
    """
    pd = require_pandas()

    row_keys = [rows] if isinstance(rows, str) else list(rows)
    col_keys = [columns] if isinstance(columns, str) else list(columns or [])
    agg = values if values is not None else Count()
    groups = list(qs.values(*row_keys, *col_keys).annotate(value=agg))
    frame = pd.DataFrame.from_records(
        [
            {k: _label(g.get(k)) for k in (*row_keys, *col_keys)} | {"value": g["value"]}
            for g in groups
        ],
        columns=[*row_keys, *col_keys, "value"],
    )
    if not col_keys:
        return frame.set_index(row_keys)
    table = frame.pivot_table(
        index=row_keys, columns=col_keys, values="value", aggfunc="sum", fill_value=fill_value
    )
    table.columns.name = col_keys[0] if len(col_keys) == 1 else table.columns.name
    return table


def _label(value: Any) -> Any:
    """A group key as a table label: related records by name."""
    if value is None or value is False:
        return None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int):
        return value[1]  # a many2one group: (id, display name)
    name = getattr(value, "display_name", None)
    if name is not None and hasattr(value, "id"):
        return name
    return value


# --------------------------------------------------------------------------- HTML


def _cell(value: Any) -> str:
    if value is None:
        return '<span style="color:#999">—</span>'
    if hasattr(value, "_meta") and hasattr(value, "id"):  # a related record
        name = getattr(value, "display_name", None)
        return html.escape(str(name if name is not None else f"#{value.id}"))
    if isinstance(value, (list, tuple)) or hasattr(value, "ids"):
        ids = list(getattr(value, "ids", value))
        shown = ", ".join(str(getattr(v, "id", v)) for v in ids[:5])
        more = f", … ({len(ids)})" if len(ids) > 5 else ""
        return html.escape(f"[{shown}{more}]")
    if isinstance(value, bytes):
        return html.escape(f"<{len(value)} bytes>")
    if isinstance(value, dt.datetime):
        return html.escape(value.strftime("%Y-%m-%d %H:%M:%S%z"))
    text = str(value)
    return html.escape(text if len(text) <= 80 else text[:79] + "…")


def _record_fields(model: type) -> list[Any]:
    return [f for f in model._meta.fields.values() if f.type != "binary"]  # type: ignore[attr-defined]


def html_table(qs: QuerySet[Any], limit: int = HTML_ROWS) -> str:
    """An HTML table of the first ``limit`` records, with the domain and the count.

    Two calls: one ``search_count`` and one ``search_read`` of ``limit`` rows.
    """
    model = qs.model
    total = qs.count()
    records = list(qs[:limit])
    plan = getattr(qs, "_plan", None)
    if getattr(plan, "mode", "records") != "records":
        # values(), values_list() and annotate() rows: their own keys are the columns
        keys = [p.key for p in plan.paths]  # type: ignore[union-attr]
        head, body = _rows_table(records, keys, flat=plan.flat)  # type: ignore[union-attr]
        noun = "group" if _is_grouped(qs) else "row"
    else:
        meta = model._meta
        fields = [meta.get_field(name) for name in column_names(qs)]  # only(), defer()
        head = "<th>id</th>" + "".join(f"<th>{html.escape(f.name)}</th>" for f in fields)
        body = []
        for rec in records:
            cells = "".join(f"<td>{_cell(getattr(rec, f.name))}</td>" for f in fields)
            body.append(f"<tr><th>{rec.id}</th>{cells}</tr>")
        noun = "record"
    more = f" (first {len(records)} shown)" if total > len(records) else ""
    caption = (
        f"<b>{html.escape(model.__name__)}</b> <code>{html.escape(model._meta.odoo_model)}</code>"
        f": {total} {noun}{'s' if total != 1 else ''}{more}"
        f"<br><small>domain: <code>{html.escape(repr(qs.domain))}</code></small>"
    )
    return (
        f'<div class="odoorm-queryset">{caption}<table><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _rows_table(rows: list[Any], keys: list[str], flat: bool) -> tuple[str, list[str]]:
    """(header cells, body rows) for dicts, tuples or single values."""
    if rows and isinstance(rows[0], Mapping):
        keys = list(rows[0])  # annotate() adds the aggregates after the group keys
    table = [
        [row.get(k) for k in keys] if isinstance(row, Mapping) else [row] if flat else list(row)
        for row in rows
    ]
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    body = [
        "<tr>" + "".join(f"<td>{_cell(_shown(v))}</td>" for v in values) + "</tr>"
        for values in table
    ]
    return head, body


def _is_group_key(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int)


def _shown(value: Any) -> Any:
    """A many2one value as read (``(id, name)``) shows its name."""
    return value[1] if _is_group_key(value) else value


def record_html(record: Any) -> str:
    """An HTML field/value table of one record (its declared fields).

    The fields it lacks are read first in ONE call for its prefetch group (a
    ``conn.env`` class has dozens of computed and x2many fields that would
    otherwise load one call each).
    """
    model = type(record)
    record._load_declared("_repr_html_()")
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(f.name)}</th>"
        f"<td>{_cell(getattr(record, f.name))}</td></tr>"
        for f in _record_fields(model)
    )
    title = f"{html.escape(model.__name__)}({record.id if record.id is not None else 'new'})"
    odoo_model = html.escape(model._meta.odoo_model)
    return (
        f'<div class="odoorm-record"><b>{title}</b> <code>{odoo_model}</code>'
        f"<table>{rows}</table></div>"
    )


# the QuerySet's notebook methods and a record's notebook view (odoorm.query.extensions)
extend("to_dataframe", to_dataframe)
extend("pivot", pivot)
extend("html_table", html_table)
extend("record_html", record_html)
