"""The emulator writes nothing to stderr by default: Odoo 19's deprecation warnings and
dropped connections go through ``logging`` only (odoorm installs a NullHandler)."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

from odoorm.testing import Emulator

SCRIPT = textwrap.dedent(
    """
    import json, socket, urllib.request, xmlrpc.client
    from odoorm.testing import Emulator

    with Emulator(version=19) as odoo:
        common = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common")
        uid = common.authenticate(odoo.db, odoo.login, odoo.password, {})
        body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [odoo.db, uid, odoo.password, "res.partner", "search_count", [[]]]}}
        req = urllib.request.Request(f"{odoo.url}/jsonrpc", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
        assert json.load(urllib.request.urlopen(req))["result"] > 0
        host, port = odoo.url.split("//")[1].split(":")
        s = socket.create_connection((host, int(port)))   # a client that gives up mid-request
        s.sendall(b"POST /jsonrpc HTTP/1.1\\r\\nContent-Length: 1000\\r\\n\\r\\n{")
        s.close()
        s = socket.create_connection((host, int(port)))   # a malformed request
        s.sendall(b"POST /jsonrpc HTTP/1.1\\r\\nContent-Length: x\\r\\n\\r\\n")
        s.recv(100)
        s.close()
    print("done")
    """
)


def test_nothing_on_stderr_by_default() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "done"
    assert proc.stderr == ""


def test_deprecation_warnings_are_log_records(caplog) -> None:
    import xmlrpc.client

    with (
        caplog.at_level(logging.WARNING, logger="odoorm.testing.server"),
        Emulator(version=19) as odoo,
        xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common") as common,
    ):
        common.version()
    records = [r for r in caplog.records if r.name == "odoorm.testing.server"]
    assert records and all(r.levelno == logging.WARNING for r in records)
    assert "deprecated" in records[0].getMessage().lower()
