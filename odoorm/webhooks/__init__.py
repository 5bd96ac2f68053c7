"""Webhooks: Odoo calls you when records change; receive the calls safely; pair them with polling.

::

    from odoorm import webhooks

    receiver = webhooks.Receiver(token, models=(Partner,))
    server = receiver.serve(host="0.0.0.0", port=8000)          # or mount it in any WSGI app
    hook = webhooks.install(Partner.objects.filter(is_company=True),
                            f"https://hooks.example.com/odoo/{token}", on=("create", "write"))
    for event in receiver.events(timeout=60):
        print(event.model, event.id, event.record.name)

Odoo 17+ sends them through an automation rule (module ``base_automation``)
whose server action has ``state='webhook'``: one POST of
``{"_action", "_id", "_model", "id", <fields>}``, from inside the writing
transaction, with a 1 s timeout and no retry ("send and forget"), and usually
13-14 identical POSTs for one create. So the :class:`Receiver` coalesces the
duplicates, and :func:`watch` turns each event into an immediate
:func:`odoorm.polling.poll` with the saved cursor, which delivers what an event
announced (or what a lost event did not) exactly once. Odoo 16 cannot send
webhooks without a custom module: use :func:`odoorm.polling.watch` there.

The payload is not signed and carries no header of ours: the secret travels in
the URL, so serve the receiver over HTTPS and rotate the token (a
:class:`Receiver` accepts several tokens while the hooks move to a new one).
"""

from odoorm.webhooks.follow import watch
from odoorm.webhooks.hooks import (
    Hook,
    WebhooksUnavailable,
    install,
    install_base_automation,
    installed,
)
from odoorm.webhooks.receiver import Event, Receiver, ServerHandle

__all__ = [
    "Event",
    "Hook",
    "Receiver",
    "ServerHandle",
    "WebhooksUnavailable",
    "install",
    "install_base_automation",
    "installed",
    "watch",
]
