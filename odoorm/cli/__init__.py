"""The ``odoorm`` command.

::

    odoorm demo                          # a sales report from the embedded emulator
    odoorm emulator --port 8069          # serve the emulator for other tools
    odoorm call res.partner search_count '[[["is_company", "=", true]]]'
    odoorm inspect res.partner sale.order > models.py
    odoorm shell                         # Python with `conn` and `env` ready
    odoorm webhooks install|list|remove|serve   # Odoo 17+ webhooks (docs/webhooks.md)

Connection options come from flags or the ``ODOO_*`` environment variables
(flags win). ``--emulator`` runs a command against a fresh embedded emulator.
Bad flags print a usage line (exit 2); an error prints one line (exit 1).
"""

from __future__ import annotations

import argparse
import code
import errno
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TextIO

import odoorm
from odoorm.cli import webhooks
from odoorm.cli.codegen import INSPECT_ATTRIBUTES, generate_models
from odoorm.cli.demo import run_demo
from odoorm.cli.options import (
    VERSIONS,
    add_connection_options,
    connect_emulator,
    open_connection,
    parse_json,
    positive_int,
    setting,
    start_emulator,
)
from odoorm.exceptions import ConfigurationError, OdooError, OdoormError
from odoorm.models import Model

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["build_parser", "main"]


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``odoorm`` command (exposed for docs and tests)."""
    parser = argparse.ArgumentParser(
        prog="odoorm",
        description="A Django-style ORM over Odoo's external API: tools and demo.",
    )
    parser.add_argument(
        "--traceback", action="store_true", help="show the full traceback on errors"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "demo",
        help="print a sales report from the embedded emulator (or ODOO_URL)",
        description="Start the embedded emulator (unless a server is given), declare "
        "models, run real queries and print a small sales report.",
    )
    add_connection_options(p, emulator_flag=False)
    p.add_argument("--version", type=int, choices=VERSIONS, default=18, help="emulated Odoo")
    p.add_argument("--top", type=positive_int, default=5, help="how many customers to list (>= 1)")
    p.set_defaults(func=_cmd_demo, parser=p)

    p = sub.add_parser(
        "emulator",
        help="serve the embedded Odoo emulator until Ctrl-C",
        description="Serve the embedded Odoo emulator (XML-RPC, JSON-RPC, web session "
        "and, on 19, JSON-2) until interrupted.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8069, help="port (0 = any free port)")
    p.add_argument("--version", type=int, choices=VERSIONS, default=18, help="emulated Odoo")
    p.add_argument("--db", default="odoorm", help="database name (default odoorm)")
    p.add_argument(
        "--data", metavar="FILE.json", help="seed data (seed.json shape) instead of the demo set"
    )
    p.add_argument("--empty", action="store_true", help="start with the base schema only")
    p.set_defaults(func=_cmd_emulator, parser=p)

    p = sub.add_parser(
        "call",
        help="call any model method and print the JSON result",
        description="Call MODEL.METHOD with positional arguments given as one JSON array.",
    )
    p.add_argument("model", help="Odoo model, e.g. res.partner")
    p.add_argument("method", help="model method, e.g. search_read")
    p.add_argument("args", nargs="?", default="[]", help="positional arguments as a JSON array")
    p.add_argument("--kwargs", default="{}", help="named arguments as a JSON object")
    add_connection_options(p, emulator_flag=True)
    p.set_defaults(func=_cmd_call, parser=p)

    p = sub.add_parser(
        "inspect",
        help="generate model classes from a server's fields_get",
        description="Print typed odoorm model classes for the given Odoo models.",
    )
    p.add_argument("models", nargs="+", metavar="MODEL", help="Odoo models, e.g. res.partner")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.add_argument(
        "--all-fields",
        action="store_true",
        help="also declare binary and non-stored fields (left out by default: every "
        "declared field is read with each query)",
    )
    add_connection_options(p, emulator_flag=True)
    p.set_defaults(func=_cmd_inspect, parser=p)

    p = sub.add_parser(
        "shell",
        help="interactive Python with a connection in scope",
        description="Start Python (IPython when installed) with `conn`, `env`, `odoorm` and "
        "the declared models in scope.",
    )
    p.add_argument("-c", "--command", dest="code", help="run this code instead of a prompt")
    p.add_argument("--plain", action="store_true", help="use the standard Python prompt")
    add_connection_options(p, emulator_flag=True)
    p.set_defaults(func=_cmd_shell, parser=p)

    webhooks.add_parser(sub)
    return parser


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``odoorm`` command; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # report them with the subcommand's own usage line
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `odoorm demo | head`: the reader left, nothing to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if args.traceback:
            raise
        print(f"odoorm {args.command}: error: {_describe(exc)}", file=sys.stderr)
        return 1


def _describe(exc: BaseException) -> str:
    """One line for an error: odoorm's own errors speak for themselves."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, (OdoormError, OSError, ValueError)):
        return text
    return f"{type(exc).__name__}: {text} (run with --traceback for details)"


