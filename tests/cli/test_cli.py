"""The ``odoorm`` command, run in-process with ``main([...])`` against the emulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from odoorm.cli import main

ENV_NAMES = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD", "ODOO_API_KEY", "ODOO_PROTOCOL")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    yield
    from odoorm.session import set_default_connection

    set_default_connection(None)


@pytest.fixture(scope="module")
def emulator():
    from odoorm.testing import Emulator

    with Emulator(version=18) as odoo:
        yield odoo


def _server_flags(odoo):
    return ["--url", odoo.url, "--db", odoo.db, "--user", odoo.login, "--password", odoo.password]


# --------------------------------------------------------------------------- usage and errors


def test_no_command_prints_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "usage: odoorm" in capsys.readouterr().err


def test_bad_flag_prints_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["call", "res.partner", "search", "--bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: odoorm call") and "unrecognized arguments: --bogus" in err


def test_bad_protocol_choice_prints_usage(capsys):
    with pytest.raises(SystemExit):
        main(["call", "res.partner", "search", "--protocol", "soap"])
    assert "invalid choice: 'soap'" in capsys.readouterr().err


def test_missing_server_is_one_clear_line(capsys):
    assert main(["call", "res.partner", "search_count", "[[]]"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no Odoo server given: pass --url (or set ODOO_URL)" in err
    assert "Traceback" not in err


def test_bad_json_arguments(capsys):
    assert main(["call", "res.partner", "search_count", "[[", "--url", "http://x"]) == 1
    err = capsys.readouterr().err
    assert "ARGS '[[' is not valid JSON" in err
    assert """e.g. '[[["is_company", "=", true]]]'""" in err
    assert main(["call", "res.partner", "read", '{"a": 1}', "--url", "http://x"]) == 1
    err = capsys.readouterr().err
    assert "ARGS must be a JSON array" in err and "named arguments go in --kwargs" in err


def test_python_literals_instead_of_json_get_a_hint(capsys):
    assert main(["call", "res.partner", "search", "[[('a', '=', True)]]", "--url", "http://x"]) == 1
    assert "JSON writes strings in double quotes" in capsys.readouterr().err
    code = main(
        ["call", "res.partner", "search", "[[]]", "--kwargs", "limit=1", "--url", "http://x"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "--kwargs 'limit=1' is not valid JSON" in err and '"limit": 5}' in err


def test_missing_credentials_name_the_flags(emulator, capsys):
    flags = ["--url", emulator.url, "--db", emulator.db, "--user", emulator.login]
    assert main(["call", "res.partner", "search_count", "[[]]", *flags]) == 1
    err = capsys.readouterr().err
    assert "pass --password or --api-key, or set ODOO_PASSWORD or ODOO_API_KEY" in err
    assert "password=..." not in err


def test_unreachable_server_is_one_line(capsys):
    code = main(["call", "res.partner", "search_count", "[[]]", "--url", "http://127.0.0.1:9"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("odoorm call: error: ") and err.count("\n") == 1


# --------------------------------------------------------------------------- call


def test_call_prints_json(emulator, capsys):
    argv = ["call", "res.partner", "search_read", '[[["is_company", "=", true]]]']
    argv += [
        "--kwargs",
        '{"fields": ["name"], "limit": 2, "order": "id"}',
        *_server_flags(emulator),
    ]
    assert main(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and set(rows[0]) == {"id", "name"}


def test_call_reads_env_vars(emulator, capsys, monkeypatch):
    monkeypatch.setenv("ODOO_URL", emulator.url)
    monkeypatch.setenv("ODOO_DB", emulator.db)
    monkeypatch.setenv("ODOO_USER", emulator.login)
    monkeypatch.setenv("ODOO_API_KEY", emulator.api_key)
    monkeypatch.setenv("ODOO_PROTOCOL", "xmlrpc")
    assert main(["call", "res.partner", "search_count", "[[]]"]) == 0
    assert int(capsys.readouterr().out) > 0


def test_call_server_error_is_one_line(emulator, capsys):
    argv = ["call", "res.partner", "search", '[[["nope", "=", 1]]]', *_server_flags(emulator)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err and "Traceback" not in err


def test_call_with_embedded_emulator(capsys):
    assert (
        main(["call", "res.country", "search_count", '[[["code", "=", "BE"]]]', "--emulator"]) == 0
    )
    assert capsys.readouterr().out.strip() == "1"


def test_bad_password_is_one_line(emulator, capsys):
    argv = ["call", "res.partner", "search_count", "[[]]", "--url", emulator.url]
    argv += ["--db", emulator.db, "--user", "admin", "--password", "wrong-secret"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wrong-secret" not in err


# --------------------------------------------------------------------------- inspect


def test_inspect_emits_importable_classes_that_query(emulator, capsys, tmp_path, monkeypatch):
    import odoorm
    from odoorm.models import Model

    monkeypatch.setattr(odoorm, "Model", Model, raising=False)  # until the root exports it
    out = tmp_path / "gen_models.py"
    argv = ["inspect", "res.partner", "sale.order", "-o", str(out), *_server_flags(emulator)]
    assert main(argv) == 0
    assert "wrote 2 model(s)" in capsys.readouterr().err
    source = out.read_text()
    assert "class Partner(Model):" in source and "class SaleOrder(Model):" in source
    assert 'partner = fields.Many2one(Partner, source="partner_id"' in source

    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_models", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = odoorm.session.connect(
        emulator.url, db=emulator.db, user=emulator.login, password=emulator.password
    )
    order = module.SaleOrder.objects.using(conn).order_by("id").first()
    assert order is not None and order.partner.display_name
    assert module.Partner.objects.using(conn).filter(is_company=True).count() > 0


def test_inspected_classes_create_what_odoo_creates(emulator, capsys, tmp_path):
    """Required only where the server has no default nor computation: the generated
    SaleOrder(partner=p, order_line=[...]).save() is one create, as in Odoo."""
    import importlib.util

    import odoorm

    out = tmp_path / "gen_sales.py"
    models = ["res.partner", "product.product", "sale.order", "sale.order.line"]
    assert main(["inspect", *models, "-o", str(out), *_server_flags(emulator)]) == 0
    source = out.read_text()
    # what the server fills is not required client-side, and the class says why
    assert 'partner = fields.Many2one(Partner, source="partner_id", required=True)' in source
    assert "    name = fields.Char()\n" in source  # sale.order: default "New", then numbered
    assert 'company = fields.Many2one("res.company", source="company_id")' in source
    assert "    date_order = fields.Datetime()\n" in source
    assert "    name = fields.Text()\n" in source  # sale.order.line: from the product
    note = source[source.index("class SaleOrder(") : source.index("class SaleOrderLine(")]
    note = " ".join(note[note.index("# required by Odoo") :].replace("#", " ").split())
    assert (
        "(a default or a computation): company, date_order, name, partner_invoice, partner_shipping"
        " left out" in note
    )
    # the JSON Odoo carries in a binary computed field, and the measured fields computed when
    # read (type_name, access_url...), are not declared without --all-fields
    left_out = note[note.index("left out (binary or not stored; --all-fields declares them): ") :]
    assert {"tax_totals", "type_name", "access_url"} <= set(left_out.split(": ")[1].split(", "))
    spec = importlib.util.spec_from_file_location("gen_sales", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = odoorm.connect(
        emulator.url,
        db=emulator.db,
        user=emulator.login,
        password=emulator.password,
        default=False,
    )
    partner = module.Partner.objects.using(conn).filter(is_company=True).order_by("id").first()
    product = module.ProductProduct.objects.using(conn).order_by("id").first()
    # customer_lead: required, and filled on create from the product, but real 16-19's
    # fields_get shows no depends and default_get no default: left to the server
    assert "    customer_lead = fields.Float()\n" in source
    lines_note = " ".join(source[source.index("class SaleOrderLine(") :].replace("#", " ").split())
    assert "numbers the server may compute on create" in lines_note
    line = module.SaleOrderLine(product=product, product_uom_qty=3)
    order = module.SaleOrder(partner=partner, order_line=[line])
    order.save(using=conn)
    order.refresh()
    assert order.name.startswith("S") and order.company is not None
    assert order.date_order is not None and order.state == "draft"
    [saved] = list(order.order_line)
    assert saved.name == product.display_name and saved.product_uom_qty == 3
    # conn.env names its classes as inspect does
    assert conn.env["sale.order.line"].__name__ == "SaleOrderLine"
    assert conn.env["res.partner"].__name__ == "Partner"
    conn.close()


def test_inspect_to_stdout(emulator, capsys):
    assert main(["inspect", "res.country", *_server_flags(emulator)]) == 0
    out = capsys.readouterr().out
    assert out.startswith('"""Odoo models generated by `odoorm inspect`.\n\nFrom http://127.0.0.1')
    assert "class Country(Model):" in out and "code = fields.Char(" in out


