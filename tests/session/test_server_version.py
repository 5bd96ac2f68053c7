"""ServerVersion: parsing the servers' answers and comparing."""

from __future__ import annotations

import json

import pytest

from odoorm.exceptions import ConfigurationError
from odoorm.version import ServerVersion


def test_odoo18_suffix_is_ignored_for_numbers():
    info = {
        "server_version": "18.0+e-20241005",
        "server_version_info": [18, 0, 0, "final", 0, ""],
        "server_serie": "18.0",
        "protocol_version": 1,
    }
    v = ServerVersion.from_probe(info)
    assert (v.major, v.minor) == (18, 0)
    assert v.text == "18.0+e-20241005"


def test_web_version_shape_of_odoo19():
    v = ServerVersion.from_probe({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"})
    assert v == ServerVersion(19, 0, "19.0")


def test_saas_release_with_string_major():
    v = ServerVersion.from_probe(
        {"server_version": "saas~17.2", "server_version_info": ["saas~17", 2, 0, "final", 0, ""]}
    )
    assert v.as_tuple() == (17, 2)


def test_falls_back_to_serie_then_text():
    assert ServerVersion.from_probe({"server_serie": "16.0"}).major == 16
    assert ServerVersion.from_probe({"server_version": "saas~16.4+e"}).as_tuple() == (16, 4)


def test_unreadable_answer_is_a_clear_error():
    with pytest.raises(ConfigurationError, match="Odoo server"):
        ServerVersion.from_probe({"hello": "world"})


@pytest.mark.parametrize("folder", ["odoo17", "odoo18", "odoo19"])
def test_recorded_version_answers(recordings_dir, folder):
    path = recordings_dir / folder / "0002-jsonrpc-version.json"
    result = json.loads(path.read_text())["response"]["body"]["result"]
    v = ServerVersion.from_probe(result)
    assert v.major == int(folder[-2:])
    assert v.minor == 0


def test_comparisons():
    v = ServerVersion(18, 0, "18.0")
    assert v >= (17, 0)
    assert v > (17, 4)
    assert v < (18, 1)
    assert v == (18, 0)
    assert v == 18
    assert v != 17
    assert v >= 18
    assert not v > 18
    assert ServerVersion(18, 3) >= 18
    assert not ServerVersion(18, 3) > 18
    assert ServerVersion(18, 3) > (18, 0)
    assert v < ServerVersion(19, 0)
    assert sorted([ServerVersion(19), ServerVersion(17), v]) == [17, 18, 19]
    assert v == (18, 0, 0)
    assert hash(v) == hash(ServerVersion(18, 0, "18.0+e"))
    assert str(v) == "18.0"


def test_comparing_with_unrelated_types():
    v = ServerVersion(18, 0)
    assert v != "18.0"
    with pytest.raises(TypeError):
        _ = v < "18.0"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("given", "expected"),
    [(18, (18, 0)), ("17.0", (17, 0)), ((19, 0), (19, 0)), (16.0, (16, 0)), ("saas~17.2", (17, 2))],
)
def test_coerce(given, expected):
    assert ServerVersion.coerce(given).as_tuple() == expected


@pytest.mark.parametrize("bad", [True, "latest", (), None, [18], 0, -1, (0, 0), (18, -1), (True,)])
def test_coerce_rejects(bad):
    with pytest.raises(ConfigurationError, match="not an Odoo version"):
        ServerVersion.coerce(bad)
