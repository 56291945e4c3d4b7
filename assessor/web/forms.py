"""What every form of the site shares.

``CsrfForm`` is a form with the CSRF token and nothing else: the form of a page whose only
input is a button that posts (delete, close, sign out), and the base of every other form.
Pages where people type have their own form, next to their view (``advisers/auth.py``
holds ``SignInForm``); the validators and fields those forms share (lengths from the
model's columns, the one e-mail check, ``https://``, the language list) are in
:mod:`assessor.web.field_checks`.
"""

from __future__ import annotations

from flask_wtf import FlaskForm


class CsrfForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no types: FlaskForm is Any
    """No fields: renders ``form.csrf_token``; ``validate_on_submit`` checks only the token
    (which ``CSRFProtect`` has checked already, before any view runs)."""
