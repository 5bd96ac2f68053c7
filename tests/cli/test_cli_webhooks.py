"""``odoorm webhooks install|list|remove|serve`` against the emulator."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

import odoorm
from odoorm import webhooks
from odoorm.cli import main

URL = "https://hooks.example.com/odoo/a-secret-token-in-the-url"


@pytest.fixture
def odoo():
    from odoorm.testing import Emulator

    with Emulator(version=18, now="2030-01-01 09:00:00") as emu:
        conn = odoorm.connect(
            emu.url, db=emu.db, user=emu.login, password=emu.password, default=False
        )
        webhooks.install_base_automation(conn)
        conn.close()
        yield emu
    odoorm.set_default_connection(None)


def _flags(odoo):
    return ["--url", odoo.url, "--db", odoo.db, "--user", odoo.login, "--password", odoo.password]


def test_install_list_remove(odoo, capsys):
    domain = '[["is_company", "=", true]]'
    args = ["webhooks", "install", "res.partner", URL, "--on", "create,unlink", "--name", "crm"]
    assert main([*args, "--fields", "name,email", "--domain", domain, *_flags(odoo)]) == 0
    out = capsys.readouterr().out
    assert "'crm' installed: res.partner create,unlink -> https://hooks.example.com/..." in out
    assert "secret" not in out
    assert main(["webhooks", "list", *_flags(odoo)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("crm\tres.partner\tcreate,unlink\thttps://hooks.example.com/...")
    assert "fields=name,email,write_date" in line and "('is_company', '=', True)" in line
    assert main(["webhooks", "list", "--show-url", *_flags(odoo)]) == 0
    assert URL in capsys.readouterr().out
    assert main(["webhooks", "remove", "nope", *_flags(odoo)]) == 1
    assert "no hook named 'nope' (installed: crm)" in capsys.readouterr().err
    assert main(["webhooks", "remove", "crm", *_flags(odoo)]) == 0
    assert main(["webhooks", "list", *_flags(odoo)]) == 0
    assert "none installed" in capsys.readouterr().err


def test_install_on_a_bad_field_says_so(odoo, capsys):
    args = ["webhooks", "install", "res.partner", URL, "--fields", "emial", *_flags(odoo)]
    assert main(args) == 1
    assert "has no field 'emial'" in capsys.readouterr().err


def test_serve_prints_one_json_line_per_event(monkeypatch, capsys):
    token = "t" * 32
    monkeypatch.setenv("ODOORM_WEBHOOK_TOKEN", token)
    codes = []
    server = threading.Thread(
        target=lambda: codes.append(main(["webhooks", "serve", "--port", "0", "--count", "2"]))
    )
    server.start()
    url = None
    while url is None and server.is_alive():
        time.sleep(0.01)
        err = capsys.readouterr().err
        if "receiving at " in err:
            url = err.split("receiving at ", 1)[1].split()[0]
    assert url is not None and url.endswith(token)
    payload = {"_action": "x(#1)", "_id": 7, "_model": "res.partner", "id": 7, "name": "A"}
    for body in (payload, payload, payload, {**payload, "name": "B"}):  # duplicates: one line
        assert requests.post(url, json=body, timeout=5).status_code == 200
    server.join(30)
    assert codes == [0]
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["values"] for line in lines] == [{"name": "A"}, {"name": "B"}]
