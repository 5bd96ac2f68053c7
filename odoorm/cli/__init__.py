"""The ``odoorm`` command.

::

    odoorm demo                          # a sales report from the embedded emulator
    odoorm emulator --port 8069          # serve the emulator for other tools
    odoorm call res.partner search_count '[[["is_company", "=", true]]]'
    odoorm inspect res.partner sale.order > models.py
    odoorm shell                         # Python with `conn` and `env` ready

Connection options come from flags or the ``ODOO_*`` environment variables
(flags win). ``--emulator`` runs a command against a fresh embedded emulator.
Bad flags print a usage line (exit 2); an error prints one line (exit 1).
"""

from __future__ import annotations

import argparse
import code
import json
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from odoorm.exceptions import ConfigurationError, OdoormError

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["build_parser", "main"]

#: flag -> environment variable used when the flag is not given
ENV_VARS = {
    "url": "ODOO_URL",
    "db": "ODOO_DB",
    "user": "ODOO_USER",
    "password": "ODOO_PASSWORD",
    "api_key": "ODOO_API_KEY",
    "protocol": "ODOO_PROTOCOL",
}
PROTOCOLS = ("auto", "xmlrpc", "jsonrpc", "session", "json2")
VERSIONS = (17, 18, 19)


# --------------------------------------------------------------------------- parser


def _add_connection_options(parser: argparse.ArgumentParser, *, emulator_flag: bool) -> None:
    group = parser.add_argument_group(
        "connection",
        "flags win over the ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD, "
        "ODOO_API_KEY and ODOO_PROTOCOL environment variables",
    )
    group.add_argument("--url", help="server URL, e.g. https://erp.example.com")
    group.add_argument("--db", help="database name")
    group.add_argument("--user", help="login")
    group.add_argument("--password", help="password (prefer ODOO_PASSWORD or an API key)")
    group.add_argument("--api-key", dest="api_key", help="API key (prefer ODOO_API_KEY)")
    group.add_argument("--protocol", choices=PROTOCOLS, help="wire protocol (default: auto)")
    if emulator_flag:
        group.add_argument(
            "--emulator",
            nargs="?",
            type=int,
            const=18,
            choices=VERSIONS,
            metavar="VERSION",
            help="run against a fresh embedded emulator (Odoo 18 unless a version is given)",
        )


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
    _add_connection_options(p, emulator_flag=False)
    p.add_argument("--version", type=int, choices=VERSIONS, default=18, help="emulated Odoo")
    p.add_argument("--top", type=int, default=5, help="how many customers to list")
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
    _add_connection_options(p, emulator_flag=True)
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
    _add_connection_options(p, emulator_flag=True)
    p.set_defaults(func=_cmd_inspect, parser=p)

    p = sub.add_parser(
        "shell",
        help="interactive Python with a connection in scope",
        description="Start Python (IPython when installed) with `conn`, `env`, `odoorm` and "
        "the declared models in scope.",
    )
    p.add_argument("-c", "--command", dest="code", help="run this code instead of a prompt")
    p.add_argument("--plain", action="store_true", help="use the standard Python prompt")
    _add_connection_options(p, emulator_flag=True)
    p.set_defaults(func=_cmd_shell, parser=p)
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


def _setting(args: argparse.Namespace, name: str) -> str | None:
    value = getattr(args, name, None)
    if value is None:
        value = os.environ.get(ENV_VARS[name]) or None
    return value


def _start_emulator(stack: ExitStack, version: int, **kwargs: Any) -> Any:
    from odoorm.testing import Emulator

    emulator = Emulator(version=version, **kwargs)
    emulator.start()
    stack.callback(emulator.stop)
    return emulator


def _connect_emulator(emulator: Any, protocol: str | None = None) -> Connection:
    from odoorm.session import connect

    return connect(
        emulator.url,
        db=emulator.db,
        user=emulator.login,
        api_key=emulator.api_key,  # with a key, "auto" picks JSON-2 on Odoo 19
        protocol=protocol or "auto",
        default=True,
    )


