"""The languages assessor speaks, and what a language code looks like.

One list and one pattern for the whole application: the questionnaire loader, the
cluster catalogue files, the URL prefixes, the language menu and the forms.
"""

from __future__ import annotations

import re

# The EU's 24 official languages, code -> the language's own name, in the order the EU's
# own sites list them (alphabetical by that name, as the Interinstitutional Style Guide
# orders languages), which is the order of the language menu.
EU_LANGUAGES: dict[str, str] = {
    "bg": "Български",
    "es": "Español",
    "cs": "Čeština",
    "da": "Dansk",
    "de": "Deutsch",
    "et": "Eesti",
    "el": "Ελληνικά",
    "en": "English",
    "fr": "Français",
    "ga": "Gaeilge",
    "hr": "Hrvatski",
    "it": "Italiano",
    "lv": "Latviešu",
    "lt": "Lietuvių",
    "hu": "Magyar",
    "mt": "Malti",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "ro": "Română",
    "sk": "Slovenčina",
    "sl": "Slovenščina",
    "fi": "Suomi",
    "sv": "Svenska",
}

# The languages the site is offered in: each has a complete catalog in translations/
# (docs/translations.md, "Adding a language"); a language whose catalog is still being
# translated stays out of this set, so nobody meets a half-translated page. Today: all 24.
OFFERED = frozenset(EU_LANGUAGES)

# Code -> the language's own name, as the language menu shows it, in the menu's order.
LANGUAGES: dict[str, str] = {code: name for code, name in EU_LANGUAGES.items() if code in OFFERED}
DEFAULT_LANGUAGE = "en"

# A language code as files may write it: two or three lower-case letters, optionally
# followed by subtags in the BCP 47 manner (`pt-BR`, `sr-Latn`), as the questionnaire format
# has always allowed; cluster files, which once took two or three letters only, take the same.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def language_tag(code: str) -> str:
    """A language code in one spelling, so that ``pt_BR``, ``pt-br`` and ``PT-BR`` match:
    hyphens, the language in lower case, the rest as BCP 47 writes it (a script in title
    case, a region in upper case): ``pt-BR``, ``sr-Latn-RS``."""
    first, *rest = code.replace("_", "-").split("-")
    subtags = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            subtags.append(part.title())
        elif len(part) in (2, 3):
            subtags.append(part.upper())
        else:
            subtags.append(part.lower())
    return "-".join(subtags)
