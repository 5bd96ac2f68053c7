"""``Model.objects`` forwards every QuerySet method with QuerySet's own signature.

The Manager declares its forwarding methods (so that type checkers see them);
these tests make a drift between a declaration and the QuerySet method fail.
"""

from __future__ import annotations

import inspect

from odoorm.models.manager import Manager
from odoorm.query import QuerySet

#: what the Manager adds of its own (not QuerySet methods)
MANAGER_ONLY = {"browse", "get_queryset"}


def _public_methods(cls: type) -> set[str]:
    return {
        name
        for name in dir(cls)
        if not name.startswith("_")
        and callable(getattr(cls, name))
        and not isinstance(inspect.getattr_static(cls, name), property)
    }


def _shape(cls: type, name: str) -> tuple[list[tuple[str, object, object, object]], str]:
    sig = inspect.signature(getattr(cls, name))
    params = [(p.name, p.kind, p.default, p.annotation) for p in list(sig.parameters.values())[1:]]
    # QuerySet's builder methods return their own type (``_Q``): the Manager, a QuerySet
    returns = "QuerySet[M]" if sig.return_annotation == "_Q" else sig.return_annotation
    return params, returns


def test_every_queryset_method_is_forwarded():
    missing = _public_methods(QuerySet) - _public_methods(Manager)
    assert not missing, f"Manager does not forward {sorted(missing)}"


def test_the_manager_adds_nothing_unexpected():
    extra = _public_methods(Manager) - _public_methods(QuerySet) - MANAGER_ONLY
    assert not extra, f"Manager methods that QuerySet lacks: {sorted(extra)}"


def test_forwarded_signatures_are_the_querysets():
    drifted = [
        f"{name}: Manager{_shape(Manager, name)} != QuerySet{_shape(QuerySet, name)}"
        for name in sorted(_public_methods(QuerySet))
        if _shape(Manager, name) != _shape(QuerySet, name)
    ]
    assert not drifted, "\n".join(drifted)


def test_forwarding_reaches_a_new_queryset_each_time():
    from .demo_models import Partner

    first, second = Partner.objects.all(), Partner.objects.all()
    assert isinstance(first, QuerySet) and first is not second
    assert Partner.objects.filter(name="a").domain == QuerySet(Partner).filter(name="a").domain
