"""Declarative models: ``class Partner(odoorm.Model)``, records, save and delete.

A model class declares typed fields (:mod:`odoorm.fields`) for one Odoo model.
Its records are identity-mapped per connection (one live object per record),
load lazily by prefetch group and send their changes back in one call.

The package's modules: :mod:`~odoorm.models.model` (``Model``),
:mod:`~odoorm.models.manager` (``Model.objects``), :mod:`~odoorm.models.meta`
(``_meta``, the metaclass, the schema check), :mod:`~odoorm.models.state`
(``RecordState``: one record's values, stamps, group, connection, changes),
:mod:`~odoorm.models.records` (identity map, row loading, invalidation),
:mod:`~odoorm.models.prefetching` (prefetch groups, lazy loads),
:mod:`~odoorm.models.related` (x2many related sets) and
:mod:`~odoorm.models.dynamic` (classes built from ``fields_get``).
"""

from odoorm.models.dynamic import dynamic_class, env_class
from odoorm.models.manager import Manager
from odoorm.models.meta import ModelBase, ModelMeta, SchemaError, resolve_connection
from odoorm.models.model import Model
from odoorm.models.prefetching import prefetch

__all__ = [
    "Manager",
    "Model",
    "ModelBase",
    "ModelMeta",
    "SchemaError",
    "dynamic_class",
    "env_class",
    "prefetch",
    "resolve_connection",
]
