"""Files in and out of Odoo, as ``ir.attachment`` records.

::

    from odoorm.attachments import upload, download, attachments_of

    att = upload(partner, "contract.pdf")          # mimetype guessed from the name
    att = upload(order, b"...", name="notes.txt")
    download(att, "out/")                           # streamed to out/contract.pdf
    data = download(att.id)                         # bytes
    [a.name for a in attachments_of(partner)]

Odoo moves file content as base64 text inside one RPC answer, so a file is
held in memory once on upload; on download the text is decoded piece by
piece straight to disk, so the decoded copy never is. A size limit (25 MiB
unless told otherwise) stops a mistaken upload of a huge file early.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import os
import secrets
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

import attrs

from odoorm.exceptions import ConfigurationError, FieldError, MissingError, OdooError, OdoormError
from odoorm.session.connection import get_default_connection

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = [
    "DEFAULT_MAX_SIZE",
    "Attachment",
    "AttachmentTooLarge",
    "attachments_of",
    "download",
    "upload",
]

#: default upload limit in bytes; pass ``max_size=`` (or ``None`` for no limit) to change it
DEFAULT_MAX_SIZE = 25 * 1024 * 1024
#: base64 characters decoded at a time on download (a multiple of 4)
_CHUNK = 4 * 256 * 1024
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_FIELDS = ["name", "mimetype", "file_size", "res_model", "res_id", "type", "url"]

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]


class AttachmentTooLarge(OdoormError, ValueError):
    """The file is above the upload limit (``max_size=``)."""


@attrs.frozen(eq=False)
class Attachment:
    """An ``ir.attachment`` record, as :func:`upload` and :func:`attachments_of` return it.

    Attributes:
        id: the attachment id.
        name: the file name.
        mimetype: e.g. ``"application/pdf"``.
        size: the size in bytes (Odoo's ``file_size``).
        res_model, res_id: the record it is attached to, when any.
        url: the link of a URL attachment (these have no content).
    """

    id: int
    name: str
    mimetype: str | None = None
    size: int | None = None
    res_model: str | None = None
    res_id: int | None = None
    url: str | None = None
    conn: Connection | None = attrs.field(default=None, repr=False)

    def download(self, path: str | os.PathLike[str] | None = None) -> Any:
        """Same as :func:`download` on this attachment."""
        return download(self, path)

    @classmethod
    def _from_row(cls, row: dict[str, Any], conn: Connection) -> Attachment:
        return cls(
            id=row["id"],
            name=row.get("name") or "",
            mimetype=row.get("mimetype") or None,
            size=row.get("file_size") if isinstance(row.get("file_size"), int) else None,
            res_model=row.get("res_model") or None,
            res_id=row.get("res_id") or None,
            url=row.get("url") or None,
            conn=conn,
        )

    def __odoo_domain_value__(self) -> int:
        return self.id


def _human(size: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover - loop always returns


def _target(record: Any, conn: Connection | None) -> tuple[str, int, Connection]:
    """(odoo model, id, connection) of what an attachment is attached to."""
    if isinstance(record, tuple) and len(record) == 2:
        model, ident = record
    else:
        meta = getattr(type(record), "_meta", None)
        model = getattr(meta, "odoo_model", None)
        ident = getattr(record, "id", None)
        conn = conn or getattr(record, "_conn", None)
        if model is None:
            raise FieldError(
                f"attach to a model record or a ('res.partner', 7) tuple, "
                f"got {type(record).__name__}"
            )
    if not isinstance(ident, int) or isinstance(ident, bool) or ident <= 0:
        raise FieldError(f"the {model} record has no id yet: save() it before attaching files")
    return str(model), ident, _connection(conn)


def _connection(conn: Connection | None) -> Connection:
    if conn is not None:
        return conn
    return get_default_connection()


def _read_source(source: Source, name: str | None, max_size: int | None) -> tuple[bytes, str]:
    """The content and the file name, checking the size before reading a file."""
    limit_hint = "pass max_size=<bytes> to upload() to raise it, or max_size=None for no limit"

    def check(size: int, what: str) -> None:
        if max_size is not None and size > max_size:
            raise AttachmentTooLarge(
                f"{what} is {_human(size)}, above the upload limit of {_human(max_size)} "
                f"({max_size} bytes): {limit_hint}"
            )

    if isinstance(source, (bytes, bytearray, memoryview)):
        if not name:
            raise FieldError("upload() of bytes needs name=, the file name (e.g. 'report.pdf')")
        check(len(source), name)
        return bytes(source), name
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            raise FieldError(f"upload(): {path} is a folder: upload its files one by one")
        if not path.is_file():
            raise FileNotFoundError(f"upload(): no such file: {path}")
        check(path.stat().st_size, str(path))
        return path.read_bytes(), name or path.name
    if hasattr(source, "read"):
        if getattr(source, "closed", False):
            raise FieldError(
                "upload(): the file object is closed: call upload() inside the "
                "'with open(...)' block, or pass the path instead"
            )
        name = name or Path(str(getattr(source, "name", "") or "")).name
        if not name:
            raise FieldError("upload() of a file object needs name=, the file name")
        # read one byte past the limit: enough to know it is too large
        data = source.read() if max_size is None else source.read(max_size + 1)
        if isinstance(data, str):
            raise FieldError("upload() needs a file opened in binary mode ('rb')")
        if max_size is not None and len(data) > max_size:
            check(len(data) + len(source.read()), name)
        return bytes(data), name
    raise FieldError(
        f"upload() takes a path, bytes or a binary file object, got {type(source).__name__}"
    )


def _check_exists(conn: Connection, model: str, ident: int) -> None:
    """Refuse to attach to a record that is not there: Odoo does not check ``res_id``
    and would keep an orphan attachment (one cheap ``search``, archived records too)."""
    try:
        found = conn.rpc(
            model, "search", domain=[("id", "=", ident)], limit=1, context={"active_test": False}
        )
    except OdooError as exc:
        raise FieldError(
            f"upload(): cannot attach a file to {model} {ident}: {exc.message}; "
            "nothing was uploaded"
        ) from exc
    if not found:
        raise MissingError(
            f"upload(): {model} {ident} does not exist (deleted?); nothing was uploaded",
            model=model,
            method="search",
        )


def upload(
    record: Any,
    path_or_bytes: Source,
    name: str | None = None,
    mimetype: str | None = None,
    *,
    max_size: int | None = DEFAULT_MAX_SIZE,
    conn: Connection | None = None,
) -> Attachment:
    """Attach a file to ``record``: a check that the record exists, then one
    ``ir.attachment`` create.

    Args:
        record: a saved model instance, or a ``("res.partner", 7)`` tuple (then
            ``conn=`` or the default connection is used).
        path_or_bytes: a file path, the content as bytes, or a binary file object.
        name: the file name (default: the path's name; required for bytes).
        mimetype: default: guessed from the name, else ``application/octet-stream``.
        max_size: refuse content above this many bytes (``None``: no limit).

    A record that does not exist (deleted, a wrong id, an unknown model) is refused
    before anything is uploaded: Odoo itself would store an orphan attachment.

    Raises:
        AttachmentTooLarge: the content is above ``max_size``.
        FieldError: the record is not saved, or the source is not usable.
    """
    if max_size is not None and (
        isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0
    ):
        raise ConfigurationError(
            f"upload(max_size={max_size!r}): give a number of bytes >= 0, or None for no limit"
        )
    model, ident, conn = _target(record, conn)
    data, name = _read_source(path_or_bytes, name, max_size)
    _check_exists(conn, model, ident)  # Odoo would keep an attachment of nothing
    if mimetype is None:
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    vals = {
        "name": name,
        "type": "binary",
        "datas": base64.b64encode(data).decode("ascii"),
        "res_model": model,
        "res_id": ident,
        "mimetype": mimetype,
    }
    created = conn.rpc("ir.attachment", "create", vals_list=[vals])
    new_id = created[0] if isinstance(created, list) else created
    return Attachment(
        id=int(new_id),
        name=name,
        mimetype=mimetype,
        size=len(data),
        res_model=model,
        res_id=ident,
        conn=conn,
    )


def attachments_of(record: Any, *, conn: Connection | None = None) -> list[Attachment]:
    """The attachments of ``record`` (content not loaded), newest first."""
    model, ident, conn = _target(record, conn)
    rows = conn.rpc(
        "ir.attachment",
        "search_read",
        domain=[("res_model", "=", model), ("res_id", "=", ident)],
        fields=_FIELDS,
        order="id desc",
    )
    return [Attachment._from_row(row, conn) for row in rows]


def _attachment_id(attachment: Any, conn: Connection | None) -> tuple[int, Connection]:
    if isinstance(attachment, int) and not isinstance(attachment, bool):
        return attachment, _connection(conn)
    if isinstance(attachment, Attachment):
        return attachment.id, _connection(conn or attachment.conn)
    ident = getattr(attachment, "id", None)
    model = getattr(getattr(type(attachment), "_meta", None), "odoo_model", None)
    if isinstance(ident, int) and model == "ir.attachment":
        return ident, _connection(conn or getattr(attachment, "_conn", None))
    raise FieldError(
        f"download() takes an Attachment, an ir.attachment record or an id, "
        f"got {type(attachment).__name__}"
    )


def _decode_to(text: str, fh: IO[bytes]) -> int:
    """Decode base64 ``text`` into ``fh`` a chunk at a time; returns bytes written."""
    if any(c in text for c in "\n\r "):  # XML-RPC may wrap long base64 lines
        text = "".join(text.split())
    written = 0
    try:
        for start in range(0, len(text), _CHUNK):
            written += fh.write(base64.b64decode(text[start : start + _CHUNK], validate=True))
    except (binascii.Error, ValueError) as exc:
        raise FieldError("the server sent attachment content that is not valid base64") from exc
    return written


def download(
    attachment_or_id: Any,
    path: str | os.PathLike[str] | None = None,
    *,
    conn: Connection | None = None,
) -> Any:
    """The content of an attachment: ``bytes``, or written to ``path``.

    Args:
        attachment_or_id: an :class:`Attachment`, an ``ir.attachment`` record or an id
            (then ``conn=`` or the default connection is used).
        path: a file to write (replaced atomically), or a directory to write the
            attachment's own name into. The content is decoded to disk in chunks.

    Returns:
        the bytes when ``path`` is None, else the :class:`~pathlib.Path` written.
    """
    ident, conn = _attachment_id(attachment_or_id, conn)
    rows = conn.rpc("ir.attachment", "read", [ident], fields=["datas", *_FIELDS])
    if not rows:
        raise MissingError(f"ir.attachment {ident} does not exist (or was deleted)")
    row = rows[0]
    text = row.get("datas") or ""
    if not text and row.get("type") == "url":
        raise FieldError(f"attachment {ident} is a link to {row.get('url')}, it has no content")
    if path is None:
        try:
            return base64.b64decode(text)
        except (binascii.Error, ValueError) as exc:
            raise FieldError("the server sent attachment content that is not valid base64") from exc
    target = Path(path)
    if target.is_dir():
        target = target / _safe_name(row.get("name"), ident)
    elif not target.parent.is_dir():
        raise FileNotFoundError(
            f"download(): the folder {target.parent} does not exist: create it first"
        )
    fd, tmp = _open_part(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            _decode_to(text, fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _safe_name(name: Any, ident: int) -> str:
    """The attachment's name as a plain file name: a server-side name never climbs out
    of the chosen folder (``../x`` -> ``x``) nor names the folder itself (``..``)."""
    base = Path(str(name or "").replace("\\", "/")).name
    return base if base not in ("", ".", "..") else f"attachment-{ident}"


def _open_part(target: Path) -> tuple[int, str]:
    """A new hidden ``.part`` file beside ``target``, made with the usual permissions
    (0o666 less the umask, as ``open()`` gives; ``mkstemp`` would give 0o600)."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(f"download(): cannot create a temporary file beside {target}")
