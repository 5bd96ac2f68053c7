"""The pytest fixtures of odoorm.testing.pytest_plugin (loaded via the pytest11 entry point)."""

from __future__ import annotations

import xmlrpc.client

import pytest

from tests.emulator.fake_db import FakeDatabase

_SEEN: list = []


def _version(url: str) -> int:
    with xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common") as common:
        return common.version()["server_version_info"][0]


def test_session_fixture_is_a_running_odoo_18(odoo_emulator):
    assert odoo_emulator.version == 18
    assert _version(odoo_emulator.url) == 18
    with xmlrpc.client.ServerProxy(f"{odoo_emulator.url}/xmlrpc/2/common") as common:
        uid = common.authenticate(odoo_emulator.db, odoo_emulator.login, odoo_emulator.password, {})
    with xmlrpc.client.ServerProxy(f"{odoo_emulator.url}/xmlrpc/2/object") as models:
        count = models.execute_kw(
            odoo_emulator.db, uid, odoo_emulator.password, "res.partner", "search_count", [[]]
        )
    assert count > 0


def test_session_fixture_is_shared(odoo_emulator, request):
    assert request.getfixturevalue("odoo_emulator") is odoo_emulator


@pytest.mark.parametrize("fixture", ["odoo_emulator16", "odoo_emulator17", "odoo_emulator19"])
def test_versioned_fixtures(fixture, request):
    emulator = request.getfixturevalue(fixture)
    assert _version(emulator.url) == int(fixture[-2:])


def test_make_emulator_builds_and_stops(make_emulator):
    first = make_emulator(version=19, database=FakeDatabase("x", 19), db="x")
    second = make_emulator(version=17, database=FakeDatabase("y", 17), db="y")
    assert _version(first.url) == 19 and _version(second.url) == 17
    assert first.url != second.url
    _SEEN.extend((first, second))  # checked after teardown by the next test


def test_make_emulator_stopped_at_teardown():
    assert len(_SEEN) == 2
    for emulator in _SEEN:
        with pytest.raises(RuntimeError, match="not running"):
            _ = emulator.url


def test_make_emulator_with_demo_data(make_emulator):
    emulator = make_emulator(version=18, login_cooldown=False)
    assert emulator.database.name == "odoorm"
    assert emulator.cooldown.enabled is False
