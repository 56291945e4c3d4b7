"""A cluster's catalogue file (``clusters/*.yaml``): its profile, logo and services,
read and validated like a questionnaire, every problem a ``PATH:LINE: message``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assessor.domain import text_limits as limits
from assessor.domain.cluster_files.service_entries import check_length, read_contact, read_services
from assessor.domain.cluster_files.vocabulary import Vocabulary, check_vocabulary
from assessor.domain.languages import LANGUAGE_CODE
from assessor.domain.loading.structure import QUESTIONNAIRE_ID
from assessor.domain.loading.yaml_checks import LoadError, YamlChecker, describe
from assessor.domain.loading.yaml_source import YamlError, YamlMap, parse_yaml
from assessor.domain.logos import LOGO_TYPES, clean_logo
from assessor.domain.offerings import Service

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#0b5d4b"
# ``default_questionnaire`` of a cluster whose start form selects nothing: the company
# chooses (``none`` in a file). Absent (None), the platform's default applies.
COMPANY_CHOOSES = ""

_KEYS_REQUIRED = ("slug", "name", "country", "languages")
_KEYS_OPTIONAL = (
    "example",
    "network",
    "description",
    "contact",
    "website",
    "default_language",
    "colour",
    "logo",
    "services",
    "questionnaires",
    "default_questionnaire",
)


@dataclass(frozen=True)
class ClusterProfile:
    slug: str
    name: str
    country: str
    languages: tuple[str, ...]
    default_language: str
    description: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    website: str | None = None
    is_example: bool = False
    is_network: bool = False  # the network-wide catalogue, used when a cluster has no match
    colour: str = DEFAULT_COLOUR
    logo: bytes | None = None
    logo_type: str | None = None
    services: tuple[Service, ...] = ()
    # The platform-wide questionnaires offered (None: every one, new ones too; its own
    # questionnaires are always offered), and the one the start form selects.
    questionnaires: tuple[str, ...] | None = None
    default_questionnaire: str | None = None


@dataclass(frozen=True)
class ClusterLoad:
    path: str
    cluster: ClusterProfile | None
    errors: tuple[LoadError, ...]


def load_cluster_file(
    path: str | Path, display_path: str | None = None, vocabulary: Vocabulary | None = None
) -> ClusterLoad:
    """Read and check one catalogue; with a vocabulary, a topic or level no questionnaire
    uses is an error too, since such a service could never be matched to an action."""
    shown = display_path if display_path is not None else str(path)
    checker = YamlChecker(shown)
    try:
        document = parse_yaml(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        return ClusterLoad(
            shown, None, (LoadError(shown, 1, f"cannot read the file: {exc.strerror or exc}"),)
        )
    except UnicodeDecodeError:
        return ClusterLoad(shown, None, (LoadError(shown, 1, "the file is not UTF-8 text"),))
    except YamlError as exc:
        return ClusterLoad(shown, None, (LoadError(shown, exc.line, exc.message),))
    if document is None or not isinstance(document.root, YamlMap):
        line = 1 if document is None else document.line
        return ClusterLoad(
            shown, None, (LoadError(shown, line, "expected a cluster (a YAML mapping)"),)
        )
    cluster = _cluster(checker, document.root, Path(path).parent)
    if vocabulary is not None:
        check_vocabulary(checker, document.root, vocabulary)
    errors = tuple(sorted(dict.fromkeys(checker.errors), key=lambda e: e.line))
    return ClusterLoad(shown, None if errors else cluster, errors)


def _cluster(checker: YamlChecker, root: YamlMap, folder: Path) -> ClusterProfile | None:
    checker.check_keys(root, "cluster", _KEYS_REQUIRED, _KEYS_OPTIONAL)
    slug = checker.identifier(root, "slug", "cluster", SLUG)
    name = checker.text(root, "name", "cluster")
    country = checker.identifier(root, "country", "cluster", COUNTRY)
    languages: list[str] = []
    items = checker.sequence(root, "languages", "cluster")
    for index, value in enumerate(items):
        if isinstance(value, str) and LANGUAGE_CODE.match(value):
            languages.append(value)
        else:
            checker.error(
                items.line_of_item(index),
                f"cluster: language {value!r} must be a code such as 'en' or 'fr'",
            )
    default_language = checker.identifier(root, "default_language", "cluster", LANGUAGE_CODE)
    if default_language is None and languages:
        default_language = languages[0]
    elif default_language is not None and default_language not in languages:
        checker.error(
            root.line_of_value("default_language"),
            f"cluster: default_language {default_language!r} is not one of its languages",
        )
    description = checker.text(root, "description", "cluster")
    website = checker.web_address(root, "website", "cluster")
    for key, value, limit in (
        ("name", name, limits.NAME),
        ("description", description, limits.DESCRIPTION),
        ("website", website, limits.WEB_ADDRESS),
    ):
        check_length(checker, root, key, "cluster", value, limit)
    contact_name, contact_email = read_contact(checker, root, "cluster")
    is_example = checker.boolean(root, "example", "cluster", False)
    is_network = checker.boolean(root, "network", "cluster", False)
    colour = DEFAULT_COLOUR
    if "colour" in root:
        value = root["colour"]
        if isinstance(value, str) and COLOUR.match(value):
            colour = value.lower()
        else:
            checker.error(
                root.line_of_value("colour"),
                f"cluster: 'colour' must be like '#0b5d4b', found {describe(value)}",
            )
    logo, logo_type = _logo(checker, root, folder)
    services = read_services(checker, root, default_language or "en", name or "")
    questionnaires, default_questionnaire = _questionnaires(checker, root)
    if slug is None or name is None or country is None or default_language is None:
        return None
    if not languages:
        return None
    return ClusterProfile(
        slug=slug,
        name=name,
        country=country,
        languages=tuple(languages),
        default_language=default_language,
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
        website=website,
        is_example=is_example,
        is_network=is_network,
        colour=colour,
        logo=logo,
        logo_type=logo_type,
        services=services,
        questionnaires=questionnaires,
        default_questionnaire=default_questionnaire,
    )


def _questionnaires(
    checker: YamlChecker, root: YamlMap
) -> tuple[tuple[str, ...] | None, str | None]:
    """``questionnaires`` (ids, none twice) and ``default_questionnaire`` (an id or ``none``);
    whether they name questionnaires that exist is the vocabulary's check."""
    offered: tuple[str, ...] | None = None
    if "questionnaires" in root:
        items = checker.sequence(root, "questionnaires", "cluster", non_empty=False)
        seen: dict[str, int] = {}
        for index, value in enumerate(items):
            line = items.line_of_item(index)
            if isinstance(value, str) and QUESTIONNAIRE_ID.match(value):
                if value in seen:
                    checker.error(
                        line,
                        f"cluster: questionnaire {value!r} is listed twice (line {seen[value]})",
                    )
                seen.setdefault(value, line)
            else:
                checker.error(
                    line,
                    f"cluster: 'questionnaires' entries must be questionnaire ids, found {describe(value)}",
                )
        offered = tuple(seen)
    default = None
    if "default_questionnaire" in root:
        value = root["default_questionnaire"]
        if value == "none":
            default = COMPANY_CHOOSES
        elif isinstance(value, str) and QUESTIONNAIRE_ID.match(value):
            default = value
        else:
            checker.error(
                root.line_of_value("default_questionnaire"),
                "cluster: 'default_questionnaire' must be a questionnaire id, or none (the "
                f"company chooses), found {describe(value)}",
            )
    return offered, default


def _logo(checker: YamlChecker, root: YamlMap, folder: Path) -> tuple[bytes | None, str | None]:
    """The logo file named relative to the catalogue: SVG or PNG, read and cleaned."""
    name = checker.text(root, "logo", "cluster")
    if name is None:
        return None, None
    line = root.line_of_value("logo")
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        checker.error(line, f"cluster: the logo {name!r} must be inside the catalogue's folder")
        return None, None
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        checker.error(line, f"cluster: the logo must be an .svg or .png file, not {name!r}")
        return None, None
    try:
        data = path.read_bytes()
    except OSError as exc:
        checker.error(line, f"cluster: cannot read the logo {name!r}: {exc.strerror or exc}")
        return None, None
    clean = clean_logo(data, kind)
    if isinstance(clean, str):
        checker.error(line, f"cluster: the logo {name!r} {clean}")
        return None, None
    return clean, kind  # an SVG rebuilt from its checked tree, never the file as it is
