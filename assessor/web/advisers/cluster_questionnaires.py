"""Questionnaires published from the browser: a cluster administrator's own questionnaires
(``/advisers/cluster/questionnaires``) and the platform administrator's platform-wide ones
(``/advisers/platform/questionnaires``), with the same pages.

The editor keeps the text as a draft in the database: uploading a file or checking the text
saves it, so checking, trying it as a respondent and publishing all work on the same text.
Publishing asks to confirm, with what the check found: the version it would get.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from assessor.domain.loading import LoadError
from assessor.services.action_services import action_services, topic_warnings
from assessor.services.clusters import network_catalogue
from assessor.services.questionnaires.drafts import (
    discard_draft,
    draft_by_public_id,
    draft_for,
    entry_of,
    new_drafts_of,
    other_drafts,
    published_text,
    questionnaire_rows,
    save_draft,
)
from assessor.services.questionnaires.publishing import (
    MAX_QUESTIONNAIRE_BYTES,
    PublishedMeanwhile,
    TextCheck,
    check_text,
    publish,
    served_source,
    set_retired,
)
from assessor.services.questionnaires.translated import current_language
from assessor.services.questionnaires.translations import untranslated_counts
from assessor.storage.models import Cluster, QuestionnaireDraft, QuestionnaireEntry, Role
from assessor.web.advisers.access import signed_in
from assessor.web.forms import CsrfForm
from assessor.web.links import absolute_url
from assessor.web.routes import Routes

routes = Routes()
View = TypeVar("View", bound=Callable[..., Any])

SCOPES = {"cluster": Role.CLUSTER_ADMIN, "platform": Role.PLATFORM_ADMIN}


def _routes(rule: str, name: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[View], View]:
    """The same view for a cluster's questionnaires and for the platform's: endpoints
    ``cluster_<name>`` and ``platform_<name>``, the view getting ``scope``."""

    def record(view: View) -> View:
        for scope in SCOPES:
            routes.route(
                f"/{scope}/questionnaires{rule}",
                endpoint=f"{scope}_{name}",
                methods=list(methods),
                defaults={"scope": scope},
            )(view)
        return view

    return record


def _owner(scope: str) -> Cluster | None:
    """The cluster whose questionnaires the page is about (None: the platform's); only its
    administrator (or the platform administrator for ``platform``) may open it."""
    if current_user.role_enum is not SCOPES[scope]:
        abort(403)
    return current_user.cluster if scope == "cluster" else None


def _endpoint(scope: str, name: str) -> str:
    return f"advisers.{scope}_{name}"


def _start_link(cluster: Cluster | None, questionnaire_id: str) -> str:
    """The link that starts this questionnaire, for the cluster's web site."""
    if cluster is None:
        return absolute_url("assessment.start", questionnaire=questionnaire_id)
    return absolute_url(
        "assessment.cluster_entry", slug=cluster.slug, questionnaire=questionnaire_id
    )


# The list -------------------------------------------------------------------------------------


@_routes("", "questionnaires")
@signed_in(*SCOPES.values())
def questionnaires(scope: str) -> str:
    owner = _owner(scope)
    rows = questionnaire_rows(owner)
    published = request.args.get("published")
    return render_template(
        "advisers/questionnaire_list.html",
        scope=scope,
        cluster=owner,
        rows=rows,
        drafts=new_drafts_of(owner),
        start_links={
            row.entry.questionnaire_id: _start_link(owner, row.entry.questionnaire_id)
            for row in rows
        },
        just_published=next((r for r in rows if r.entry.questionnaire_id == published), None),
        # What this server found wrong with its files at start (each server reads its own).
        file_problems=current_app.extensions.get("assessor.questionnaire_problems", ())
        if owner is None
        else (),
        form=CsrfForm(),
    )


def _own_entry(owner: Cluster | None, questionnaire_id: str) -> QuestionnaireEntry:
    entry = entry_of(owner, questionnaire_id)
    if entry is None:
        abort(404)
    return entry


@_routes("/<questionnaire_id>/v<int:version>.yaml", "download_questionnaire")
@signed_in(*SCOPES.values())
def download_questionnaire(scope: str, questionnaire_id: str, version: int) -> Response:
    entry = _own_entry(_owner(scope), questionnaire_id)
    text = published_text(entry, version)
    if text is None:
        abort(404)
    response = Response(text, mimetype="application/yaml")
    filename = f"{entry.questionnaire_id}-v{version}.yaml"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@_routes("/<questionnaire_id>/withdrawn", "withdraw_questionnaire", methods=("POST",))
@signed_in(*SCOPES.values())
def withdraw_questionnaire(scope: str, questionnaire_id: str) -> Response | str:
    """Withdraw (``withdrawn=yes``) or offer again (``withdrawn=no``), once confirmed."""
    entry = _own_entry(_owner(scope), questionnaire_id)
    if request.form.get("withdrawn") not in ("yes", "no"):
        abort(400)
    withdrawn = request.form.get("withdrawn") == "yes"
    if request.form.get("confirmed") != "yes":
        return render_template(
            "advisers/questionnaire_withdraw.html",
            scope=scope,
            entry=entry,
            withdrawn=withdrawn,
            form=CsrfForm(),
        )
    set_retired(entry, withdrawn)
    if withdrawn:
        flash(
            _(
                "%(id)s is withdrawn: no new assessment can start on it; results of earlier ones are still shown.",
                id=entry.questionnaire_id,
            ),
            "info",
        )
    else:
        flash(_("%(id)s is offered again.", id=entry.questionnaire_id), "info")
    return redirect(url_for(_endpoint(scope, "questionnaires")))


# The editor -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A validator message and the line it is about (0: about no line of the text)."""

    line: int
    text: str


@dataclass(frozen=True)
class Listing:
    """The text as checked, line by line, with the messages of each line."""

    lines: tuple[tuple[int, str, tuple[str, ...]], ...]
    messages: tuple[Message, ...]

    @classmethod
    def of(cls, text: str, errors: tuple[LoadError, ...]) -> Listing:
        source_lines = text.split("\n")
        if source_lines and source_lines[-1] == "":
            source_lines.pop()
        by_line: dict[int, list[str]] = {}
        messages = []
        for error in sorted(errors, key=lambda e: e.line):
            line = error.line if 1 <= error.line <= len(source_lines) else 0
            messages.append(Message(line, error.message))
            if line:
                by_line.setdefault(line, []).append(error.message)
        return cls(
            tuple(
                (number, content, tuple(by_line.get(number, ())))
                for number, content in enumerate(source_lines, start=1)
            ),
            tuple(messages),
        )


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@_routes("/new", "new_questionnaire", methods=("GET", "POST"))
@signed_in(*SCOPES.values())
def new_questionnaire(scope: str) -> Response | tuple[str, int] | str:
    return _editor(scope, _owner(scope), None, None)


@_routes("/<questionnaire_id>/edit", "edit_questionnaire", methods=("GET", "POST"))
@signed_in(*SCOPES.values())
def edit_questionnaire(scope: str, questionnaire_id: str) -> Response | tuple[str, int] | str:
    """The editor on the served text; on the draft when one is being edited."""
    owner = _owner(scope)
    entry = _own_entry(owner, questionnaire_id)
    draft = draft_for(owner, questionnaire_id)
    if draft is not None:
        return redirect(url_for(_endpoint(scope, "questionnaire_draft"), draft_id=draft.public_id))
    return _editor(scope, owner, None, entry)


@_routes("/drafts/<draft_id>", "questionnaire_draft", methods=("GET", "POST"))
@signed_in(*SCOPES.values())
def questionnaire_draft(scope: str, draft_id: str) -> Response | tuple[str, int] | str:
    owner = _owner(scope)
    draft = draft_by_public_id(owner, draft_id)
    if draft is None:
        abort(404)
    entry = entry_of(owner, draft.questionnaire_id) if draft.questionnaire_id else None
    return _editor(scope, owner, draft, entry)


def _editor(
    scope: str,
    owner: Cluster | None,
    draft: QuestionnaireDraft | None,
    entry: QuestionnaireEntry | None,
) -> Response | tuple[str, int] | str:
    """The editor's page and what its buttons do. Nothing is stored until the text is
    checked (every button but "discard" saves the text as the draft first)."""
    page = _EditorPage(scope, owner, draft, entry)
    if request.method == "GET":
        if draft is not None and draft.source.strip():
            return page.render(check_text(draft.source, owner))  # what the draft says now
        return page.render(None, text=served_source(entry) if entry is not None else "")
    try:
        action = request.form.get("action", "check")
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        return page.refused(_too_large())
    if action == "discard":
        if draft is not None:
            discard_draft(draft)
            flash(_("The draft is discarded."), "info")
        return redirect(url_for(_endpoint(scope, "questionnaires")))
    if action == "upload":
        if upload is None or not upload.filename:
            return page.refused(_("Choose a questionnaire file (.yaml) to upload."))
        data = upload.stream.read(MAX_QUESTIONNAIRE_BYTES + 1)
        if len(data) > MAX_QUESTIONNAIRE_BYTES:
            return page.refused(_too_large())
        try:
            text = data.decode("utf-8-sig")
            if "\x00" in text:  # a binary file, not a text file
                raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL character")
        except UnicodeDecodeError:
            return page.refused(
                _(
                    "This file is not UTF-8 text. Save it as UTF-8 (every text editor can) and upload it again."
                )
            )
    else:
        text = request.form.get("source", "")
        if len(text.encode()) > MAX_QUESTIONNAIRE_BYTES:
            return page.refused(_too_large(), text=text)
    if not text.strip():
        return page.refused(
            _("The text is empty: paste a questionnaire or upload its file."), text=text
        )
    draft = save_draft(owner, draft, text, current_user, entry.questionnaire_id if entry else None)
    page = _EditorPage(scope, owner, draft, entry)
    check = check_text(draft.source, owner)
    if action != "publish":
        if request.path != page.url:  # the draft has its own address from now on
            return redirect(page.url, code=303)
        return page.render(check)
    if not check.ok:
        return page.render(check)
    if request.form.get("confirmed") != "yes" or request.form.get("checked") != _text_digest(
        draft.source
    ):
        return page.render(check, confirming=True)
    try:
        published = publish(check, owner, current_user)
    except PublishedMeanwhile:
        return page.refused(
            _(
                "Someone published this questionnaire at the same moment. Check the text "
                "again: it will get the next version."
            )
        )
    discard_draft(draft)  # it says what is served now: nothing is left to edit
    if check.unchanged and not check.rewritten:
        flash(
            _(
                "Nothing changed: version %(version)s of %(id)s is already served.",
                version=published.version,
                id=published.questionnaire_id,
            ),
            "info",
        )
    else:
        flash(_("Published as version %(version)s.", version=published.version), "info")
    return redirect(
        url_for(
            _endpoint(scope, "questionnaires"),
            published=published.questionnaire_id,
            _anchor=f"q-{published.questionnaire_id}",
        )
    )


def _too_large() -> str:
    message: str = _(
        "The questionnaire is larger than %(size)s KB, the most this site accepts. Split long help texts or remove unused ones.",
        size=MAX_QUESTIONNAIRE_BYTES // 1024,
    )
    return message


class _EditorPage:
    def __init__(
        self,
        scope: str,
        owner: Cluster | None,
        draft: QuestionnaireDraft | None,
        entry: QuestionnaireEntry | None,
    ) -> None:
        self.scope = scope
        self.owner = owner
        self.draft = draft
        self.entry = entry
        if draft is not None:
            self.url = url_for(_endpoint(scope, "questionnaire_draft"), draft_id=draft.public_id)
        elif entry is not None:
            self.url = url_for(
                _endpoint(scope, "edit_questionnaire"), questionnaire_id=entry.questionnaire_id
            )
        else:
            self.url = url_for(_endpoint(scope, "new_questionnaire"))

    def refused(self, message: str, text: str | None = None) -> tuple[str, int]:
        """The page with ``message`` above the form; nothing was stored."""
        return self.render(None, text=text, refusal=message), 400

    def render(
        self,
        check: TextCheck | None,
        *,
        text: str | None = None,
        refusal: str | None = None,
        confirming: bool = False,
    ) -> str:
        if text is None:
            text = self.draft.source if self.draft is not None else ""
        # One preview page for both: it previews for the signed-in administrator's cluster,
        # or platform-wide for the platform administrator.
        preview_endpoint = "advisers.preview_questionnaire"
        return render_template(
            "advisers/questionnaire_editor.html",
            scope=self.scope,
            cluster=self.owner,
            draft=self.draft,
            entry=self.entry,
            action_url=self.url,
            text=text,
            check=check,
            listing=Listing.of(self.draft.source, check.errors)
            if check is not None and self.draft is not None
            else None,
            refusal=refusal,
            confirming=confirming,
            checked=_text_digest(self.draft.source) if self.draft is not None else "",
            max_kb=MAX_QUESTIONNAIRE_BYTES // 1024,
            other_drafts=other_drafts(self.draft) if self.draft is not None else [],
            preview_url=url_for(preview_endpoint)
            if preview_endpoint in current_app.view_functions
            else None,
            start_link=_start_link(self.owner, check.questionnaire.id)
            if check is not None and check.questionnaire is not None
            else None,
            form=CsrfForm(),
            **_service_checks(check, self.owner),
        )


def _service_checks(check: TextCheck | None, owner: Cluster | None) -> dict[str, object]:
    """For a text without errors: the action topics no service uses, and which services each
    action would get, in the plans of the owner's cluster (for a platform-wide questionnaire:
    of the network catalogue, which every cluster's plans fall back on)."""
    if check is None or check.questionnaire is None:
        return {}
    # Before publishing: how many texts each declared language still lacks (a language is
    # offered only once complete).
    counts: dict[str, object] = {
        "untranslated": untranslated_counts(check.questionnaire),
        "untranslated_template": "advisers/_questionnaire_untranslated.html",
    }
    cluster = owner if owner is not None else network_catalogue()
    if cluster is None:
        return counts
    return {
        **counts,
        "topic_warnings": topic_warnings(check.questionnaire, cluster),
        "action_services": action_services(
            check.questionnaire, cluster, language=current_language()
        ),
        "action_services_template": "advisers/_questionnaire_service_checks.html",
    }
