"""webhooks.Receiver: a WSGI app that checks the token, coalesces duplicates, answers first."""

from __future__ import annotations

import io
import json
import secrets
import threading
import time

import pytest
import requests

from odoorm import webhooks
from odoorm.exceptions import ConfigurationError
from odoorm.transport.base import RecordingTransport

from .conftest import Partner, offline, sent

PAYLOAD = {
    "_action": "odoorm: res.partner(#4)",
    "_id": 7,
    "_model": "res.partner",
    "id": 7,
    "name": "Acme",
    "is_company": True,
    "country_id": 2,
    "write_date": "2030-01-01 09:00:00.304426",
}


def call(app, path, body=PAYLOAD, method="POST", query=""):
    """One WSGI request: (status code, JSON answer)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
    }
    status = []
    chunks = app(environ, lambda s, headers: status.append(s))
    return int(status[0].split()[0]), json.loads(b"".join(chunks))


def take(receiver, n):
    """The first ``n`` events (waits for them; never more than 10 s in all)."""
    out = []
    for event in receiver.events(timeout=10):
        out.append(event)
        if len(out) == n:
            break
    return out


def test_a_wrong_or_missing_token_is_refused_and_nothing_handed_on(token):
    receiver = webhooks.Receiver(token)
    assert call(receiver, "/odoo/" + secrets.token_urlsafe(32))[0] == 403
    assert call(receiver, "/odoo/")[0] == 403
    assert call(receiver, "/odoo/" + token[:-1])[0] == 403
    assert call(receiver, "/odoo", query="token=nope-nope-nope-nope")[0] == 403
    assert call(receiver, "/odoo/x", method="GET")[0] == 403
    assert receiver.received == 0
    assert list(receiver.events(timeout=0)) == []


def test_the_token_may_be_the_last_segment_or_a_query_parameter_and_rotated(token):
    old = secrets.token_urlsafe(32)
    receiver = webhooks.Receiver([token, old])
    assert call(receiver, f"/hooks/odoo/{token}")[0] == 200
    assert call(receiver, "/hooks/odoo", query=f"token={old}", body={**PAYLOAD, "_id": 8})[0] == 200
    assert receiver.received == 2


def test_bad_requests_with_the_right_token(token):
    receiver = webhooks.Receiver(token)
    assert call(receiver, f"/{token}", method="GET")[0] == 405
    assert call(receiver, f"/{token}", body=b"not json")[0] == 400
    assert call(receiver, f"/{token}", body={"id": 7})[0] == 400
    assert call(receiver, f"/{token}", body={"_model": "res.partner", "_id": "7"})[0] == 400
    assert receiver.received == 0


def test_duplicate_posts_make_one_event(token):
    receiver = webhooks.Receiver(token)
    answers = [call(receiver, f"/{token}") for _ in range(13)]  # what Odoo sends for one create
    assert answers[0] == (200, {"ok": True})
    assert all(a == (200, {"ok": True, "duplicate": True}) for a in answers[1:])
    later = {**PAYLOAD, "write_date": "2030-01-01 09:00:01.000001", "name": "Acme Inc"}
    call(receiver, f"/{token}", body=later)
    call(receiver, f"/{token}", body=later)
    events = take(receiver, 2)
    assert [e.values["name"] for e in events] == ["Acme", "Acme Inc"]
    assert (receiver.received, receiver.duplicates) == (2, 13)


def test_an_event_carries_a_record_built_from_the_payload_without_a_call(token):
    conn, rec = offline()
    receiver = webhooks.Receiver(token, models=(Partner,), conn=conn)
    call(receiver, f"/{token}")
    (event,) = take(receiver, 1)
    assert (event.model, event.id, event.action) == ("res.partner", 7, PAYLOAD["_action"])
    assert event.write_date is not None and event.write_date.microsecond == 304426
    assert event.hook == "res.partner" and not event.deleted
    record = event.record
    assert isinstance(record, Partner) and record.id == 7
    assert record.name == "Acme" and record.is_company is True
    assert record.country.id == 2  # a bare id (load=None) becomes a related record
    assert rec.calls == []
    assert "Acme" not in repr(event)


class _AnnouncedBeforeAnswering(RecordingTransport):
    """Real Odoo's order: a create's webhook POSTs (13 of them) reach the receiver
    and are handled before the create answers (the emulator sends them later, from
    a thread)."""

    def __init__(self, inner, receiver, token):
        super().__init__(inner)
        self.receiver, self.token = receiver, token

    def call(self, rpc):
        result = super().call(rpc)
        if (rpc.model, rpc.method) == ("res.partner", "create"):
            for rid in result if isinstance(result, list) else [result]:
                for _ in range(13):
                    call(self.receiver, f"/{self.token}", body={**PAYLOAD, "_id": rid, "id": rid})
            deadline = time.monotonic() + 10
            while self.receiver._events.qsize() < 1 and time.monotonic() < deadline:
                time.sleep(0.01)  # the receiver's worker has made the event's record
        return result


def test_a_create_announced_before_it_answers_gives_the_event_the_created_object(
    conn, receiver, token
):
    conn._state.transport = _AnnouncedBeforeAnswering(conn._state.transport, receiver, token)
    partner = Partner.objects.using(conn).create(name="Acme", is_company=True)
    (event,) = take(receiver, 1)
    assert event.id == partner.id and event.record is partner
    assert Partner.objects.using(conn).get(id=partner.id) is partner
    assert (receiver.received, receiver.duplicates) == (1, 12)


def test_events_of_undeclared_models_have_no_record(token):
    receiver = webhooks.Receiver(token, models=(Partner,))
    call(receiver, f"/{token}", body={**PAYLOAD, "_model": "res.partner.category"})
    (event,) = take(receiver, 1)
    assert event.model == "res.partner.category" and event.record is None


def test_the_handler_runs_after_the_answer_off_the_request_thread(token):
    release = threading.Event()
    seen = []

    def handler(event):
        release.wait(10)
        seen.append((event.id, threading.current_thread().name))

    receiver = webhooks.Receiver(token, handler=handler)
    assert call(receiver, f"/{token}") == (200, {"ok": True})  # answered while the handler waits
    assert seen == []
    release.set()
    with pytest.raises(TypeError, match="handler="):
        next(receiver.events())


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"token": "short"}, "at least 16 URL-safe characters"),
        ({"token": "has a space in it, sixteen+"}, "at least 16 URL-safe characters"),
        ({"token": []}, "at least one token"),
        ({"models": ["res.partner"]}, "give model classes"),
        ({"handler": "print"}, "give a function"),
    ],
)
def test_bad_receiver_arguments(kwargs, expected):
    args = {"token": secrets.token_urlsafe(32), **kwargs}
    with pytest.raises(ConfigurationError, match=expected):
        webhooks.Receiver(**args)


def test_close_ends_the_iteration(token):
    receiver = webhooks.Receiver(token)
    receiver.close()
    assert list(receiver.events()) == []


def test_served_receiver_gets_the_emulators_posts(odoo, conn, receiver, served, token):
    assert token not in repr(served)
    hook = webhooks.install(Partner.objects.filter(is_company=True), served.url, conn=conn)
    people = Partner.objects.using(conn)
    people.create(name="Person")  # outside the filter: not announced
    company = people.create(name="Company", is_company=True)
    company.name = "Company Inc"
    company.save()
    assert [p["_id"] for p in sent(odoo)] == [company.id, company.id]
    events = take(receiver, 2)
    assert [(e.id, e.values["name"]) for e in events] == [
        (company.id, "Company"),
        (company.id, "Company Inc"),
    ]
    assert all(e.hook == "res.partner" for e in events)
    hook.remove()
    answer = requests.post(served.url.rsplit("/", 1)[0] + "/wrong-token", json=PAYLOAD, timeout=5)
    assert answer.status_code == 403