# --------------------------------------------------------------------------- connections


# --------------------------------------------------------------------------- emulator


def _cmd_emulator(args: argparse.Namespace) -> int:
    data: Any = "demo"
    if args.empty:
        data = None
    if args.data:
        data = _read_seed(args.data)
    with ExitStack() as stack:
        try:
            emulator = start_emulator(
                stack, args.version, data=data, db=args.db, port=args.port, host=args.host
            )
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise ConfigurationError(
                f"port {args.port} on {args.host} is already in use: stop what serves it, "
                "or pick another with --port (--port 0 takes any free port)"
            ) from exc
        out = sys.stdout
        print(f"odoorm emulator: Odoo {args.version}.0 serving at {emulator.url}", file=out)
        print(f"  database: {emulator.db}", file=out)
        print(f"  login:    {emulator.login}", file=out)
        print(f"  password: {emulator.password}", file=out)
        print(f"  api key:  {emulator.api_key}", file=out)
        print(
            f"  try: ODOO_URL={emulator.url} ODOO_DB={emulator.db} ODOO_USER={emulator.login} "
            f"ODOO_PASSWORD={emulator.password} odoorm call res.partner search_count '[[]]'",
            file=out,
        )
        print("Press Ctrl-C to stop.", file=out, flush=True)
        _wait_for_interrupt()
    print("odoorm emulator: stopped", file=sys.stdout, flush=True)
    return 0


_SEED_SHAPE = '{"models": {"res.partner": {"fields": {...}, "records": [{...}]}}}'


def _read_seed(path: str) -> dict[str, Any]:
    """The ``--data`` file, checked enough that a wrong file says what is wrong with it."""
    what = f"--data {path}"
    if os.path.isdir(path):
        raise ConfigurationError(f"{what} is a folder: give a seed.json-shaped JSON file")
    try:
        with open(path, encoding="utf-8") as fh:
            seed = json.load(fh)
    except FileNotFoundError:
        raise ConfigurationError(f"{what}: no such file (a seed.json-shaped file)") from None
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            f"{what} is not a JSON file ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"{what} is not a JSON file (not UTF-8 text)") from None
    models = seed.get("models") if isinstance(seed, dict) else None
    if not isinstance(models, dict):
        raise ConfigurationError(f"{what}: expected a JSON object like {_SEED_SHAPE}")
    for model, spec in models.items():
        problem = None
        if not isinstance(spec, dict):
            problem = "is not an object"
        elif not isinstance(spec.get("fields") or {}, dict):
            problem = '"fields" is not an object (fields_get\'s answer)'
        elif not isinstance(spec.get("records") or [], list) or not all(
            isinstance(row, dict) for row in spec.get("records") or []
        ):
            problem = '"records" is not a list of objects (search_read rows)'
        if problem:
            raise ConfigurationError(f"{what}: models[{model!r}] {problem}; expected {_SEED_SHAPE}")
    users = (models.get("res.users") or {}).get("records") or []
    if not any(row.get("login") == "admin" for row in users):
        # the data replaces the demo set, users included: the printed login would fail
        raise ConfigurationError(
            f'{what} has no res.users record with login "admin", so nobody could log in: '
            "add the users to the file (a seed.json recorded from a server has them)"
        )
    return seed


def _wait_for_interrupt() -> None:
    # SIGTERM (docker stop, kill) ends the server as cleanly as Ctrl-C does
    def _on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _on_term)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- call


def _cmd_call(args: argparse.Namespace) -> int:
    positional = parse_json(args.args, "ARGS", list)
    named = parse_json(args.kwargs, "--kwargs", dict)
    with open_connection(args) as conn:
        result = conn.execute(args.model, args.method, *positional, **named)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


# --------------------------------------------------------------------------- inspect


