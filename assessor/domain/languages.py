"""The languages assessor speaks, and what a language code looks like.

One list and one pattern for the whole application: the questionnaire loader, the
cluster catalogue files, the URL prefixes, the language switcher and the forms.
"""

from __future__ import annotations

import re

# Code -> the language's own name, as the switcher shows it. A new language also needs
# its catalog in translations/ (docs/translations.md, "Adding a language").
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "nl": "Nederlands",
    "fi": "Suomi",
    "pl": "Polski",
    "es": "Español",
    "it": "Italiano",
}
DEFAULT_LANGUAGE = "en"

# A language code as files may write it: two or three lower-case letters, optionally
# followed by subtags in the BCP 47 manner (`pt-BR`, `sr-Latn`), as the questionnaire format
# has always allowed; cluster files, which once took two or three letters only, take the same.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
