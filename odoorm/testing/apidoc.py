"""Method descriptions for Odoo 19's ``/doc-bearer/<model>.json`` (module ``api_doc``).

The real document describes every public method of a model: its signature
(``(domain, offset=0, limit=None, order=None) -> list[int]``), parameters (default,
annotation, kind), return annotation, the decorators (``api``: ``model``, ``readonly``),
the exceptions it documents (``raise``), its docstring rendered as HTML (``doc``), and the
model and module that introduced it (``core`` for the ORM's own methods).

:data:`STANDARD` holds those facts for the ORM methods the emulator implements; methods
added with :meth:`odoorm.testing.orm.Database.register_method` are described from their
Python signature and docstring (:func:`describe_function`). The texts are the emulator's
own short summaries, not Odoo's docstrings.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MethodDoc:
    """What the document says about one method besides its parameter names."""

    doc: str
    returns: str | None = None
    returns_doc: str | None = None
    annotations: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    params_doc: Mapping[str, str] = field(default_factory=dict)
    raises: Mapping[str, str] = field(default_factory=dict)
    readonly: bool = False
    #: keyword-catching parameter (``**name``) after the named ones, with its annotation
    varkw: tuple[str, str] | None = None


_DOMAIN = "a search domain, [] for every record"
_ACCESS = {"AccessError": "the user may not read these records"}
_GROUPS = "list[dict]"

STANDARD: dict[str, MethodDoc] = {
    "search": MethodDoc(
        "Ids of the records matching a domain.",
        "list[int]",
        "the ids, at most limit of them",
        {"domain": "DomainType", "offset": "int", "limit": "int | None", "order": "str | None"},
        {"offset": 0, "limit": None, "order": None},
        {"domain": _DOMAIN, "offset": "records to skip", "limit": "most records to return"},
        _ACCESS,
        readonly=True,
    ),
    "search_count": MethodDoc(
        "Number of records matching a domain.",
        "int",
        None,
        {"domain": "DomainType", "limit": "int | None"},
        {"limit": None},
        {"domain": _DOMAIN, "limit": "stop counting there"},
        readonly=True,
    ),
    "search_read": MethodDoc(
        "Search, then read the given fields of the records found.",
        "list[ValuesType]",
        "one dict of values per record",
        {
            "domain": "DomainType | None",
            "fields": "Sequence[str] | None",
            "offset": "int",
            "limit": "int | None",
            "order": "str | None",
        },
        {"domain": None, "fields": None, "offset": 0, "limit": None, "order": None},
        {"domain": _DOMAIN, "fields": "field names, all readable fields when empty"},
        _ACCESS,
        readonly=True,
        varkw=("read_kwargs", "str"),
    ),
    "read": MethodDoc(
        "Values of the given fields for the records.",
        "list[ValuesType]",
        "one dict of values per record",
        {"fields": "Sequence[str] | None", "load": "str"},
        {"fields": None, "load": "_classic_read"},
        {"fields": "field names, all readable fields when empty"},
        {**_ACCESS, "ValueError": "a requested field does not exist"},
        readonly=True,
    ),
    "create": MethodDoc(
        "Create records, one per dict of values.",
        "list[int]",
        "the ids of the new records",
        {"vals_list": "list[ValuesType]"},
        {},
        {"vals_list": "field values of each record to create"},
        {
            "AccessError": "the user may not create these records",
            "ValidationError": "a value is invalid or a required field is missing",
        },
    ),
    "write": MethodDoc(
        "Set the given values on every record.",
        "typing.Literal[True]",
        None,
        {"vals": "ValuesType"},
        {},
        {"vals": "field names and the values to set"},
        {
            "AccessError": "the user may not change these records",
            "ValidationError": "a value is invalid",
        },
    ),
    "unlink": MethodDoc(
        "Delete the records.",
        "typing.Literal[True]",
        None,
        raises={"AccessError": "the user may not delete these records"},
    ),
    "copy": MethodDoc(
        "Duplicate the records, with default values overriding the copied ones.",
        "list[int]",
        "the ids of the copies",
        {"default": "ValuesType | None"},
        {"default": None},
    ),
    "fields_get": MethodDoc(
        "Description of the model's fields.",
        "dict[str, ValuesType]",
        "attributes per field name",
        {"allfields": "Collection[str] | None", "attributes": "Collection[str] | None"},
        {"allfields": None, "attributes": None},
        {"allfields": "fields to describe, all when empty", "attributes": "attributes to give"},
        readonly=True,
    ),
    "default_get": MethodDoc(
        "Default values of the given fields for a new record.",
        "ValuesType",
        "a value per field that has a default",
        {"fields": "Sequence[str]", "fields_list": "Sequence[str]"},
    ),
    "check_access_rights": MethodDoc(
        "Whether the user may perform an operation on the model.",
        "bool",
        None,
        {"operation": "str", "raise_exception": "bool"},
        {"raise_exception": True},
        {"operation": "read, write, create or unlink"},
    ),
    "context_get": MethodDoc("Language, time zone and uid of the current user.", "dict"),
    "name_search": MethodDoc(
        "Records whose display name matches a pattern.",
        "list[tuple[int, str]]",
        "(id, display name) pairs",
        {"name": "str", "domain": "DomainType | None", "operator": "str", "limit": "int"},
        {"name": "", "domain": None, "operator": "ilike", "limit": 100},
        {"name": "the pattern", "domain": "a further restriction"},
        readonly=True,
    ),
    "name_create": MethodDoc(
        "Create a record from its display name only.",
        "tuple[int, str] | typing.Literal[False]",
        "(id, display name) of the new record",
        {"name": "str"},
    ),
    "web_search_read": MethodDoc(
        "Search and read nested values, the way the web client does.",
        "dict",
        "{'length': count, 'records': [...]}",
        {
            "domain": "DomainType",
            "specification": "dict[str, dict]",
            "offset": "int",
            "limit": "int | None",
            "order": "str | None",
            "count_limit": "int | None",
        },
        {"offset": 0, "limit": None, "order": None, "count_limit": None},
        readonly=True,
    ),
    "web_read": MethodDoc(
        "Read nested values of the records, the way the web client does.",
        "list[dict]",
        None,
        {"specification": "dict[str, dict]"},
        readonly=True,
    ),
    "read_group": MethodDoc(
        "Records grouped by fields, with aggregated values (deprecated in favour of "
        "formatted_read_group).",
        _GROUPS,
        None,
        {
            "domain": "DomainType",
            "fields": "Sequence[str]",
            "groupby": "str | Sequence[str]",
            "offset": "int",
            "limit": "int | None",
            "orderby": "str | None",
            "lazy": "bool",
        },
        {"offset": 0, "limit": None, "orderby": False, "lazy": True},
        readonly=True,
    ),
    "formatted_read_group": MethodDoc(
        "Records grouped by fields, with the requested aggregates.",
        _GROUPS,
        "one dict per group",
        {
            "domain": "DomainType",
            "groupby": "Sequence[str]",
            "aggregates": "Sequence[str]",
            "having": "DomainType",
            "offset": "int",
            "limit": "int | None",
            "order": "str | None",
        },
        {"groupby": (), "aggregates": (), "having": (), "offset": 0, "limit": None, "order": None},
        readonly=True,
    ),
    "action_archive": MethodDoc("Archive the records (set active to False).", "bool"),
    "action_unarchive": MethodDoc("Restore archived records (set active to True).", "bool"),
}

_CANCEL = "the cancel wizard's window action when a warning is due, else True"

#: the sale.order workflow methods of :mod:`odoorm.testing.behaviours`
BUILTIN: dict[tuple[str, str], MethodDoc] = {
    ("sale.order", "action_confirm"): MethodDoc(
        "Confirm the quotations: they become sales orders dated now.",
        "bool",
        raises={"UserError": "an order is not a draft or sent quotation"},
    ),
    ("sale.order", "action_cancel"): MethodDoc("Cancel the orders.", "bool | dict", _CANCEL),
    ("sale.order", "action_draft"): MethodDoc(
        "Set cancelled or sent orders back to quotation.", "bool"
    ),
    ("sale.order", "action_quotation_sent"): MethodDoc("Mark draft quotations as sent.", "bool"),
    ("sale.order", "action_quotation_send"): MethodDoc(
        "Open the mail composer with the quotation template, to send the quotation.",
        "dict",
        "a window action on mail.compose.message",
    ),
}

#: module that introduced the methods of the built-in behaviours, by model
MODULES = {"sale.order": "sale", "sale.order.line": "sale"}


def _html(text: str | None) -> str | None:
    if not text:
        return None
    paragraphs = [" ".join(p.split()) for p in inspect.cleandoc(text).split("\n\n")]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


def _function_params(func: Callable[..., Any]) -> list[inspect.Parameter]:
    """Parameters of a custom method after ``(db, table, ids)``."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return []
    return params[3:]


