"""The cluster administrator's webhook: its URL, on or off, its secret, a test event, and
the log of deliveries with "send again" (docs/webhooks.md)."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field, Form, ValidationError
from wtforms.validators import DataRequired

from assessor.services import webhooks
from assessor.storage.models import Role, WebhookEndpoint
from assessor.web.advisers.access import signed_in
from assessor.web.field_checks import MaxLength, Text, column_limit, field_errors
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.routes import Routes

log = logging.getLogger(__name__)

routes = Routes()

URL_LIMIT = column_limit(WebhookEndpoint.url)
LOG_PAGE_SIZE = 25

EVENT_LABELS = {
    webhooks.SHARED: _l("Assessment shared"),
    webhooks.WITHDRAWN: _l("Assessment withdrawn"),
    webhooks.TEST: _l("Test event"),
}
STATE_LABELS = {
    webhooks.PENDING: _l("Waiting"),
    webhooks.DELIVERED: _l("Delivered"),
    webhooks.FAILED: _l("Failed"),
}


class WebhookAddress:
    """An http(s) URL whose host is a public address (or in an allowed network)."""

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            return
        refused = webhooks.url_refused(field.data)
        if refused is None:
            return
        if refused.reason == "scheme":
            message = _("Enter an address that starts with https:// or http://")
        elif refused.reason in ("unresolved", "private"):
            # One message for both, without the address: which names the site's resolver
            # knows, and where they lead, is the operator's to know (the log says it).
            log.info("webhook address %r refused: %s", field.data, refused)
            message = _(
                "This address cannot be used: a webhook must go to a public https:// or "
                "http:// address that can be reached from the internet."
            )
        else:
            message = _("Enter a web address such as https://crm.example.org/assessor-events.")
        raise ValidationError(message)


class WebhookForm(CsrfForm):
    url = Text(
        validators=[
            DataRequired(message=_l("Enter the address the events are sent to.")),
            MaxLength(URL_LIMIT),
            WebhookAddress(),
        ]
    )
    enabled = Text(strip=False)  # "yes" from its check box


def _page_number() -> int:
    page = request.args.get("page", "0")
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return int(page) if page.isascii() and page.isdecimal() and len(page) < 7 else 0


@routes.route("/cluster/webhook", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def webhook() -> Response | tuple[str, int] | str:
    """Where the cluster's events go, and what became of each."""
    cluster = current_user.cluster
    endpoint = webhooks.endpoint_of(cluster)
    form = WebhookForm()
    errors: dict[str, str] = {}
    if form.is_submitted():
        if form.validate():
            enabled = form.enabled.data == "yes"
            webhooks.save_endpoint(cluster, form.url.data, enabled)
            flash(
                _("The webhook is saved and turned on.")
                if enabled
                else _("The webhook is saved and turned off: no event is sent."),
                "info",
            )
            return redirect(url_for("advisers.webhook"))
        errors = field_errors(form)
        values = {"url": form.url.data, "enabled": form.enabled.data == "yes"}
    elif endpoint is not None:
        values = {"url": endpoint.url, "enabled": endpoint.is_enabled}
    else:
        values = {"url": "", "enabled": True}
    page = _page_number()
    deliveries = webhooks.delivery_log(cluster, page, LOG_PAGE_SIZE) if endpoint else []
    return form_page(
        "advisers/cluster_webhook.html",
        form=form,
        values=values,
        errors=errors,
        url_limit=URL_LIMIT,
        endpoint=endpoint,
        deliveries=deliveries,
        event_labels={event: str(label) for event, label in EVENT_LABELS.items()},
        state_labels={state: str(label) for state, label in STATE_LABELS.items()},
        page=page,
        more=len(deliveries) == LOG_PAGE_SIZE,
    )


@routes.post("/cluster/webhook/test")
@signed_in(Role.CLUSTER_ADMIN)
def webhook_test() -> Response:
    # CSRFProtect has checked the token before any view runs.
    if webhooks.send_test(current_user.cluster) is None:
        flash(_("Turn the webhook on first."), "error")
    else:
        flash(_("A test event is on its way; its delivery is at the top of the log."), "info")
    return redirect(url_for("advisers.webhook"))


@routes.route("/cluster/webhook/secret", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def webhook_secret() -> Response | str:
    """A new secret, once the administrator confirms: the receiver must change too."""
    cluster = current_user.cluster
    if webhooks.endpoint_of(cluster) is None:
        abort(404)
    if request.method == "GET":
        return render_template("advisers/webhook_secret.html", form=CsrfForm())
    webhooks.replace_secret(cluster)
    flash(
        _("The webhook has a new secret: give it to the receiver, which must check it now."),
        "info",
    )
    return redirect(url_for("advisers.webhook"))


@routes.post("/cluster/webhook/deliveries/<event_id>/again")
@signed_in(Role.CLUSTER_ADMIN)
def webhook_send_again(event_id: str) -> Response:
    cluster = current_user.cluster
    endpoint = webhooks.endpoint_of(cluster)
    if endpoint is None or not webhooks.delivery_exists(cluster, event_id):
        abort(404)  # another cluster's delivery is not found either
    try:
        sent = webhooks.send_again(cluster, event_id)
    except webhooks.EventWithdrawn:
        flash(
            _(
                "This event cannot be sent again: the company has withdrawn or deleted the "
                "assessment since, and its data is no longer kept."
            ),
            "error",
        )
        return redirect(url_for("advisers.webhook"))
    if sent is None:
        flash(
            _("Turn the webhook on first.")
            if not endpoint.is_enabled
            else _("This delivery is still being tried."),
            "error",
        )
    else:
        flash(_("The event is sent again."), "info")
    return redirect(url_for("advisers.webhook"))
