"""Pickling and copying records: an unpickled record is *detached*.

``pickle.dumps(record)`` (and ``copy.copy``/``copy.deepcopy``) keep a record's
model class, id, the values it had loaded (those still fresh), its unsaved and
set-aside changes and the attributes you set on it; not its connection, which
holds sockets and locks. What comes back is a new object, *detached*: it lives
outside every connection's identity map, in a small map of its own shared by
the records unpickled together (so ``p.parent`` finds the unpickled parent when
it came in the same ``dumps``). Its loaded values read as they were, for as
long as you keep it; what it would have to load raises :class:`LazyLoadError`
(detached records make no call), and ``save()`` needs ``using=conn``. It
compares equal to the live record (same model, id and identity), but it is not
the same object: ``Partner.objects.get(id=p.id)`` gives the live one.

A new (unsaved) record unpickles as a new record, as if just built.

Model classes pickle by reference (declared classes must be importable, as for
any pickled class); a class built from ``fields_get`` (``conn.env[...]``, or a
relation target nobody declared) pickles as its Odoo model name and the fields
the server described, and unpickles as the process's class for that model.
"""

from __future__ import annotations

import copyreg
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, SupportsIndex, TypeVar

from odoorm.exceptions import LazyLoadError, OdoormError
from odoorm.fields.relational import registry
from odoorm.models.meta import ModelBase
from odoorm.models.state import RecordState
from odoorm.session.cache import RecordCache

if TYPE_CHECKING:
    from collections.abc import Hashable

    from odoorm.models.records import RecordIO

__all__ = [
    "DetachedConnection",
    "copy_record",
    "detached_for",
    "record_getstate",
    "record_setstate",
    "reduce_record",
    "restore_record",
]

R = TypeVar("R", bound="RecordIO")

#: read methods: a detached record that needs one raises LazyLoadError
_READS = frozenset({"read", "search_read", "web_read", "web_search_read", "search", "name_get"})


class DetachedConnection:
    """The stand-in connection of detached records: a map of their own, no calls.

    Its ``identity_token`` is the one of the connection the records came from,
    so a detached record equals (and hashes like) the live one.
    """

    lazy = "load"
    check_schema = False
    readonly = True

    def __init__(self, token: Hashable = None) -> None:
        self.identity_token = token
        self.cache = RecordCache(maxsize=0, ttl=None)  # what the program holds, for ever fresh
        self.context: dict[str, Any] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # a new map per unpickling (pickle shares it between the records of one dumps)
        return (DetachedConnection, (self.identity_token,))

    def rpc(self, model: str, method: str, ids: Any = None, /, **kwargs: Any) -> Any:
        where = f"{model}({', '.join(map(str, ids))})" if isinstance(ids, list) else model
        if method in _READS:
            raise LazyLoadError(
                f"{where} is detached (unpickled or copied): it makes no call, so what it had "
                f"not loaded when pickled cannot be read; get the live record, e.g. "
                f"Model.objects.get(id=...), or prefetch before pickling"
            )
        raise OdoormError(
            f"{where} is detached (unpickled or copied): {method} needs a connection; "
            f"save(using=conn) writes its changes through one"
        )

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.rpc(model, method)

    def fields_get(self, model: str) -> dict[str, dict[str, Any]]:
        return {}  # dynamic classes got their fields when unpickled

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise OdoormError(
            f"this record is detached (unpickled or copied): it has no connection ({name}); "
            f"use the live record, or pass using=conn"
        )

    def __repr__(self) -> str:
        return "<DetachedConnection>"


_tokens_lock = threading.Lock()
_tokens: dict[Hashable, DetachedConnection] = {}


def detached_for(conn: Any) -> DetachedConnection | None:
    """What the records of ``conn`` pickle with: one object per identity token, so
    that the records of one ``dumps`` share one detached map once unpickled."""
    if conn is None:
        return None
    if isinstance(conn, DetachedConnection):
        return conn
    token = conn.identity_token
    with _tokens_lock:
        found = _tokens.get(token)
        if found is None:
            found = _tokens[token] = DetachedConnection(token)
        return found


def restore_record(
    cls: type[RecordIO], detached: DetachedConnection | None, ident: int | None
) -> Any:
    """The object an unpickled record becomes (its values come next, by __setstate__)."""
    if ident is None or detached is None:
        rec = cls.__new__(cls)
        rec._state = RecordState(None, None, None, {}, {})
        return rec
    return cls._get_or_create(detached, ident)  # type: ignore[arg-type]


