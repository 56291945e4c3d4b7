"""What every form of the site shares.

``CsrfForm`` is the form of a page whose only protected input is the CSRF token: a button
that posts (delete, close, sign out), or a page whose fields its own view reads. Pages with
fields a user types have their own ``FlaskForm`` next to their view; the validators they
share (lengths from the model's columns, the one e-mail check, ``https://``, the language
list) are in :mod:`assessor.web.field_checks`.
"""

from __future__ import annotations

from flask_wtf import FlaskForm


class CsrfForm(FlaskForm):
    """No fields: renders ``form.csrf_token``; ``validate_on_submit`` checks only the token."""
