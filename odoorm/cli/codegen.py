"""``odoorm inspect``: model class source from a server's ``fields_get``.

The output is importable and ``ruff format``-clean: Python names drop the
``_id``/``_ids`` suffixes (``source=`` keeps the Odoo name), relations point at
the generated classes (or name the Odoo model when it was not generated), and
selection values are listed in a comment.

A field is ``required=True`` only where the client must give it: Odoo's
``fields_get`` also marks required the fields the server fills itself, from a
default (``sale.order``'s ``name``, ``company_id``, ``date_order``: learnt with
one ``default_get`` per model) or by a computation from other fields
(``sale.order.line``'s ``name`` from its product: ``fields_get`` lists what such
a field ``depends`` on). Those are listed in a comment instead, so a generated
class creates what Odoo itself would create.

One case ``fields_get`` cannot tell apart: a required number with neither a
default nor ``depends`` may still be computed on create (``sale.order.line``'s
``customer_lead``, from the product's lead time; Odoo 16-19 answer no
``depends`` for it, and a new record's ``onchange`` answers 0 for every number).
Such a number is left to the server to check, and named in a comment: a
client-side refusal would stop a create that Odoo accepts, and a client-side
0 would override what the server computes.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from typing import Any

from odoorm import fields as fields_module
from odoorm._schema import class_name
from odoorm.models import Model

__all__ = [
    "INSPECT_ATTRIBUTES",
    "class_name",
    "generate_models",
    "python_name",
    "server_checked",
    "server_filled",
]

INSPECT_ATTRIBUTES = (
    "type",
    "string",
    "relation",
    "relation_field",
    "selection",
    "required",
    "readonly",
    "store",
    "depends",  # what a computed field is computed from (the server fills it)
    "related",  # a related field's path (its depends, but the value comes from the user)
)
#: Odoo field type -> odoorm.fields class
_FIELD_CLASSES = {
    "char": "Char",
    "text": "Text",
    "html": "Html",
    "integer": "Integer",
    "float": "Float",
    "monetary": "Monetary",
    "boolean": "Boolean",
    "date": "Date",
    "datetime": "Datetime",
    "selection": "Selection",
    "binary": "Binary",
    "many2one": "Many2one",
    "one2many": "One2many",
    "many2many": "Many2many",
    "reference": "Reference",
    "json": "Json",
    "properties": "Properties",
    "many2one_reference": "Integer",
}
_RELATIONAL = ("many2one", "one2many", "many2many")
#: attributes of every model instance that a field may not shadow
_RESERVED = frozenset(
    {"id", "objects", "save", "delete", "refresh", "call", "pk", "DoesNotExist"}
    | {"MultipleObjectsReturned", "using", "with_context", "display_name"}
)
_SKIPPED_FIELDS = frozenset({"id", "__last_update", "display_name"})
_NUMBERS = frozenset({"integer", "float", "monetary"})
_MAX_LINE = 100


def server_filled(
    schema: Mapping[str, Mapping[str, Any]], defaults: Mapping[str, Any] | None
) -> set[str]:
    """The fields ``fields_get`` marks required that the server fills on ``create``.

    Those with a value in ``defaults`` (the model's ``default_get`` answer), and
    the computed ones: a non-empty ``depends`` that is not a ``related`` path
    (a related field such as ``res.users``' ``name`` still needs a value).
    """
    defaults = defaults or {}
    filled = set()
    for fname, info in schema.items():
        if not info.get("required"):
            continue
        value = defaults.get(fname)
        # default_get answers False for "no value" (and for a boolean's False default)
        has_default = fname in defaults and (
            value not in (None, False, "") or info.get("type") == "boolean"
        )
        computed = bool(info.get("depends")) and not info.get("related")
        if has_default or computed:
            filled.add(fname)
    return filled


def server_checked(schema: Mapping[str, Mapping[str, Any]], filled: set[str]) -> set[str]:
    """The required numbers the server may compute on create, though ``fields_get``
    shows no ``depends`` (see the module's docstring): not required client-side."""
    return {
        fname
        for fname, info in schema.items()
        if info.get("required")
        and fname not in filled
        and info.get("type") in _NUMBERS
        and not info.get("related")
    }


def _class_names(models: list[str]) -> dict[str, str]:
    """One distinct class name per model, never shadowing the module's own imports
    (``res.partner`` and ``partner`` would both be ``Partner``; ``model`` ``Model``)."""
    used = {"Model", "fields", "annotations"}
    names: dict[str, str] = {}
    for model in models:
        base = name = class_name(model)
        n = 2
        while name in used:
            name, n = f"{base}{n}", n + 1
        used.add(name)
        names[model] = name
    return names


def _plural(word: str) -> str:
    last = word.rsplit("_", 1)[-1]
    if last == "child":
        return word + "ren"
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if last.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def python_name(field: str, taken: set[str], reserved: frozenset[str] = _RESERVED) -> str:
    """``country_id`` -> ``country``, ``tag_ids`` -> ``tags``, unless that name is taken.

    ``taken`` holds the model's Odoo field names and the Python names already
    given; a clash, a keyword or a reserved model attribute keeps the Odoo name.
    """
    candidates = []
    if field.endswith("_ids") and len(field) > 4:
        candidates.append(_plural(field[:-4]))
    elif field.endswith("_id") and len(field) > 3:
        candidates.append(field[:-3])
    candidates.append(field)
    for name in candidates:
        usable = name.isidentifier() and not keyword.iskeyword(name) and name not in reserved
        if usable and (name == field or name not in taken):
            return name
    return field + "_"


def _reserved_names() -> frozenset[str]:
    return _RESERVED | {n for n in dir(Model) if not n.startswith("_")}


def _order_models(schemas: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Generated classes in an order where many2one targets come first when possible."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(model: str) -> None:
        if model in done or model in visiting:
            return
        visiting.add(model)
        for info in schemas[model].values():
            target = info.get("relation")
            if info.get("type") == "many2one" and target in schemas and target != model:
                visit(target)
        visiting.discard(model)
        done.append(model)

    for model in schemas:
        visit(model)
    return done


def _field_line(
    pyname: str,
    fname: str,
    info: Mapping[str, Any],
    comodel_ref: str | None,
    cls: str,
    required: bool,
) -> str:
    args: list[str] = []
    if comodel_ref is not None:
        args.append(comodel_ref)
    if pyname != fname:
        args.append(f'source="{fname}"')
    if info.get("type") == "one2many" and info.get("relation_field"):
        args.append(f'inverse="{info["relation_field"]}"')
    if required:
        args.append("required=True")
    if info.get("readonly"):
        args.append("readonly=True")
    line = f"    {pyname} = fields.{cls}({', '.join(args)})"
    if len(line) > _MAX_LINE:
        # what `ruff format` does: arguments on one indented line, else one per line
        inner = f"        {', '.join(args)}"
        if len(inner) <= _MAX_LINE:
            return f"    {pyname} = fields.{cls}(\n{inner}\n    )"
        each = "".join(f"        {a},\n" for a in args)
        return f"    {pyname} = fields.{cls}(\n{each}    )"
    comment = ""
    selection = info.get("selection")
    if info.get("type") == "selection" and isinstance(selection, list) and selection:
        comment = ", ".join(repr(str(v[0])) for v in selection if v)
    elif info.get("type") == "many2one_reference":
        comment = "id of a record of any model"
    if comment:
        room = _MAX_LINE - len(line) - 4
        if len(comment) > room:
            cut = comment[: max(room - len(", ..."), 0)]
            comment = cut.rsplit(",", 1)[0] + ", ..."
        if room > 10:
            line += f"  # {comment}"
    return line


def generate_models(
    schemas: Mapping[str, Mapping[str, Mapping[str, Any]]],
    *,
    header: str = "Odoo models generated by `odoorm inspect`.",
    all_fields: bool = False,
    defaults: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """Python source declaring one odoorm model class per ``fields_get`` result.

    Args:
        schemas: Odoo model name -> its ``fields_get`` answer (with the
            :data:`INSPECT_ATTRIBUTES`).
        header: the module docstring.
        all_fields: also declare binary and non-stored fields.
        defaults: Odoo model name -> its ``default_get`` answer for all its
            fields; a required field with a default is not ``required=True``.
    """

    available = {c for c in _FIELD_CLASSES.values() if hasattr(fields_module, c)}
    reserved = _reserved_names()
    order = _order_models(schemas)
    names = _class_names(order)
    out = [f'"""{header}"""', "", "from __future__ import annotations", ""]
    out += ["from odoorm import Model, fields"]
    defined: set[str] = set()
    for model in order:
        schema = schemas[model]
        filled = server_filled(schema, (defaults or {}).get(model))
        checked = server_checked(schema, filled)
        out += ["", "", f"class {names[model]}(Model):", f'    _name = "{model}"', ""]
        chosen, left_out = [], []
        for fname, info in schema.items():
            ftype = info.get("type", "")
            if fname in _SKIPPED_FIELDS or fname.startswith("__"):
                continue
            heavy = ftype == "binary" or info.get("store") is False
            if heavy and not all_fields:
                left_out.append(fname)
            else:
                chosen.append(fname)
        taken = set(schema)
        pynames: dict[str, str] = {}
        for fname in sorted(chosen, key=lambda f: (f != "name", f)):
            pynames[fname] = python_name(fname, taken | set(pynames.values()), reserved)
        for fname, pyname in pynames.items():
            info = schema[fname]
            ftype = info.get("type", "")
            cls = _FIELD_CLASSES.get(ftype)
            if cls is None or cls not in available:
                out.append(f"    # {fname}: Odoo type {ftype!r} has no odoorm field class")
                continue
            ref = None
            if ftype in _RELATIONAL:
                target = info.get("relation") or ""
                ref = names[target] if target in defined else f'"{target}"'
            required = bool(info.get("required")) and fname not in filled | checked
            out.append(_field_line(pyname, fname, info, ref, cls, required))
        if not pynames:
            out.append("    pass")
        notes = (
            (
                "required by Odoo, filled by the server when not given (a default or "
                "a computation): ",
                sorted(pynames[f] for f in filled if f in pynames),
            ),
            (
                "required by Odoo, numbers the server may compute on create (fields_get "
                "cannot tell; it refuses a missing one it does not compute): ",
                sorted(pynames[f] for f in checked if f in pynames),
            ),
            ("left out (binary or not stored; --all-fields declares them): ", sorted(left_out)),
        )
        for text, listed in notes:
            if listed:
                out.append("")
                out += _wrap_comment(text + ", ".join(listed))
        defined.add(model)
    return "\n".join(out) + "\n"


def _wrap_comment(text: str, indent: str = "    ") -> list[str]:
    lines: list[str] = []
    current = f"{indent}#"
    for word in text.split():
        if len(current) + 1 + len(word) > _MAX_LINE and current != f"{indent}#":
            lines.append(current)
            current = f"{indent}#"
        current += " " + word
    lines.append(current)
    return lines
