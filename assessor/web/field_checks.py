"""What the adviser and administrator forms share: text and password fields, checks of
lengths, e-mail and web addresses, languages and questionnaires, and the way a form's
errors reach its page (:func:`field_errors`).

Lengths are read from the model's columns, so that what a form accepts always fits the
database (PostgreSQL refuses a text longer than its column; SQLite would store it, and a
backup of it could then not be restored into PostgreSQL). Texts without a column limit
take theirs from :mod:`assessor.domain.text_limits`.

The validators skip an empty field (all but ``AccountAddress``): a field that must be
filled in says so with its own ``DataRequired(message=...)`` in front of them. Messages are translated when a form is
checked, in the language of the request.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import InstrumentedAttribute
from wtforms import Field, Form, PasswordField, StringField, ValidationError

from assessor.domain.email_addresses import could_name_an_account, is_email_address
from assessor.domain.languages import LANGUAGE_CODE, LANGUAGES
from assessor.services.questionnaires.catalogue import offered_to


def column_limit(column: InstrumentedAttribute[Any]) -> int:
    """The number of characters a ``String(n)`` column holds."""
    length = column.property.columns[0].type.length
    if length is None:
        raise TypeError(f"{column} has no length")
    return int(length)


def too_long_message(limit: int) -> str:
    message: str = _("Please keep this to %(count)s characters at most.", count=limit)
    return message


def stripped(value: object) -> str:
    """Filter: the text without surrounding space ("" when the field was not sent, or was
    sent as a file upload instead of text)."""
    return value.strip() if isinstance(value, str) else ""


def _as_sent(value: object) -> str:
    return value if isinstance(value, str) else ""


class Text(StringField):
    """A text field whose ``data`` is always a ``str``: without surrounding space (unless
    ``strip=False``), ``""`` when the field was not posted; ``then`` changes it further
    (``str.lower``). Pages render their inputs themselves, so this serves a one-line
    input and a text area alike."""

    data: str

    def __init__(
        self,
        label: str | None = None,
        validators: list[Any] | None = None,  # as WTForms' own fields take them
        *,
        strip: bool = True,
        then: Callable[[str], str] | None = None,
        **options: Any,
    ) -> None:
        first = stripped if strip else _as_sent
        filters = [first] if then is None else [first, then]
        super().__init__(label, validators, filters=filters, **options)


class Password(PasswordField):
    """A password as typed (never stripped), ``""`` when not posted."""

    data: str

    def __init__(
        self,
        label: str | None = None,
        validators: list[Any] | None = None,  # as WTForms' own fields take them
        **options: Any,  # WTForms binds a field with its name, prefix and translations
    ) -> None:
        super().__init__(label, validators, filters=[_as_sent], **options)


def language_codes(codes: list[str] | None) -> list[str]:
    """Filter: the well-formed language codes among those posted (``pt-BR``), others
    dropped; the view keeps those it offers."""
    return [code for code in codes or [] if LANGUAGE_CODE.match(code)]


class MaxLength:
    """At most ``limit`` characters, with the message every length check shows; a form
    that has always worded it its own way gives its ``message`` (a ``lazy_gettext``)."""

    def __init__(self, limit: int, message: LazyString | None = None) -> None:
        self.limit = limit
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if len(field.data or "") <= self.limit:
            return
        raise ValidationError(
            too_long_message(self.limit) if self.message is None else str(self.message)
        )


class EmailAddress:
    """An address we can send to (``assessor.domain.email_addresses``, the project's one
    check). With ``limit``, a longer text first gets the length message of its column."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        address = field.data or ""
        if not address:
            return
        if self.limit is not None and len(address) > self.limit:
            raise ValidationError(too_long_message(self.limit))
        if not is_email_address(address):
            raise ValidationError(_("Enter an e-mail address such as name@example.org."))


class AccountAddress:
    """An address that may be an account's, for a look-up only (forgot-password): looser
    than :class:`EmailAddress`, see ``could_name_an_account``."""

    def __call__(self, form: Form, field: Field) -> None:
        if not could_name_an_account(field.data or ""):
            raise ValidationError(_("Enter an e-mail address such as name@example.org."))


class HttpsAddress:
    """A web address that starts with ``https://``."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and not field.data.startswith("https://"):
            raise ValidationError(_("Enter an address that starts with https://"))


class OneOf:
    """One of ``values`` (a callable is asked each time the form is checked: the
    questionnaires of the running app), else ``message`` (a ``lazy_gettext``)."""

    def __init__(
        self, values: Container[str] | Callable[[], Container[str]], message: LazyString
    ) -> None:
        self.values = values
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        values = self.values() if callable(self.values) else self.values
        if field.data not in values:
            raise ValidationError(str(self.message))


def language_choice() -> OneOf:
    """One of the site's languages (:data:`LANGUAGES`)."""
    return OneOf(LANGUAGES, _l("Choose a language."))


def questionnaire_choice() -> OneOf:
    """The id of one of the questionnaires the signed-in adviser's cluster offers."""
    return OneOf(
        lambda: {q.id for q in offered_to(current_user.cluster)}, _l("Choose a questionnaire.")
    )


def field_errors(form: Form) -> dict[str, str]:
    """The first message of each field that has one, by field name, as the pages show them
    (next to the field, and in the summary at the top). The CSRF token is left out: a
    missing or stale one is refused before any view runs (``CSRFProtect``)."""
    return {
        name: str(messages[0])
        for name, messages in form.errors.items()
        if messages and name != "csrf_token" and isinstance(messages, list)
    }