# -- records (Model's __reduce_ex__, __getstate__, __setstate__, __copy__) -----------------


def reduce_record(rec: RecordIO, protocol: SupportsIndex) -> tuple[Any, ...]:
    """``Model.__reduce_ex__``: rebuilt by :func:`restore_record`, then its state."""
    state = rec._state
    return (restore_record, (type(rec), detached_for(state.conn), state.id), record_getstate(rec))


def record_getstate(rec: RecordIO) -> dict[str, Any]:
    """``Model.__getstate__``: the fresh loaded values, unsaved and set-aside
    changes, and the attributes set on the record; not its connection."""
    state = rec._state
    cache = state.cache
    saved: dict[str, Any] = {}
    if cache is not None:
        stamps = state.stamps
        saved["raw"] = {
            k: v for k, v in state.raw.items() if cache.is_fresh(stamps.get(k), _epoch(state))
        }
    if state.dirty:
        saved["dirty"] = dict(state.dirty)
    if state.rejected:
        saved["rejected"] = dict(state.rejected)
    ops = {name: list(rel._ops) for name, rel in (state.x2m or {}).items() if rel._ops}
    if ops:
        saved["ops"] = ops
    if state.deleted:
        saved["deleted"] = True
    attributes = getattr(rec, "__dict__", None)
    if attributes:
        saved["attributes"] = dict(attributes)
    return saved


def record_setstate(rec: RecordIO, saved: Mapping[str, Any]) -> None:
    """``Model.__setstate__``: take what :func:`record_getstate` kept."""
    state = rec._state
    raw = saved.get("raw")
    if raw and state.id is not None:
        with state.cache.lock:
            state.apply(dict(raw), state.cache.stamp())
    state.deleted = bool(saved.get("deleted"))
    state.dirty = dict(saved["dirty"]) if saved.get("dirty") else None
    state.rejected = dict(saved["rejected"]) if saved.get("rejected") else None
    for name, ops in saved.get("ops", {}).items():
        rec._related(rec._meta.fields[name])._ops = list(ops)
    if saved.get("attributes"):
        rec.__dict__.update(saved["attributes"])


def copy_record(rec: R) -> R:
    """``Model.__copy__``: a detached copy in a map of its own (values shared)."""
    state = rec._state
    token = detached_for(state.conn)
    fresh = None if token is None else DetachedConnection(token.identity_token)
    copied: R = restore_record(type(rec), fresh, state.id)
    record_setstate(copied, record_getstate(rec))
    return copied


# -- model classes ----------------------------------------------------------------------


def _reduce_model_class(cls: Any) -> Any:
    meta = getattr(cls, "_meta", None)
    if meta is None or not meta.dynamic:
        return cls.__qualname__  # by reference, as pickle does for any class
    description: dict[str, Any] = {}
    conn = meta.bound_conn
    if conn is not None:
        description = conn.fields_get(meta.odoo_model)  # cached by the connection
    else:
        description = {name: _describe(f) for name, f in meta.fields.items()}
    return (restore_dynamic_class, (meta.odoo_model, description))


def _describe(field: Any) -> dict[str, Any]:
    """Enough of a ``fields_get`` entry to rebuild ``field``."""
    desc: dict[str, Any] = {"type": field.type, "string": field.string, "readonly": field.readonly}
    relation = getattr(field, "comodel_name", None)
    if relation:
        desc["relation"] = relation
    selection = getattr(field, "selection", None)
    if selection is not None:
        desc["selection"] = [list(item) for item in selection]
    return desc


def restore_dynamic_class(odoo_model: str, description: dict[str, Any]) -> type:
    """The process's class for ``odoo_model`` (nobody declared it), with the fields
    the pickling process knew."""
    if registry.dynamic_factory is None:  # pragma: no cover - odoorm.models is imported here
        raise OdoormError(f"cannot rebuild the class of {odoo_model}: odoorm.models is not loaded")
    cls = registry.dynamic_factory(odoo_model)
    cls._meta.add_described(description)  # type: ignore[attr-defined]
    return cls


copyreg.pickle(ModelBase, _reduce_model_class)


def _epoch(state: Any) -> int:
    """The query epoch a record's values are fresh for (``cache_ttl=0``)."""
    return state.group.epoch if state.group is not None else 0