# --------------------------------------------------------------------------- shell


def test_shell_command_has_conn_and_env(emulator, capsys):
    code = "print(conn.db, env['res.partner']._meta.odoo_model, odoorm.__name__)"
    assert main(["shell", "-c", code, *_server_flags(emulator)]) == 0
    assert capsys.readouterr().out.split() == [emulator.db, "res.partner", "odoorm"]


def test_shell_runs_piped_stdin_as_a_script(emulator, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("print('db is', conn.db)\n"))
    assert main(["shell", *_server_flags(emulator)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"db is {emulator.db}\n"  # no banner, no prompt
    assert "In [" not in captured.out + captured.err


def test_shell_script_errors_and_exit_codes(emulator, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("x = 1\n1 / 0\n"))
    assert main(["shell", *_server_flags(emulator)]) == 1
    err = capsys.readouterr().err
    assert 'File "<stdin>", line 2' in err and "ZeroDivisionError" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("raise SystemExit(3)\n"))
    assert main(["shell", *_server_flags(emulator)]) == 3
    assert main(["shell", "-c", "import sys; sys.exit('bye')", *_server_flags(emulator)]) == 1
    assert capsys.readouterr().err == "bye\n"


def test_shell_with_stdin_closed_does_not_wait_for_a_prompt():
    run = subprocess.run(
        [sys.executable, "-m", "odoorm.cli", "shell", "--emulator"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ENV_NAMES},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""


# --------------------------------------------------------------------------- demo


def test_demo_prints_a_report_from_the_embedded_emulator(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Starting the embedded Odoo 18 emulator" in out
    assert "Top 5 customers by confirmed sales" in out
    assert "Confirmed sales by month" in out
    lines = out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Top ")))
    assert lines[start + 3].lstrip().startswith("1 ")  # a ranked row under the header


@pytest.mark.parametrize("top", ["0", "-1", "two"])
def test_demo_top_must_be_a_positive_number(capsys, top):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--top", top])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --top:" in err and ("at least 1" in err or "whole number" in err)


def test_demo_on_odoo_16_counts_its_locked_orders_as_sold(capsys):
    assert main(["demo", "--version", "16"]) == 0
    out = capsys.readouterr().out
    assert "Odoo 16.0" in out and "Top 5 customers by confirmed sales" in out


def test_demo_on_a_database_without_sales_says_so(capsys):
    import io

    from odoorm.cli.demo import run_demo
    from odoorm.testing import Emulator

    with Emulator(version=18, data=None) as odoo:
        from odoorm.session import connect

        conn = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password)
        out = io.StringIO()
        run_demo(conn, out=out)
        conn.close()
    text = out.getvalue()
    assert "0 sale orders (0 confirmed)" in text and "(1 company)" in text
    assert text.count("(no confirmed sale orders yet)") == 2


def test_demo_uses_odoo_url_when_set(emulator, capsys, monkeypatch):
    monkeypatch.setenv("ODOO_URL", emulator.url)
    monkeypatch.setenv("ODOO_DB", emulator.db)
    monkeypatch.setenv("ODOO_USER", emulator.login)
    monkeypatch.setenv("ODOO_PASSWORD", emulator.password)
    assert main(["demo", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Starting the embedded" not in out
    assert f"Connected to {emulator.url}" in out and "Top 3 customers" in out


# --------------------------------------------------------------------------- emulator


def test_emulator_command_serves_until_interrupted(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "odoorm.cli", "emulator", "--port", "0", "--version", "19"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ENV_NAMES},
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        pairs = [line.split(":", 1) for line in lines if line.startswith("  ") and ":" in line]
        info = {key.strip(): value.strip() for key, value in pairs}
        url = lines[0].rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:")
        assert info["database"] == "odoorm" and info["login"] == "admin"

        from odoorm.session import connect

        conn = connect(url, db=info["database"], user=info["login"], api_key=info["api key"])
        assert conn.version.major == 19
        assert conn.execute("res.partner", "search_count", []) > 0
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out


def test_emulator_missing_data_file(capsys, tmp_path):
    assert main(["emulator", "--data", "/nonexistent/seed.json"]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["emulator", "--data", str(tmp_path)]) == 1
    assert "is a folder: give a seed.json-shaped JSON file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{bad", "is not a JSON file (Expecting property name enclosed in double quotes at line 1"),
        ("[1, 2]", 'expected a JSON object like {"models": {"res.partner"'),
        ('{"models": {"res.partner": []}}', "models['res.partner'] is not an object"),
        ('{"models": {"res.partner": {"records": "x"}}}', '"records" is not a list of objects'),
        ('{"models": {"res.partner": {"fields": [1]}}}', '"fields" is not an object'),
        ('{"models": {"res.partner": {}}}', 'has no res.users record with login "admin"'),
    ],
)
def test_emulator_bad_data_file_says_what_is_wrong(capsys, tmp_path, monkeypatch, content, message):
    import odoorm.cli

    monkeypatch.setattr(odoorm.cli, "_wait_for_interrupt", lambda: None)  # fail, never hang
    seed = tmp_path / "seed.json"
    seed.write_text(content, encoding="utf-8")
    assert main(["emulator", "--port", "0", "--data", str(seed)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"odoorm emulator: error: --data {seed}") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_emulator_port_in_use_is_one_clear_line(emulator, capsys):
    port = emulator.url.rsplit(":", 1)[-1]
    assert main(["emulator", "--port", port]) == 1
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port 0" in err


def test_inspect_unknown_model_names_it(capsys):
    for version in ("17", "19"):  # the servers word it differently; the command does not
        assert main(["inspect", "no.such.model", "--emulator", version]) == 1
        err = capsys.readouterr().err
        assert "no model 'no.such.model' on http://127.0.0.1:" in err
        assert "check the spelling" in err
