"""The lazy QuerySet: chain filters, slices and orderings; nothing is sent until needed.

The package's modules: :mod:`~odoorm.query.queryset` (evaluation and the
direct answers), :mod:`~odoorm.query.plan` (the frozen plan and the builder
methods), :mod:`~odoorm.query.paths` (``values()`` paths and row loaders),
:mod:`~odoorm.query.related` (``select_related``), :mod:`~odoorm.query.paging`
(keyset and chunked iteration), :mod:`~odoorm.query.groups` (aggregation),
:mod:`~odoorm.query.writes` and :mod:`~odoorm.query.extensions` (the methods
whose work lives in the report and polling layers).
"""

from odoorm.aggregates import ArrayAgg, Avg, Count, CountDistinct, Max, Min, Sum
from odoorm.query.queryset import QuerySet

__all__ = [
    "ArrayAgg",
    "Avg",
    "Count",
    "CountDistinct",
    "Max",
    "Min",
    "QuerySet",
    "Sum",
]
