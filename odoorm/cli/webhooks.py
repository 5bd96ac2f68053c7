"""``odoorm webhooks install|list|remove|serve``: the webhooks of :mod:`odoorm.webhooks`.

::

    odoorm webhooks install res.partner https://hooks.example.com/odoo/$TOKEN --on create,write
    odoorm webhooks list
    odoorm webhooks remove res.partner
    ODOORM_WEBHOOK_TOKEN=$TOKEN odoorm webhooks serve --port 8000   # prints one JSON line per event
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import urllib.parse
from typing import Any

from odoorm.cli.options import add_connection_options, open_connection, parse_json
from odoorm.exceptions import ConfigurationError
from odoorm.webhooks import Receiver, install, installed

__all__ = ["TOKEN_VARIABLE", "add_parser"]

#: where ``serve`` reads its token (a flag would show it in the process list)
TOKEN_VARIABLE = "ODOORM_WEBHOOK_TOKEN"


def add_parser(sub: Any) -> None:
    """Add ``webhooks`` and its subcommands to the ``odoorm`` parser's subparsers."""
    top = sub.add_parser(
        "webhooks",
        help="install, list, remove and receive Odoo webhooks (Odoo 17+)",
        description="Odoo 17+ POSTs record changes to a URL through an automation rule "
        "(module base_automation). See docs/webhooks.md.",
    )
    top.set_defaults(parser=top, func=lambda args: top.error("choose a webhooks subcommand"))
    cmds = top.add_subparsers(dest="webhooks_command", metavar="SUBCOMMAND")

    p = cmds.add_parser("install", help="make Odoo POST a model's changes to a URL")
    p.add_argument("model", help="Odoo model, e.g. res.partner")
    # not "url": --url names the Odoo server
    p.add_argument("target", metavar="URL", help="the receiver's URL, token included (https)")
    p.add_argument(
        "--on",
        default="create,write",
        help="create, write, unlink, comma-separated (default: create,write)",
    )
    p.add_argument("--fields", help="fields each POST carries, comma-separated (Odoo names)")
    p.add_argument("--name", help="the hook's name (default: the model); same name = update")
    p.add_argument(
        "--domain",
        help="""only records matching this JSON domain, e.g. '[["is_company", "=", true]]'""",
    )
    add_connection_options(p, emulator_flag=False)
    p.set_defaults(func=_cmd_install, parser=p)

    p = cmds.add_parser("list", help="list the hooks odoorm installed")
    p.add_argument("--show-url", action="store_true", help="print the URLs (they hold tokens)")
    add_connection_options(p, emulator_flag=False)
    p.set_defaults(func=_cmd_list, parser=p)

    p = cmds.add_parser("remove", help="delete hooks (their automation rules and actions)")
    p.add_argument("names", nargs="+", metavar="NAME", help="hook names, as `list` shows them")
    add_connection_options(p, emulator_flag=False)
    p.set_defaults(func=_cmd_remove, parser=p)

    p = cmds.add_parser(
        "serve",
        help="receive webhooks and print one JSON line per event",
        description=f"Serve a webhook receiver; the token comes from {TOKEN_VARIABLE} "
        "(a new one is made and printed when unset). Put HTTPS in front of it.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000, 0 = any)")
    p.add_argument("--count", type=int, help="stop after this many events")
    p.set_defaults(func=_cmd_serve, parser=p)


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/..." if parts.scheme else "..."


def _cmd_install(args: argparse.Namespace) -> int:

    on = [k.strip() for k in args.on.split(",") if k.strip()]
    names = [f.strip() for f in args.fields.split(",")] if args.fields else None
    domain = parse_json(args.domain, "--domain", list) if args.domain else None
    with open_connection(args) as conn:
        model: Any = conn.env[args.model]
        qs = model.objects.using(conn).all()
        if domain:
            qs = qs.filter(domain)
        hook = install(qs, args.target, on=on, fields=names, name=args.name)
        print(
            f"odoorm webhooks: {hook.name!r} installed: {hook.model} {','.join(hook.on)} "
            f"-> {_redact(hook.url)} (rules {list(hook.automation_ids)})"
        )
    return 0


def _cmd_list(args: argparse.Namespace) -> int:

    with open_connection(args) as conn:
        hooks = installed(conn)
    for hook in hooks:
        url = hook.url if args.show_url else _redact(hook.url)
        print(
            f"{hook.name}\t{hook.model}\t{','.join(hook.on)}\t{url}\t"
            f"fields={','.join(hook.fields)}\tdomain={hook.filter_domain}"
        )
    if not hooks:
        print("odoorm webhooks: none installed", file=sys.stderr)
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:

    with open_connection(args) as conn:
        hooks = {hook.name: hook for hook in installed(conn)}
        unknown = [n for n in args.names if n not in hooks]
        if unknown:
            known = ", ".join(sorted(hooks)) or "none"
            raise ConfigurationError(
                f"no hook named {', '.join(map(repr, unknown))} (installed: {known})"
            )
        for name in args.names:
            hooks[name].remove()
            print(f"odoorm webhooks: {name!r} removed")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:

    token = os.environ.get(TOKEN_VARIABLE) or secrets.token_urlsafe(32)
    receiver = Receiver(token)
    handle = receiver.serve(args.host, args.port)
    try:
        print(f"odoorm webhooks: receiving at {handle.url}", file=sys.stderr, flush=True)
        for seen, event in enumerate(receiver.events(), 1):
            line = {
                "model": event.model,
                "id": event.id,
                "action": event.action,
                "write_date": str(event.write_date) if event.write_date else None,
                "values": event.values,
            }
            print(json.dumps(line, default=str, sort_keys=True), flush=True)
            if args.count is not None and seen >= args.count:
                break
    finally:
        handle.stop()
    return 0
