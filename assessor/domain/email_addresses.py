"""The one check of an e-mail address, for every form, catalogue file and account.

The length is checked before anything else looks at the text, so that no pattern ever
runs over a megabyte a stranger posted; the syntax is then checked by
``email-validator`` (the library WTForms' ``Email`` validator uses), which is linear
in the length and refuses what our old pattern let through (``a@b.c,d@e.f``, spaces,
addresses of reserved domains such as ``.localhost``). Nothing is looked up in DNS.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

# RFC 5321: a path holds at most 256 octets with its angle brackets, so 254 for the address.
EMAIL_MAX_LENGTH = 254


def normalise_email(address: str) -> str:
    """How addresses are stored and compared: no surrounding space, lower case."""
    return address.strip().lower()


def email_problem(address: str) -> str | None:
    """Why ``address`` is not an e-mail address we can send to, in a few English words,
    or None when it is one. Callers show their own translated message to users."""
    if len(address) > EMAIL_MAX_LENGTH:
        return f"is longer than {EMAIL_MAX_LENGTH} characters"
    if not address:
        return "is empty"
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return f"is not an e-mail address ({error})"
    return None


def is_email_address(address: str) -> bool:
    return email_problem(address) is None


def could_name_an_account(address: str) -> bool:
    """Whether ``address`` may be an account's, when it is only looked up (forgot-password).

    Looser than ``email_problem``: accounts made from invitations, or before this check,
    may hold addresses it refuses (``ada@cluster.local``); their owners must still get a
    link, and known and unknown addresses must get the same answer. Linear, length first."""
    return (
        len(address) <= EMAIL_MAX_LENGTH
        and address.count("@") == 1
        and not any(character.isspace() or character in ",;<>" for character in address)
    )