@contextmanager
def _open_connection(
    args: argparse.Namespace, *, fallback_emulator: int | None = None
) -> Iterator[Connection]:
    """The connection the flags and environment describe.

    With ``--emulator`` (or ``fallback_emulator`` and no URL anywhere) a fresh
    embedded emulator is started for the duration of the command.
    """
    from odoorm.session import connect

    with ExitStack() as stack:
        url = _setting(args, "url")
        version = getattr(args, "emulator", None)
        if version is None and url is None:
            version = fallback_emulator
        if version is not None:
            emulator = _start_emulator(stack, version)
            conn = _connect_emulator(emulator, _setting(args, "protocol"))
        else:
            if url is None:
                raise ConfigurationError(
                    "no Odoo server given: pass --url (or set ODOO_URL), "
                    "or --emulator to use the embedded emulator"
                )
            # flags only: connect() applies the ODOO_* fallbacks itself, and never
            # sends the environment's secrets to a server other than ODOO_URL
            conn = connect(
                args.url,
                db=args.db,
                user=args.user,
                password=args.password,
                api_key=args.api_key,
                protocol=args.protocol,
                default=True,
            )
        stack.callback(conn.close)
        yield conn


# --------------------------------------------------------------------------- emulator


def _cmd_emulator(args: argparse.Namespace) -> int:
    data: Any = "demo"
    if args.empty:
        data = None
    if args.data:
        if not os.path.isfile(args.data):
            raise ConfigurationError(f"--data {args.data}: no such file (a seed.json-shaped file)")
        data = args.data
    with ExitStack() as stack:
        emulator = _start_emulator(
            stack, args.version, data=data, db=args.db, port=args.port, host=args.host
        )
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


def _parse_json(text: str, what: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            f"{what} is not valid JSON ({exc.msg} at column {exc.colno})"
        ) from exc
    if not isinstance(value, kind):
        example = "array, e.g. '[[1, 2]]'" if kind is list else "object, e.g. '{\"limit\": 5}'"
        raise ConfigurationError(f"{what} must be a JSON {example}")
    return value


def _cmd_call(args: argparse.Namespace) -> int:
    positional = _parse_json(args.args, "the arguments", list)
    named = _parse_json(args.kwargs, "--kwargs", dict)
    with _open_connection(args) as conn:
        result = conn.execute(args.model, args.method, *positional, **named)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


# --------------------------------------------------------------------------- inspect


def _cmd_inspect(args: argparse.Namespace) -> int:
    from odoorm.cli.codegen import INSPECT_ATTRIBUTES, generate_models

    with _open_connection(args) as conn:
        schemas = {
            model: conn.execute(model, "fields_get", attributes=list(INSPECT_ATTRIBUTES))
            for model in args.models
        }
        header = (
            "Odoo models generated by `odoorm inspect`.\n\n"
            f"From {conn.url} (database {conn.db}, Odoo {conn.version.text}).\n"
        )
    source = generate_models(schemas, header=header, all_fields=args.all_fields)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(source)
        print(
            f"odoorm inspect: wrote {len(args.models)} model(s) to {args.output}", file=sys.stderr
        )
    else:
        sys.stdout.write(source)
    return 0


# --------------------------------------------------------------------------- shell


def _shell_namespace(conn: Connection) -> dict[str, Any]:
    import odoorm

    ns: dict[str, Any] = {"odoorm": odoorm, "conn": conn, "env": conn.env}
    for name in ("Q", "fields", "Command", "Sum", "Count", "Avg", "Min", "Max"):
        if hasattr(odoorm, name):
            ns[name] = getattr(odoorm, name)
    ns.update(_declared_models())
    return ns


def _declared_models() -> dict[str, type]:
    """Model classes declared so far (e.g. by a PYTHONSTARTUP file), by class name."""
    try:
        from odoorm.models import Model
    except ImportError:
        return {}
    found: dict[str, type] = {}
    todo = list(Model.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__name__.startswith("_") and cls.__module__ != "odoorm.models":
            found.setdefault(cls.__name__, cls)
    return found


def _cmd_shell(args: argparse.Namespace) -> int:
    with _open_connection(args) as conn:
        ns = _shell_namespace(conn)
        if args.code is not None:
            exec(compile(args.code, "<odoorm shell -c>", "exec"), ns)
            return 0
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
                start_ipython(argv=[], user_ns=ns)
                return 0
        code.interact(banner=banner, local=ns, exitmsg="")
    return 0


# --------------------------------------------------------------------------- demo


def _cmd_demo(args: argparse.Namespace) -> int:
    from odoorm.cli.demo import run_demo

    out: TextIO = sys.stdout
    with ExitStack() as stack:
        url = _setting(args, "url")
        if url is None:
            print(f"Starting the embedded Odoo {args.version} emulator...", file=out, flush=True)
            emulator = _start_emulator(stack, args.version)
            conn = _connect_emulator(emulator, _setting(args, "protocol"))
        else:
            conn = stack.enter_context(_open_connection(args))
        stack.callback(conn.close)
        run_demo(conn, out=out, top=args.top)
    return 0
