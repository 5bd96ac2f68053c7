"""create / write / unlink / copy: value conversion, x2many commands, required checks."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from odoorm.testing import automation, behaviours, errors, translations
from odoorm.testing.clock import Clock
from odoorm.testing.modelinfo import COPIED_ONE2MANY, INDEXED_CHARS, MANDATORY, m2m_table, ondelete
from odoorm.testing.models import mail
from odoorm.testing.records import RecordsMixin, Row
from odoorm.testing.store import X2MANY, Table, m2o_id

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_FK_17 = (
    "The operation cannot be completed: another model requires the record being deleted. "
    "If possible, archive it instead."
)
_FK_19 = (
    "The operation cannot be completed: Another model is using the record you are trying to delete."
)
_FK_19_END = "How about archiving the record instead?"
#: PostgreSQL's limit on one index entry, and the overhead around a compressed value
INDEX_ROW_MAX = 8191
_PGLZ_MAX_MATCH = 273


def _parse_time(value: str, fmt: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, fmt)
    except ValueError as exc:
        raise errors.value_error(str(exc)) from None


def index_row_size(text: str) -> int:
    """Bytes of the index entry PostgreSQL builds for ``text``: the value as pglz compresses
    it (computed exactly for a run of one character, else taken as incompressible) plus the
    varlena and index tuple headers."""
    raw = text.encode("utf-8")
    if len(raw) > 1 and len(set(raw)) == 1:
        # one literal byte, then back-references of up to 273 bytes (3-byte tags; 2 bytes
        # under 18), one control byte per 8 items, an 8-byte compressed header
        rest, tags = len(raw) - 1, []
        while rest > 0:
            n = min(rest, _PGLZ_MAX_MATCH)
            tags.append(3 if n >= 18 else (2 if n >= 3 else n))
            rest -= n
        items = 1 + len(tags)
        return 8 + (items + 7) // 8 + 1 + sum(tags) + 8
    return len(raw) + 4 + 8


def check_index_size(text: str) -> None:
    if len(text) > INDEX_ROW_MAX // 4:
        size = index_row_size(text)
        if size > INDEX_ROW_MAX:
            raise errors.DatabaseError(
                "ProgramLimitExceeded",
                f"index row requires {size} bytes, maximum size is {INDEX_ROW_MAX}\n",
            )


class WritesMixin(RecordsMixin):
    uid: int
    passwords: dict[str, str]
    api_keys: dict[str, int]
    _journal: list[tuple[Table, int, Row | None]] | None
    clock: Clock

    def now(self) -> str:
        """The emulator clock's now, as Odoo stores a datetime."""
        return self.clock.odoo_now()

    # -- journal (rollback of a failed call, like Odoo's transaction) --------------------------
    def _save(self, table: Table, rid: int) -> None:
        if self._journal is not None:
            old = table.rows.get(rid)
            self._journal.append((table, rid, None if old is None else dict(old)))

    def _rollback(self, journal: list[tuple[Table, int, Row | None]]) -> None:
        for table, rid, old in reversed(journal):
            if old is None:
                table.drop(rid)
            else:
                table.put(rid, old)
            table.touch()

    # -- validation -----------------------------------------------------------------------
    def missing_error(self, table: Table, ids: list[int]) -> errors.MissingError:
        inner = ", ".join(repr(i) for i in ids) + ("," if len(ids) == 1 else "")
        return errors.MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {table.name}({inner}), User: {self.uid})"
        )

    def existing(self, table: Table, ids: Any) -> list[int]:
        ids = self.as_ids(ids)
        missing = [i for i in ids if i not in table.rows]
        if missing:
            raise self.missing_error(table, missing)
        return ids

    @staticmethod
    def as_ids(ids: Any) -> list[int]:
        if ids is None or ids is False:
            return []
        if isinstance(ids, (int, str)) and not isinstance(ids, bool):
            return [int(ids)]
        return [int(i) for i in ids]

    def _unknown_field(
        self, table: Table, fname: str, create: bool = False
    ) -> errors.OdooServerError:
        if self.version >= 19:
            if create:
                return errors.value_error(f"Invalid field {fname!r} in {table.name!r}")
            return errors.key_error(fname)
        return errors.value_error(f"Invalid field {fname!r} on model {table.name!r}")

    def required_error(self, table: Table, fname: str) -> errors.ValidationError:
        label = table.fields[fname].get("string", fname)
        if self.version >= 19:
            msg = (
                f"The operation cannot be completed: Missing required value for the field "
                f"'{label}' ({fname}).\nModel: '{table.description}' ({table.name})\n"
                "- create/update: a mandatory field is not set\n"
                "- delete: another model requires the record being deleted, you can archive it "
                "instead\n"
            )
        else:
            msg = (
                "The operation cannot be completed:\n"
                "- Create/update: a mandatory field is not set.\n"
                "- Delete: another model requires the record being deleted. If possible, archive "
                "it instead.\n\n"
                f"Model: {table.description} ({table.name})\nField: {label} ({fname})\n"
            )
        return errors.ValidationError(msg)

    def restrict_error(self, table: Table, fname: str) -> errors.ValidationError:
        """Odoo's answer when a foreign key of ``table.fname`` is violated: a deleted record
        is still referenced (``ondelete='restrict'``) or a written id does not exist."""
        if self.version >= 19:
            label = table.fields.get(fname, {}).get("string", fname)
            return errors.ValidationError(
                f"{_FK_19}\n\nThe troublemaker is: '{table.description}' ({table.name})\n"
                f"Thanks to the following constraint: '{label}' ({fname})\n{_FK_19_END}"
            )
        constraint = f"{table.name.replace('.', '_')}_{fname}_fkey"
        return errors.ValidationError(
            f"{_FK_17}\n\nModel: {table.description} ({table.name})\nConstraint: {constraint}\n"
        )

    def relation_fk_error(self, table: Table, fname: str) -> errors.ValidationError:
        """A many2many relation row naming a record that does not exist (the relation table
        is no model, so Odoo names it "Unknown")."""
        rel, column = m2m_table(table.name, fname, str(table.fields[fname].get("relation")))
        constraint = f"{rel}_{column}_fkey"
        if self.version >= 19:
            return errors.ValidationError(
                f"{_FK_19}\n\nThe troublemaker is: Unknown\n"
                f"Thanks to the following constraint: {constraint}\n{_FK_19_END}"
            )
        return errors.ValidationError(
            f"{_FK_17}\n\nModel: Unknown (unknown)\nConstraint: {constraint}\n"
        )

    def dangling(self, comodel: str, rid: Any) -> bool:
        """Whether ``rid`` names no record of ``comodel`` (a model this database holds; the
        data may name records of other models it does not hold)."""
        table = self.tables.get(comodel)
        if table is None or not isinstance(rid, int) or isinstance(rid, bool):
            return False
        return rid not in table.rows and (comodel, rid) not in self.ext_names

    def convert_in(self, table: Table, fname: str, value: Any) -> Any:
        field = table.fields[fname]
        ftype = field.get("type")
        if value is None:
            value = False
        if ftype == "selection" and value is not False:
            sel = field.get("selection")
            if isinstance(sel, list) and sel and value not in {s[0] for s in sel}:
                raise errors.value_error(f"Wrong value for {table.name}.{fname}: {value!r}")
        elif ftype == "many2one":
            if isinstance(value, (list, tuple)):
                value = value[0] if value else False
            return int(value) if value not in (False, 0) else False
        elif ftype == "boolean":
            return bool(value)
        elif ftype in ("integer", "many2one_reference"):
            number = int(value or 0)
            if not INT4_MIN <= number <= INT4_MAX:
                raise errors.DatabaseError("NumericValueOutOfRange", "integer out of range\n")
            return number
        elif ftype in ("float", "monetary"):
            real = float(value or 0.0)
            if not math.isfinite(real) and fname in behaviours.company_dependent(self, table):
                raise self._json_error(real)
            return real
        elif ftype in ("char", "text", "html") and value is not False:
            text = str(value)
            if (table.name, fname) in INDEXED_CHARS:
                check_index_size(text)
            return text
        elif ftype == "binary" and isinstance(value, bytes) and fname != "raw":
            return value.decode("ascii")
        elif ftype == "date" and isinstance(value, str):
            return _parse_time(value[:10], DATE_FORMAT).date().isoformat()
        elif ftype == "datetime" and isinstance(value, str):
            # Odoo's Datetime.to_datetime: the format cut to the value's length
            parsed = _parse_time(value, DATETIME_FORMAT[: len(value) - 2])
            return parsed.strftime(DATETIME_FORMAT)
        return value

    def _json_error(self, number: float) -> errors.DatabaseError:
        """NaN or Infinity in a company-dependent field, stored as jsonb from Odoo 18."""
        token = "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
        users = self.tables.get("res.users")
        user = users.rows.get(self.uid, {}) if users else {}
        company = m2o_id(user.get("company_id")) or 1
        return errors.DatabaseError(
            "InvalidTextRepresentation",
            "invalid input syntax for type json\n"
            f'DETAIL:  Token "{token}" is invalid.\n'
            f'CONTEXT:  JSON data, line 1: {{"{company}": {token}...\n',
        )

    # -- create ---------------------------------------------------------------------------
    def create_records(self, table: Table, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = []
        for vals in vals_list:
            if not isinstance(vals, dict):
                raise errors.type_error(f"create() expects a dict of values, got {vals!r}")
            ids.append(self._create_one(table, vals))
        behaviours.check_constraints(self, table, ids)  # before derived values spread
        behaviours.after_change(self, table, ids, created=True)
        mail.subscribe_creator(self, table, ids)
        automation.trigger(self, table, ids, "create")
        return ids

    def _split_delegated(
        self, table: Table, vals: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """``vals`` without the ``_inherits`` parents' fields, and those per link field."""
        own: dict[str, Any] = {}
        parents: dict[str, dict[str, Any]] = {link: {} for link in table.delegated.values()}
        for f, v in vals.items():
            link = table.delegated.get(f)
            if link is None:
                own[f] = v
                mirror = table.mirrored.get(f)
                if mirror is not None and mirror in parents:
                    parents[mirror][f] = v
            else:
                parents[link][f] = v
        return own, parents

    def _create_one(self, table: Table, vals: dict[str, Any]) -> int:
        vals = behaviours.inverse_values(self, table, vals)
        for f in vals:
            if f not in table.fields:
                raise self._unknown_field(table, f, create=True)
        if table.delegated:
            # _inherits: the parent record first (created, or the one named and written)
            vals, parents = self._split_delegated(table, vals)
            for link, pvals in parents.items():
                parent = self.tables[str(table.fields[link].get("relation"))]
                given = self.convert_in(table, link, vals.get(link, False))
                if given:
                    if self.dangling(parent.name, given):
                        raise self.restrict_error(table, link)
                    if pvals:
                        self.write_records(parent, [given], pvals)
                else:
                    vals[link] = self.create_records(parent, [pvals])[0]
        row: Row = {}
        for f, d in behaviours.defaults(self, table).items():
            if f in table.fields:
                row[f] = d() if callable(d) else d
        for f, d in table.defaults.items():
            row[f] = d() if callable(d) else d
        later: dict[str, Any] = {}
        for f in list(row):
            if f not in vals and table.fields.get(f, {}).get("type") in X2MANY:
                # a default x2many goes through commands (it may be the computed side of a pair)
                later[f] = [(6, 0, list(row.pop(f) or []))]
        for f, v in vals.items():
            if f == "id":
                continue
            if table.fields[f].get("type") in X2MANY:
                later[f] = v
            else:
                row[f] = self.convert_in(table, f, v)
                if self._dangling_m2o(table, f, row[f]):
                    raise self.restrict_error(table, f)  # the INSERT's foreign key
        now = self.now()
        for f, v in (
            ("create_date", now),
            ("write_date", now),
            ("create_uid", self.uid),
            ("write_uid", self.uid),
        ):
            if f in table.fields:
                row[f] = v
        behaviours.before_create(self, table, row)
        translations.created(self, table, row)
        mandatory = MANDATORY.get(table.name)
        for f, d in table.fields.items():
            unset = row.get(f) in (None, False, "") and d.get("required") and d.get("store", True)
            if unset and (
                (mandatory is not None and f in mandatory)
                or (mandatory is None and d.get("type") not in X2MANY and f != "id")
            ):
                raise self.required_error(table, f)
        for f, d in table.fields.items():
            if (
                d.get("type") in X2MANY
                and self.inverse_of(table, f) is None
                and self.m2m_owner(table, f) is None
            ):
                row.setdefault(f, [])
        self._save(table, row.get("id", table.next_id))
        rid = table.insert(row)
        for f, cmds in later.items():
            self.apply_x2many(table, rid, f, cmds)
        return rid

    # -- write ----------------------------------------------------------------------------
    def write_records(self, table: Table, ids: list[int], vals: dict[str, Any]) -> bool:
        if not isinstance(vals, dict):
            raise errors.type_error(f"write() expects a dict of values, got {vals!r}")
        ids = self.existing(table, ids)
        vals = behaviours.inverse_values(self, table, vals)
        for f in vals:
            if f not in table.fields:
                raise self._unknown_field(table, f)
        parents: dict[str, dict[str, Any]] = {}
        if table.delegated:
            vals, parents = self._split_delegated(table, vals)
        vals = {
            f: behaviours.string_many2one(self, table, f, v)
            if isinstance(v, str) and table.fields[f].get("type") == "many2one"
            else v
            for f, v in vals.items()
        }
        scalars = {
            f: self.convert_in(table, f, v)
            for f, v in vals.items()
            if table.fields[f].get("type") not in X2MANY and f != "id"
        }
        for f, v in scalars.items():
            if self._dangling_m2o(table, f, v):
                # Odoo reads the target while recomputing what depends on the field
                comodel = self.tables[str(table.fields[f].get("relation"))]
                raise self.missing_error(comodel, [v])
        now = self.now()
        for rid in ids:
            self._save(table, rid)
            row = table.rows[rid]
            row.update(translations.write(self, table, row, scalars))
            if "write_date" in table.fields:
                row["write_date"] = now
            if "write_uid" in table.fields:
                row["write_uid"] = self.uid
            for f, v in vals.items():
                if table.fields[f].get("type") in X2MANY:
                    self.apply_x2many(table, rid, f, v)
        table.touch()
        for link, pvals in parents.items():
            if pvals:  # _inherits: the parents' fields are written on the parents
                parent = self.tables[str(table.fields[link].get("relation"))]
                held = (m2o_id(table.rows[rid].get(link)) for rid in ids)
                self.write_records(parent, list(dict.fromkeys(i for i in held if i)), pvals)
        behaviours.check_constraints(self, table, ids)  # before derived values spread
        behaviours.after_change(self, table, ids, created=False, fields=set(vals))
        automation.trigger(self, table, ids, "write")
        return True

    def _dangling_m2o(self, table: Table, fname: str, value: Any) -> bool:
        field = table.fields[fname]
        return (
            field.get("type") == "many2one"
            and value is not False
            and self.dangling(str(field.get("relation")), value)
        )

    # -- x2many commands --------------------------------------------------------------------
    def apply_x2many(self, table: Table, rid: int, fname: str, commands: Any) -> None:
        field = table.fields[fname]
        comodel = self.tables.get(field.get("relation", ""))
        inv = self.inverse_of(table, fname)
        if commands is False or commands is None:
            commands = [(5, 0, 0)]
        if commands and all(isinstance(c, int) and not isinstance(c, bool) for c in commands):
            commands = [(6, 0, list(commands))]
        current = self.x2many_ids(table, table.rows[rid], fname)
        before = list(current)
        for cmd in commands:
            if not isinstance(cmd, (list, tuple)) or not cmd:
                raise errors.value_error(f"Invalid x2many command {cmd!r} for field {fname!r}")
            code = cmd[0]
            arg = cmd[1] if len(cmd) > 1 else 0
            data = cmd[2] if len(cmd) > 2 else None
            if code == 0:
                if comodel is None:
                    raise errors.value_error(f"Cannot create {field.get('relation')} records here")
                vals = dict(data or {})
                if inv is not None:
                    vals[inv[1]] = rid
                new = self.create_records(comodel, [vals])[0]
                if inv is None:
                    current.append(new)
            elif code == 1:
                if comodel is not None:
                    self.write_records(comodel, [int(arg)], dict(data or {}))
            elif code == 2:
                if comodel is not None and int(arg) in comodel.rows:
                    self.unlink_records(comodel, [int(arg)])
                current = [i for i in current if i != arg]
            elif code == 3:
                current = [i for i in current if i != arg]
                if inv is not None:
                    self._detach(inv[0], inv[1], [int(arg)])
            elif code == 4:
                if inv is None and comodel is not None and self.dangling(comodel.name, int(arg)):
                    raise self.relation_fk_error(table, fname)
                if int(arg) not in current:
                    current.append(int(arg))
                if inv is not None:
                    self._set_inverse(inv[0], inv[1], [int(arg)], rid)
            elif code == 5:
                if inv is not None:
                    self._detach(inv[0], inv[1], current)
                current = []
            elif code == 6:
                new_ids = [int(i) for i in (data or [])]
                target = comodel.name if comodel is not None and inv is None else ""
                if target and any(self.dangling(target, i) for i in new_ids):
                    raise self.relation_fk_error(table, fname)
                if inv is not None:
                    self._detach(inv[0], inv[1], [i for i in current if i not in new_ids])
                    self._set_inverse(inv[0], inv[1], new_ids, rid)
                current = list(dict.fromkeys(new_ids))
            else:
                raise errors.value_error(f"Unknown x2many command {code!r} for field {fname!r}")
        owner = self.m2m_owner(table, fname)
        if owner is not None:
            self._sync_owner(owner[0], owner[1], rid, before, current)
        elif inv is None:
            self._save(table, rid)
            table.rows[rid][fname] = current
            table.touch()

    def _sync_owner(
        self, owner: Table, ofield: str, rid: int, before: list[int], after: list[int]
    ) -> None:
        """Apply a change of the computed side of a many2many pair to the rows of its owner."""
        gone, new = set(before) - set(after), [i for i in after if i not in before]
        for oid in [*gone, *new]:
            row = owner.rows.get(oid)
            if row is None:
                continue
            self._save(owner, oid)
            ids = [i for i in (row.get(ofield) or []) if i != rid]
            row[ofield] = ids if oid in gone else [*ids, rid]
        owner.touch()

    def _detach(self, comodel: Table, inverse: str, ids: list[int]) -> None:
        """Records leaving a one2many: deleted when their many2one to the parent is
        ``ondelete='cascade'`` (order lines), else their many2one is emptied, which a required
        many2one refuses like Odoo's NOT NULL constraint."""
        field = comodel.fields.get(inverse, {})
        if ondelete(comodel.name, inverse, field) == "cascade":
            self.unlink_records(comodel, [i for i in ids if i in comodel.rows])
        elif field.get("required") and any(i in comodel.rows for i in ids):
            raise self.required_error(comodel, inverse)
        else:
            self._set_inverse(comodel, inverse, ids, False)

    def _set_inverse(self, comodel: Table, inverse: str, ids: list[int], value: Any) -> None:
        for i in ids:
            if i in comodel.rows:
                self._save(comodel, i)
                comodel.rows[i][inverse] = value
        comodel.touch()

    # -- unlink / copy ------------------------------------------------------------------------
    def unlink_records(self, table: Table, ids: Any) -> bool:
        ids = self.existing(table, ids)
        behaviours.before_unlink(self, table, ids)
        automation.trigger(self, table, ids, "unlink")
        removed = [table.rows[rid] for rid in ids]
        for rid in ids:
            self._save(table, rid)
        table.delete(ids)
        gone = set(ids)
        # cascade / set null on many2one pointing here; relation rows of many2many go too
        for other in self.tables.values():
            for fname, d in other.fields.items():
                if d.get("type") == "many2many" and d.get("relation") == table.name:
                    for r in other.rows.values():
                        held = r.get(fname)
                        if held and not gone.isdisjoint(held):
                            self._save(other, r["id"])
                            r[fname] = [i for i in held if i not in gone]
                            other.touch()
                    continue
                if d.get("type") != "many2one" or d.get("relation") != table.name:
                    continue
                hits = [r for r in other.rows.values() if m2o_id(r.get(fname)) in gone]
                if not hits:
                    continue
                policy = ondelete(other.name, fname, d)
                if policy == "restrict":
                    raise self.restrict_error(other, fname)
                if policy == "cascade":
                    self.unlink_records(other, [r["id"] for r in hits])
                else:
                    for r in hits:
                        self._save(other, r["id"])
                        r[fname] = False
                    # what depends on the emptied many2one is recomputed, as after a write
                    # (a contact whose company is deleted becomes its own commercial partner)
                    kept = [r["id"] for r in hits if r["id"] in other.rows]
                    behaviours.after_change(self, other, kept, created=False, fields={fname})
        behaviours.after_unlink(self, table, removed)
        return True

    def copy_record(self, table: Table, rid: int, default: dict[str, Any] | None) -> int:
        (rid,) = self.existing(table, [rid])
        vals = self._copy_values(table, table.rows[rid])
        vals.update(default or {})
        return self.create_records(table, [vals])[0]

    def _copy_values(self, table: Table, src: Row, inverse: str | None = None) -> dict[str, Any]:
        """Values of a copy of ``src``: stored fields, many2many as (6, 0, ids), one2many only
        when Odoo declares it ``copy=True`` (order lines), as (0, 0, line values)."""
        skip = {"id", "create_date", "write_date", "create_uid", "write_uid", "display_name"}
        vals: dict[str, Any] = {}
        for f, d in table.fields.items():
            if f in skip or f == inverse or d.get("store") is False or d.get("readonly"):
                continue
            if d.get("type") == "one2many":
                comodel = self.tables.get(str(d.get("relation")))
                if (table.name, f) in COPIED_ONE2MANY and comodel is not None:
                    lines = self.x2many_read(table, src, f)
                    back = d.get("relation_field")
                    vals[f] = [
                        (0, 0, self._copy_values(comodel, comodel.rows[i], back)) for i in lines
                    ]
                continue
            if f in src:
                v = src[f]
                vals[f] = [(6, 0, list(v))] if d.get("type") == "many2many" else v
        vals.update(behaviours.copy_defaults(self, table, src))
        return vals
