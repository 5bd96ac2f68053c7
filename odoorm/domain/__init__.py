"""The domain compiler: ``Q`` objects and raw Odoo domains to normalised prefix domains.

``Q(name__icontains="acme") | ~Q(active=False)`` compiles to
``['|', ('name', 'ilike', 'acme'), '!', ('active', '=', False)]``. The package
is pure (no I/O): :mod:`~odoorm.domain.q` (the Q tree),
:mod:`~odoorm.domain.compiler` (field paths, checks, normal form),
:mod:`~odoorm.domain.lookups` (the lookup registry and the built-in lookups)
and :mod:`~odoorm.domain.leaves` (raw domains, wire values, the shapes of the
model information compiled against).
"""

from odoorm.domain.context import LookupContext
from odoorm.domain.leaves import (
    FieldInfo,
    ModelInfo,
    SubDomain,
    escape_like,
    normalize,
    to_wire,
)
from odoorm.domain.lookups import (
    Lookup,
    get_lookup,
    lookup_names,
    register_lookup,
    unregister_lookup,
)
from odoorm.domain.q import AND, OR, DomainLike, Q, to_domain

__all__ = [
    "AND",
    "OR",
    "DomainLike",
    "FieldInfo",
    "Lookup",
    "LookupContext",
    "ModelInfo",
    "Q",
    "SubDomain",
    "escape_like",
    "get_lookup",
    "lookup_names",
    "normalize",
    "register_lookup",
    "to_domain",
    "to_wire",
    "unregister_lookup",
]
