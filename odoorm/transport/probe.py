"""Questions asked before logging in: the server's version and its databases."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from odoorm.exceptions import OdooError, TransportError
from odoorm.transport._common import JSON_HEADERS, not_odoo
from odoorm.transport.errors import base_url
from odoorm.transport.http import RETRY_STATUSES, HTTPClient, strip_userinfo
from odoorm.transport.jsonrpc import jsonrpc_request, read_jsonrpc_response

__all__ = ["list_databases", "server_version"]

_EXPECTED = "Odoo's version information"
#: seconds the version probe may take in all, retries included: a server that accepts
#: connections and never answers fails connect() this quickly, not after the long read
#: timeout of ordinary calls (120 s) times every attempt and endpoint
PROBE_WITHIN = 30.0


def _normalise(info: dict[str, Any]) -> dict[str, Any]:
    """``common.version()``'s shape whatever endpoint answered."""
    version_info = list(info.get("server_version_info") or info.get("version_info") or [])
    text = str(info.get("server_version") or info.get("version") or "")
    serie = info.get("server_serie")
    if not serie and len(version_info) >= 2:
        serie = f"{version_info[0]}.{version_info[1]}"
    return {
        "server_version": text or serie or "",
        "server_version_info": version_info,
        "server_serie": serie or text,
        "protocol_version": info.get("protocol_version", 1),
    }


def server_version(http: HTTPClient, within: float = PROBE_WITHIN) -> dict[str, Any]:
    """The server's version: ``{"server_version", "server_version_info", "server_serie",
    "protocol_version"}``.

    Tries ``GET /web/version`` (Odoo 19+), then JSON-RPC ``common.version``, then
    ``/web/webclient/version_info``; raises the last :class:`TransportError` when
    none answers like Odoo. ``within``: seconds for the whole probe.
    """
    url = http.safe_url
    deadline = time.monotonic() + within

    def left() -> float:
        return max(0.1, deadline - time.monotonic())

    response = http.request("GET", "/web/version", idempotent=True, within=left())
    _raise_if_proxy_error(response, url + "/web/version")
    if response.status_code == 200:
        try:
            info = json.loads(response.text)
        except ValueError:
            info = None
        if isinstance(info, dict) and info.get("version_info"):
            return _normalise(info)
    error: TransportError | None = None
    for path, params in (
        ("/jsonrpc", {"service": "common", "method": "version", "args": []}),
        ("/web/webclient/version_info", {}),
    ):
        response = http.request(
            "POST",
            path,
            data=jsonrpc_request(params),
            headers=JSON_HEADERS,
            idempotent=True,
            within=left(),
        )
        _raise_if_proxy_error(response, url + path)
        try:
            result, _ = read_jsonrpc_response(response, url + path)
        except (TransportError, OdooError) as exc:
            error = (
                exc
                if isinstance(exc, TransportError)
                else TransportError(f"{url}{path}: {exc}", url=url + path)
            )
            continue
        if isinstance(result, dict) and result.get("server_version_info"):
            return _normalise(result)
        error = not_odoo(response, url + path, _EXPECTED)
    assert error is not None
    message = f"{url} does not look like an Odoo server: {error.message}"
    if urlsplit(url).path.strip("/") and "base URL" not in error.message:
        # an address copied from the browser (/odoo, /odoo/action-..., /web): Odoo 17
        # answers 404, 18 an HTML 400 "invalid CSRF token"; either way, say what to pass
        message += (
            f". {url} looks like a web-client page (no path such as /odoo or /web): "
            f"pass the server's base URL: {base_url(url)}"
        )
    raise TransportError(message, url=url, status=error.status)


def _raise_if_proxy_error(response: requests.Response, url: str) -> None:
    # 502/503/504 (still, after the retries): a proxy answered for a server that
    # is down; asking the other version endpoints would only get the same page.
    if response.status_code in RETRY_STATUSES:
        raise not_odoo(response, url, _EXPECTED)
    # A redirect to another scheme or host (http -> https, a www. host, a new
    # domain) means the URL is not where Odoo is. odoorm follows no redirect: it
    # would turn POSTs into GETs and could carry credentials to another host.
    location = response.headers.get("Location") if response.is_redirect else None
    if location:
        target = urlsplit(urljoin(url, location))
        here = urlsplit(url)
        if (target.scheme, target.netloc) != (here.scheme, here.netloc):
            base = strip_userinfo(f"{target.scheme}://{target.netloc}")
            raise TransportError(
                f"HTTP {response.status_code} from {url}: the server redirects to {base}; "
                "connect to that URL instead (odoorm does not follow redirects)",
                url=url,
                status=response.status_code,
            )


def list_databases(http: HTTPClient, within: float = PROBE_WITHIN) -> list[str]:
    """The databases the server lists (JSON-RPC ``db.list``); ``[]`` when listing is disabled."""
    path = "/jsonrpc"
    body = jsonrpc_request({"service": "db", "method": "list", "args": []})
    response = http.request(
        "POST", path, data=body, headers=JSON_HEADERS, idempotent=True, within=within
    )
    try:
        result, _ = read_jsonrpc_response(response, http.safe_url + path)
    except OdooError:  # "Access Denied" when list_db is off
        return []
    return [str(name) for name in result or []]
