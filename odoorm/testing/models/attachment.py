"""ir.attachment: content from ``raw``, size, checksum, mimetype and URLs."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from typing import Any

from odoorm.testing._api import DB, ModelHooks
from odoorm.testing.store import Table


def _defaults(db: DB, table: Table) -> dict[str, Any]:
    return {"type": "binary", "res_id": 0}


def _after_change(db: DB, table: Table, ids: list[int]) -> None:
    """Derived attachment fields: content from ``raw``, size, SHA-1, mimetype, URLs."""
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        row["display_name"] = row.get("name") or ""
        raw = row.pop("raw", None)
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        if isinstance(raw, (bytes, bytearray)):
            row["datas"] = base64.b64encode(bytes(raw)).decode("ascii")
        datas = row.get("datas")
        if isinstance(datas, str) and datas:
            try:
                content = base64.b64decode(datas)
            except ValueError:
                content = b""
            digest = hashlib.sha1(content).hexdigest()
            row.update(file_size=len(content), checksum=digest)
            if "store_fname" in table.fields:
                row["store_fname"] = f"{digest[:2]}/{digest}"
        elif row.get("type") == "binary" or not datas:
            row.update(file_size=0, checksum=False)
        if not row.get("mimetype"):
            guessed = mimetypes.guess_type(str(row.get("name") or ""))[0]
            row["mimetype"] = guessed or (
                "application/octet-stream" if row.get("type") != "url" else False
            )
        if "local_url" in table.fields:
            row["local_url"] = f"/web/content/{rid}?unique={row.get('checksum') or ''}"
        model, res_id = row.get("res_model"), row.get("res_id")
        if "res_name" in table.fields:
            row["res_name"] = db.name_of(str(model), int(res_id)) if model and res_id else False


ATTACHMENT = ModelHooks(defaults=_defaults, after_change=_after_change)
