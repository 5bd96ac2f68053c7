"""What the ``odoorm`` subcommands share: connection flags, opening the connection
they describe (a server or a fresh embedded emulator), and JSON arguments."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from odoorm.exceptions import ConfigurationError
from odoorm.session import connect
from odoorm.session import options as _connect
from odoorm.testing import Emulator

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = [
    "ENV_VARS",
    "PROTOCOLS",
    "VERSIONS",
    "add_connection_options",
    "connect_emulator",
    "open_connection",
    "parse_json",
    "positive_int",
    "setting",
    "start_emulator",
]

#: flag -> environment variable used when the flag is not given: connect()'s own table
ENV_VARS = _connect.ENV_VARS
PROTOCOLS = ("auto", "xmlrpc", "jsonrpc", "session", "json2")
VERSIONS = (16, 17, 18, 19)


def add_connection_options(parser: argparse.ArgumentParser, *, emulator_flag: bool) -> None:
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


def setting(args: argparse.Namespace, name: str) -> str | None:
    value = getattr(args, name, None)
    if value is None:
        value = os.environ.get(ENV_VARS[name]) or None
    return value


def start_emulator(stack: ExitStack, version: int, **kwargs: Any) -> Any:

    emulator = Emulator(version=version, **kwargs)
    emulator.start()
    stack.callback(emulator.stop)
    return emulator


def connect_emulator(emulator: Any, protocol: str | None = None) -> Connection:

    return connect(
        emulator.url,
        db=emulator.db,
        user=emulator.login,
        api_key=emulator.api_key,  # with a key, "auto" picks JSON-2 on Odoo 19
        protocol=protocol or "auto",
        default=True,
    )


@contextmanager
def open_connection(
    args: argparse.Namespace, *, fallback_emulator: int | None = None
) -> Iterator[Connection]:
    """The connection the flags and environment describe.

    With ``--emulator`` (or ``fallback_emulator`` and no URL anywhere) a fresh
    embedded emulator is started for the duration of the command.
    """

    with ExitStack() as stack:
        url = setting(args, "url")
        version = getattr(args, "emulator", None)
        if version is None and url is None:
            version = fallback_emulator
        if version is not None:
            emulator = start_emulator(stack, version)
            conn = connect_emulator(emulator, setting(args, "protocol"))
        else:
            if url is None:
                raise ConfigurationError(
                    "no Odoo server given: pass --url (or set ODOO_URL), "
                    "or --emulator to use the embedded emulator"
                )
            # flags only: connect() applies the ODOO_* fallbacks itself, and never
            # sends the environment's secrets to a server other than ODOO_URL
            try:
                conn = connect(
                    args.url,
                    db=args.db,
                    user=args.user,
                    password=args.password,
                    api_key=args.api_key,
                    protocol=args.protocol,
                    default=True,
                )
            except ConfigurationError as exc:
                raise ConfigurationError(_flag_wording(str(exc))) from exc
        stack.callback(conn.close)
        yield conn


#: connect()'s hints name keyword arguments; on the command line they are flags
_FLAG_HINTS = (
    ("password=... or api_key=...", "--password or --api-key"),
    ("api_key=...", "--api-key"),
    ("user='...'", "--user"),
    ("db='...'", "--db"),
)


def _flag_wording(message: str) -> str:
    for keyword, flag in _FLAG_HINTS:
        message = message.replace(keyword, flag)
    return message


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--top 0`` would list nothing)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_json(text: str, what: str, kind: type) -> Any:
    if kind is list:
        example = """'[[["is_company", "=", true]]]' (a list holding each positional argument)"""
    else:
        example = """'{"fields": ["name"], "limit": 5}'"""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if "'" in text or "(" in text or any(w in text for w in ("True", "False", "None")):
            hint = "; JSON writes strings in double quotes, lists in [ ], and true/false/null"
        raise ConfigurationError(
            f"{what} {text!r} is not valid JSON ({exc.msg} at column {exc.colno}){hint}; "
            f"e.g. {example}"
        ) from None
    if not isinstance(value, kind):
        also = ""
        if kind is list and isinstance(value, dict):
            also = "; named arguments go in --kwargs"
        raise ConfigurationError(
            f"{what} must be a JSON {'array' if kind is list else 'object'}, e.g. {example}{also}"
        )
    return value
