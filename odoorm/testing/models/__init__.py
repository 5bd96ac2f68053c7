"""The business rules of the models the emulator knows, registered per model.

Each module describes one model family as :class:`~odoorm.testing._api.ModelHooks`
values; :data:`REGISTRY` lists them per model name, and
:mod:`odoorm.testing.behaviours` runs those that apply to the database's version.
"""

from __future__ import annotations

from odoorm.testing._api import ModelHooks
from odoorm.testing.models import (
    account,
    actions,
    attachment,
    base,
    country,
    currency,
    ids,
    lang,
    mail,
    partner,
    partner_measured,
    product,
    sale,
    sale_measured,
    system,
    tax_totals,
    users,
)
from odoorm.testing.settings_schema import FOLLOWED

#: model -> its behaviours, in the order they run (an entry may be limited to some versions)
#: ("*" holds what every model has)
REGISTRY: dict[str, tuple[ModelHooks, ...]] = {
    "*": (base.BASE_16, ids.IDS_16, ids.IDS_17_18, ids.IDS_19),
    # before the order lines: their after_load learns rates only for ids the taxes lack
    "account.tax": (account.TAX,),
    "account.tax.group": (account.GROUP,),
    "product.template": (product.TEMPLATE, sale_measured.TEMPLATE),
    "product.product": (product.VARIANT, sale_measured.VARIANT),
    "res.partner": (
        partner.PARTNER,
        partner.PARTNER_18,
        partner.PARTNER_17_18,
        sale.PARTNER,
        partner_measured.MEASURED,
    ),
    "res.company": (sale_measured.COMPANY,),
    "res.country": (country.COUNTRY,),
    "res.country.state": (country.STATE,),
    "sale.order": (
        sale.ORDER,
        sale.ORDER_17,
        tax_totals.ORDER_16,
        tax_totals.ORDER_18,
        tax_totals.ORDER_19,
        sale_measured.ORDER,
    ),
    "sale.order.line": (sale.LINE, sale_measured.LINE),
    "ir.attachment": (attachment.ATTACHMENT,),
    "res.users": (users.USERS,),
    "res.groups": (users.GROUPS,),
    "res.users.apikeys.description": (users.APIKEY_WIZARD, users.APIKEY_WIZARD_18),
    "res.users.identitycheck": (users.IDENTITY_CHECK,),
    "ir.model.data": (system.DATA,),
    "ir.ui.menu": (system.MENU,),
    "ir.module.module": (system.MODULE,),
    "res.lang": (lang.LANG,),
    "base.language.install": (lang.LANGUAGE_INSTALL,),
    "ir.actions.actions": (actions.ACTION,),
    "ir.actions.act_window": (actions.WINDOW,),
    "res.currency.rate": (currency.RATE,),
    "mail.followers": (mail.FOLLOWERS,),
}
# mail.thread's followers, on every model that has them
for _model in sorted(FOLLOWED):
    REGISTRY[_model] = (*REGISTRY.get(_model, ()), mail.FOLLOWED)
