"""Files in and out of ir.attachment, against the emulator."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from odoorm import fields
from odoorm.attachments import (
    Attachment,
    AttachmentTooLarge,
    attachments_of,
    download,
    upload,
)
from odoorm.exceptions import ConfigurationError, FieldError, MissingError
from odoorm.models import Model
from odoorm.session import connect, set_default_connection
from odoorm.transport import RecordingTransport


class AttPartner(Model):
    _name = "res.partner"

    name = fields.Char()


@pytest.fixture(scope="module")
def odoo():
    from odoorm.testing import Emulator

    with Emulator(version=18) as emulator:
        yield emulator


@pytest.fixture
def conn(odoo):
    c = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password)
    rec = RecordingTransport(c.transport)
    c._state.transport = rec  # count the calls this test makes
    yield c
    set_default_connection(None)
    c.close()


@pytest.fixture
def partner(conn):
    return AttPartner.objects.using(conn).create(name="Files Test")


def test_upload_bytes_is_a_check_and_one_create_and_download_round_trips(conn, partner):
    rec = conn.transport
    with rec.expect_calls(2) as calls:
        att = upload(partner, b"%PDF-1.4 hello\n", name="hello.pdf")
    assert (calls[0].model, calls[0].method) == ("res.partner", "search")  # it exists
    assert calls[1].method == "create" and calls[1].model == "ir.attachment"
    assert isinstance(att, Attachment) and att.id > 0
    assert (att.name, att.mimetype, att.size) == ("hello.pdf", "application/pdf", 15)
    assert (att.res_model, att.res_id) == ("res.partner", partner.id)
    with rec.expect_calls(1):
        assert download(att) == b"%PDF-1.4 hello\n"
    assert att.download() == b"%PDF-1.4 hello\n"


def test_upload_a_path_guesses_name_and_mimetype(conn, partner, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("line one\nline two\n")
    att = upload(partner, source)
    assert (att.name, att.mimetype) == ("notes.txt", "text/plain")
    unknown = upload(partner, b"\x00\x01", name="blob.weird-ext")
    assert unknown.mimetype == "application/octet-stream"
    explicit = upload(partner, b"{}", name="data", mimetype="application/json")
    assert explicit.mimetype == "application/json"
    names = [a.name for a in attachments_of(partner)]
    assert names == ["data", "blob.weird-ext", "notes.txt"]  # newest first


def test_upload_a_file_object(conn, partner):
    att = upload(partner, io.BytesIO(b"abc"), name="abc.csv")
    assert download(att.id, conn=conn) == b"abc"
    with pytest.raises(FieldError, match="needs name="):
        upload(partner, io.BytesIO(b"abc"))


def test_size_limit_is_checked_before_any_call(conn, partner, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 3000)
    with conn.transport.expect_calls(0):
        with pytest.raises(AttachmentTooLarge) as exc:
            upload(partner, big, max_size=1024)
        with pytest.raises(AttachmentTooLarge):
            upload(partner, io.BytesIO(b"y" * 2000), name="y.bin", max_size=1024)
    text = str(exc.value)
    assert "above the upload limit of 1.0 KiB (1024 bytes)" in text
    assert "max_size=" in text and "max_size=None" in text
    assert upload(partner, big, max_size=None).size == 3000


def test_download_streams_to_a_file_or_into_a_directory(conn, partner, tmp_path, monkeypatch):
    import odoorm.attachments as mod

    payload = bytes(range(256)) * 40  # 10 KiB, not a multiple of the chunk
    att = upload(partner, payload, name="../../escape.bin")
    monkeypatch.setattr(mod, "_CHUNK", 64)  # many chunks
    target = download(att, tmp_path / "out.bin")
    assert target == tmp_path / "out.bin" and target.read_bytes() == payload
    inside = download(att.id, tmp_path, conn=conn)
    assert inside == tmp_path / "escape.bin"  # the server's name cannot climb out
    assert inside.read_bytes() == payload
    assert sorted(p.name for p in tmp_path.iterdir()) == ["escape.bin", "out.bin"]  # no .part


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("..", "attachment-{}"),
        ("a/..", "attachment-{}"),
        (".", "attachment-{}"),
        ("..\\..\\win.txt", "win.txt"),
        ("/etc/passwd", "passwd"),
    ],
)
def test_server_names_never_leave_the_folder(conn, partner, tmp_path, name, written):
    att = upload(partner, b"data", name=name)
    folder = tmp_path / "inbox"
    folder.mkdir()
    target = download(att, folder)
    assert target == folder / written.format(att.id) and target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["inbox"]


def test_downloaded_files_get_the_usual_permissions(conn, partner, tmp_path):
    import os
    import stat

    att = upload(partner, b"data", name="perm.txt")
    mask = os.umask(0o022)
    try:
        target = download(att, tmp_path)
    finally:
        os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # as open() would make it, not 0o600


def test_download_into_a_missing_folder_says_so(conn, partner, tmp_path):
    att = upload(partner, b"data", name="x.txt")
    with pytest.raises(FileNotFoundError, match=r"the folder .*nowhere does not exist: create it"):
        download(att, tmp_path / "nowhere" / "x.txt")


def test_bad_inputs_are_explained(conn, partner):
    with pytest.raises(FieldError, match="save\\(\\) it before attaching"):
        upload(AttPartner(name="unsaved"), b"x", name="x.txt", conn=conn)
    with pytest.raises(FieldError, match="needs name="):
        upload(partner, b"x")
    with pytest.raises(FieldError, match="takes a path, bytes or a binary file object"):
        upload(partner, 42)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match="no such file"):
        upload(partner, "/nonexistent/file.pdf")
    with pytest.raises(FieldError, match="is a folder: upload its files one by one"):
        upload(partner, Path(__file__).parent)
    with pytest.raises(FieldError, match="download\\(\\) takes an Attachment"):
        download("x", conn=conn)
    with pytest.raises(MissingError):
        download(999_999, conn=conn)


def test_tuple_target_and_default_connection(conn, partner):
    set_default_connection(conn)
    att = upload(("res.partner", partner.id), b"hi", name="hi.txt")
    assert download(att.id) == b"hi"


def test_upload_to_what_is_not_there_leaves_no_orphan(conn):
    rec = conn.transport
    gone = AttPartner.objects.using(conn).create(name="to delete")
    gone_id = gone.id
    gone.delete()
    before = conn.execute("ir.attachment", "search_count", [])
    with pytest.raises(MissingError, match=r"res.partner \d+ does not exist \(deleted\?\)"):
        upload(("res.partner", gone_id), b"x", name="x.txt")
    with pytest.raises(MissingError, match="does not exist"):
        upload(("res.partner", 10**8), b"x", name="x.txt")
    with pytest.raises(FieldError, match=r"cannot attach a file to no\.such\.model 1"):
        upload(("no.such.model", 1), b"x", name="x.txt")
    assert conn.execute("ir.attachment", "search_count", []) == before
    assert not [c for c in rec.calls if c.method == "create" and c.model == "ir.attachment"]


def test_upload_plain_mistakes(conn, partner, tmp_path):
    source = tmp_path / "a.bin"
    source.write_bytes(b"abc")
    with open(source, "rb") as fh:
        pass
    with pytest.raises(FieldError, match="the file object is closed"):
        upload(partner, fh)
    with pytest.raises(ConfigurationError, match=r"max_size=-1.*bytes >= 0, or None"):
        upload(partner, source, max_size=-1)