def function_signature(func: Callable[..., Any]) -> dict[str, Any]:
    """``method_signature`` entry of a custom method, from its Python signature."""
    params: list[str] = []
    required: list[str] = []
    defaults: dict[str, Any] = {}
    for p in _function_params(func):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        params.append(p.name)
        if p.default is p.empty:
            required.append(p.name)
        else:
            defaults[p.name] = p.default
    return {"params": params, "required": required, "model_method": False, "defaults": defaults}


def describe_function(func: Callable[..., Any]) -> MethodDoc:
    """A :class:`MethodDoc` for a custom method: its docstring and its return annotation."""
    doc = inspect.getdoc(func) or ""
    ret = getattr(func, "__annotations__", {}).get("return")
    returns = None if ret in (None, "None", "Any") else str(ret)
    return MethodDoc(doc=doc, returns=returns)


def describe(
    model: str,
    sig: Mapping[str, Any],
    info: MethodDoc | None,
    *,
    introduced_by: tuple[str, str] = ("core", "core"),
) -> dict[str, Any]:
    """One entry of the document's ``methods``, keys in the real document's order."""
    info = info or MethodDoc(doc="")
    required = set(sig.get("required") or ())
    defaults = {**info.defaults, **(sig.get("defaults") or {})}
    parameters: dict[str, Any] = {}
    shown: list[str] = []
    for name in sig.get("params") or ():
        entry: dict[str, Any] = {}
        if name not in required:
            entry["default"] = defaults.get(name)
            shown.append(f"{name}={entry['default']!r}")
        else:
            shown.append(name)
        if name in info.annotations:
            entry["annotation"] = info.annotations[name]
        if name in info.params_doc:
            entry["doc"] = _html(info.params_doc[name])
        parameters[name] = entry
    if info.varkw:
        kw_name, kw_annotation = info.varkw
        parameters[kw_name] = {"kind": "VAR_KEYWORD", "annotation": kw_annotation}
        shown.append(kw_name)  # Odoo prints variadic names bare
    if sig.get("varkw"):
        parameters["kwargs"] = {"kind": "VAR_KEYWORD"}
        shown.append("kwargs")
    signature = f"({', '.join(shown)})"
    if info.returns:
        signature += f" -> {info.returns}"
    entry_out: dict[str, Any] = {"signature": signature, "parameters": parameters}
    ret: dict[str, Any] = {}
    if info.returns:
        ret["annotation"] = info.returns
    if info.returns_doc:
        ret["doc"] = _html(info.returns_doc)
    if ret:
        entry_out["return"] = ret
    api = [
        *(["model"] if sig.get("model_method") else []),
        *(["readonly"] if info.readonly else []),
    ]
    if api:
        entry_out["api"] = api
    if info.raises:
        entry_out["raise"] = {name: _html(text) for name, text in info.raises.items()}
    if info.doc:
        entry_out["doc"] = _html(info.doc)
    entry_out["model"], entry_out["module"] = introduced_by
    return entry_out
