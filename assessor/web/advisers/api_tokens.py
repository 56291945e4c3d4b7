"""The cluster administrator's API tokens: make one for the cluster's CRM (shown once),
see when each was last used, revoke one (after a confirmation). docs/api.md."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.validators import DataRequired

from assessor.services import api_tokens
from assessor.storage.models import ApiToken, Role
from assessor.web.advisers.access import signed_in
from assessor.web.field_checks import MaxLength, Text, column_limit, field_errors
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.routes import Routes

routes = Routes()


class TokenForm(CsrfForm):
    name = Text(
        validators=[
            DataRequired(message=_l("Name the token after what will use it, such as our CRM.")),
            MaxLength(column_limit(ApiToken.name)),
        ]
    )


@routes.route("/cluster/api-tokens", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def api_tokens_page() -> str | tuple[str, int]:
    """The list, and the form making a token; a new token is on the answer to its POST
    only (never in a redirect's session, never again)."""
    cluster = current_user.cluster
    form = TokenForm()
    errors: dict[str, str] = {}
    new_token = None
    if form.is_submitted():
        if form.validate():
            _row, new_token = api_tokens.create_token(cluster, form.name.data, current_user)
            form.name.data = ""
        else:
            errors = field_errors(form)
    return form_page(
        "advisers/api_tokens.html",
        form=form,
        errors=errors,
        tokens=api_tokens.tokens_of(cluster),
        new_token=new_token,
        api_url=url_for("api.openapi_document", _external=True).removesuffix("/openapi.json"),
    )


@routes.post("/cluster/api-tokens/<int:token_id>/revoke")
@signed_in(Role.CLUSTER_ADMIN)
def revoke_api_token(token_id: int) -> Response | str:
    """Asks first (``confirmed=yes`` revokes); another cluster's token is not found."""
    token = api_tokens.cluster_token(current_user.cluster, token_id)
    if token is None:
        abort(404)
    if token.revoked_at is not None:  # revoked meanwhile (another tab, another admin)
        return redirect(url_for("advisers.api_tokens_page"))
    if request.form.get("confirmed") != "yes":
        return render_template("advisers/api_token_revoke.html", token=token, form=CsrfForm())
    api_tokens.revoke_token(token, current_user)
    flash(_("The token %(name)s is revoked: it no longer opens the API.", name=token.name), "info")
    return redirect(url_for("advisers.api_tokens_page"))
