"""Parameter names of Odoo's standard ORM methods, and how each protocol lays them out.

odoorm builds every standard call with NAMED arguments (``RPCCall.kwargs``).

* ``execute_kw`` protocols (XML-RPC, JSON-RPC, web session) send ``ids`` as the
  first positional argument, then the method's *leading* parameters
  positionally (``domain`` of ``search``, ``vals_list`` of ``create``, ``vals``
  of ``write``...), the rest by name. Sending the first parameter positionally
  keeps one wire format for Odoo 16 to 19 (16 names ``search``'s first
  parameter ``args``, later versions ``domain``) and is exactly what the web
  client sends.
* JSON-2 accepts only names; positional ``RPCCall.args`` are mapped to names
  with :data:`JSON2_SIGNATURES` (Odoo 19 signatures) or, for other methods,
  with the server's ``/doc-bearer/<model>.json`` description. Of those,
  :data:`PRIVATE_ON_19` (``search_fetch``, ``exists``, ``check_access``) are
  private on Odoo 19, which refuses them (403); odoorm still sends them and
  lets the server answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from odoorm.transport.base import RPCCall

__all__ = [
    "JSON2_SIGNATURES",
    "POSITIONAL_LEADS",
    "PRIVATE_ON_19",
    "PRIVATE_ON_19_SIGNATURES",
    "STANDARD_JSON2_METHODS",
    "MethodSignature",
    "execute_kw_arguments",
]


@attrs.frozen
class MethodSignature:
    """What JSON-2 needs to know of a method.

    Attributes:
        params: parameter names in order, ``self``/``ids`` excluded.
        model_method: ``True`` for ``@api.model`` methods (no ``ids``).
    """

    params: tuple[str, ...]
    model_method: bool


def _sig(model_method: bool, *params: str) -> MethodSignature:
    return MethodSignature(params=params, model_method=model_method)


#: Odoo 19 signatures of the standard public methods (JSON-2 only exists on 19+).
_STANDARD: dict[str, MethodSignature] = {
    "search": _sig(True, "domain", "offset", "limit", "order"),
    "search_read": _sig(True, "domain", "fields", "offset", "limit", "order"),
    "search_count": _sig(True, "domain", "limit"),
    "read": _sig(False, "fields", "load"),
    "create": _sig(True, "vals_list"),
    "write": _sig(False, "vals"),
    "unlink": _sig(False),
    "copy": _sig(False, "default"),
    "copy_data": _sig(False, "default"),
    "fields_get": _sig(True, "allfields", "attributes"),
    "read_group": _sig(True, "domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"),
    "formatted_read_group": _sig(
        True, "domain", "groupby", "aggregates", "having", "offset", "limit", "order"
    ),
    "name_search": _sig(True, "name", "domain", "operator", "limit"),
    "name_create": _sig(True, "name"),
    "default_get": _sig(True, "fields"),
    "web_search_read": _sig(
        True, "domain", "specification", "offset", "limit", "order", "count_limit"
    ),
    "web_read": _sig(False, "specification"),
    "check_access_rights": _sig(True, "operation", "raise_exception"),
    "has_access": _sig(False, "operation"),
    "get_metadata": _sig(False),
    "toggle_active": _sig(False),
    "action_archive": _sig(False),
    "action_unarchive": _sig(False),
}

#: ORM methods that Odoo 19 declares private: a remote call is refused with an
#: AccessError (HTTP 403 on JSON-2, "Private methods (such as 'model.exists') cannot be
#: called remotely"). They are not standard remote methods; their parameter names are kept
#: so that a call is still sent as asked, and the server decides (older servers, or one
#: that exposes them again, answer it).
PRIVATE_ON_19_SIGNATURES: Mapping[str, MethodSignature] = MappingProxyType(
    {
        "search_fetch": _sig(True, "domain", "field_names", "offset", "limit", "order"),
        "exists": _sig(False),
        "check_access": _sig(False, "operation"),
    }
)
PRIVATE_ON_19: frozenset[str] = frozenset(PRIVATE_ON_19_SIGNATURES)

#: The standard methods callable remotely on Odoo 19 (JSON-2 names their arguments).
STANDARD_JSON2_METHODS: frozenset[str] = frozenset(_STANDARD)

#: Parameter names JSON-2 uses for positional arguments: the standard methods
#: (:data:`STANDARD_JSON2_METHODS`) and the private ones (:data:`PRIVATE_ON_19`), which
#: are still sent. Other methods are looked up in the server's ``/doc-bearer`` document.
JSON2_SIGNATURES: Mapping[str, MethodSignature] = MappingProxyType(
    {**_STANDARD, **PRIVATE_ON_19_SIGNATURES}
)

#: Leading parameters sent positionally on execute_kw protocols, in order.
#: Alternatives in one slot are names used by different Odoo versions.
POSITIONAL_LEADS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "search": (("domain", "args"),),
    "search_read": (("domain",),),
    "search_count": (("domain", "args"),),
    "search_fetch": (("domain",),),
    "create": (("vals_list", "vals"),),
    "write": (("vals",),),
    "read_group": (("domain",), ("fields",), ("groupby",)),
    "formatted_read_group": (("domain",), ("groupby",), ("aggregates",)),
    "default_get": (("fields_list", "fields"),),
}


def execute_kw_arguments(call: RPCCall) -> tuple[list[Any], dict[str, Any]]:
    """``(args, kwargs)`` of ``execute_kw`` for ``call``.

    ``ids`` first (when given), then ``call.args`` if the caller gave positional
    arguments, else the method's leading parameters taken out of ``kwargs``;
    the context goes in ``kwargs["context"]`` (merged over one given there).
    """
    kwargs = dict(call.kwargs)
    args: list[Any] = []
    if call.ids is not None:
        args.append(list(call.ids))
    if call.args:
        args.extend(call.args)
    else:
        for slot in POSITIONAL_LEADS.get(call.method, ()):
            name = next((n for n in slot if n in kwargs), None)
            if name is None:
                break
            args.append(kwargs.pop(name))
    if call.context:
        given = kwargs.get("context")
        kwargs["context"] = {**(given if isinstance(given, Mapping) else {}), **call.context}
    return args, kwargs