def _cmd_inspect(args: argparse.Namespace) -> int:

    with open_connection(args) as conn:
        schemas = {model: _fields_of(conn, model, INSPECT_ATTRIBUTES) for model in args.models}
        defaults = {model: _defaults_of(conn, model, schemas[model]) for model in args.models}
        header = (
            "Odoo models generated by `odoorm inspect`.\n\n"
            f"From {conn.url} (database {conn.db}, Odoo {conn.version.text}).\n"
        )
    source = generate_models(schemas, header=header, all_fields=args.all_fields, defaults=defaults)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(source)
        print(
            f"odoorm inspect: wrote {len(args.models)} model(s) to {args.output}", file=sys.stderr
        )
    else:
        sys.stdout.write(source)
    return 0


def _fields_of(conn: Connection, model: str, attributes: Sequence[str]) -> dict[str, Any]:

    try:
        schema: dict[str, Any] = conn.execute(model, "fields_get", attributes=list(attributes))
    except OdooError as exc:
        # Odoo 17/18 say "Object x doesn't exist", 19 "the model 'x' does not exist"
        if "exist" not in str(exc):
            raise
        raise ConfigurationError(
            f"no model {model!r} on {conn.url}: check the spelling (technical names are "
            "lower-case with dots, e.g. res.partner) and that its module is installed"
        ) from exc
    return schema


def _defaults_of(conn: Connection, model: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """The model's ``default_get`` for all its fields (one call): what the server
    fills on ``create`` when it is not given."""
    try:
        found = conn.execute(model, "default_get", list(schema))
    except OdooError as exc:  # e.g. no create right: say so, keep fields_get's word
        print(
            f"odoorm inspect: default_get of {model} failed ({_describe(exc)}); its "
            "required fields are taken from fields_get as they are",
            file=sys.stderr,
        )
        return {}
    return found if isinstance(found, dict) else {}


# --------------------------------------------------------------------------- shell


def _shell_namespace(conn: Connection) -> dict[str, Any]:

    ns: dict[str, Any] = {"odoorm": odoorm, "conn": conn, "env": conn.env}
    for name in ("Q", "fields", "Command", "Sum", "Count", "Avg", "Min", "Max"):
        if hasattr(odoorm, name):
            ns[name] = getattr(odoorm, name)
    ns.update(_declared_models())
    return ns


def _declared_models() -> dict[str, type]:
    """Model classes declared so far (e.g. by a PYTHONSTARTUP file), by class name."""
    found: dict[str, type] = {}
    todo = list(Model.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__name__.startswith("_") and cls.__module__ != "odoorm.models":
            found.setdefault(cls.__name__, cls)
    return found


def _run_code(source: str, filename: str, ns: dict[str, Any]) -> int:
    """Run ``source`` as ``python`` runs a script: its traceback on error, exit status 1."""
    try:
        exec(compile(source, filename, "exec"), ns)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:
        etype, value, tb = sys.exc_info()
        # the user's code failed, not odoorm: show its frames (this one left out)
        traceback.print_exception(etype, value, tb.tb_next if tb else None)
        return 1
    return 0


def _cmd_shell(args: argparse.Namespace) -> int:
    with open_connection(args) as conn:
        ns = _shell_namespace(conn)
        if args.code is not None:
            return _run_code(args.code, "<odoorm shell -c>", ns)
        if sys.stdin is None or not sys.stdin.isatty():
            # piped or no input (CI, a heredoc): run it as a script, never wait at a prompt
            return _run_code(sys.stdin.read() if sys.stdin else "", "<stdin>", ns)
        banner = (
            f"odoorm shell: {conn.url} database {conn.db} as {conn.login} "
            f"(Odoo {conn.version.text})\n"
            "In scope: conn, env (env['res.partner'] is a model class), odoorm"
            + "".join(f", {n}" for n in sorted(ns) if n not in ("conn", "env", "odoorm"))
        )
        if not args.plain:
            try:
                from IPython import start_ipython
            except ImportError:
                pass
            else:
                print(banner)
                start_ipython(argv=["--ext=odoorm"], user_ns=ns)  # brief odoorm errors
                return 0
        code.interact(banner=banner, local=ns, exitmsg="")
    return 0


# --------------------------------------------------------------------------- demo


def _cmd_demo(args: argparse.Namespace) -> int:

    out: TextIO = sys.stdout
    with ExitStack() as stack:
        url = setting(args, "url")
        if url is None:
            print(f"Starting the embedded Odoo {args.version} emulator...", file=out, flush=True)
            emulator = start_emulator(stack, args.version)
            conn = connect_emulator(emulator, setting(args, "protocol"))
        else:
            conn = stack.enter_context(open_connection(args))
        stack.callback(conn.close)
        run_demo(conn, out=out, top=args.top)
    return 0
