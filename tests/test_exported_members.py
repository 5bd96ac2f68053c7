"""The public surface: everything in ``odoorm.__all__`` exists, and nothing else is exported."""

import odoorm


def test_all_names_exist():
    missing = [name for name in odoorm.__all__ if not hasattr(odoorm, name)]
    assert not missing


def test_all_is_sorted_and_unique():
    assert list(odoorm.__all__) == sorted(set(odoorm.__all__))


def test_public_names_are_exported():
    public = {
        name
        for name, value in vars(odoorm).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("odoorm")
    }
    # IPython's extension hooks (%load_ext odoorm) are a protocol, not API
    hooks = {"load_ipython_extension", "unload_ipython_extension"}
    assert public <= set(odoorm.__all__) | {"fields"} | hooks


def test_design_md_imports():
    # the import line of DESIGN.md's public API contract
    from odoorm import Avg, Command, Count, Max, Min, Q, Sum, fields  # noqa: F401

    assert callable(odoorm.connect)
    assert issubclass(odoorm.MissingError, odoorm.OdooError)
