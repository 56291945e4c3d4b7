"""Cluster profile files (``clusters/*.yaml``): read and validated like questionnaires."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assessor.domain import text_limits as limits
from assessor.domain.email_addresses import email_problem
from assessor.domain.logos import LOGO_TYPES, clean_logo
from assessor.domain.model import Questionnaire
from assessor.domain.services import LocalisedText, Service, ServiceCategory
from assessor.domain.yaml_checks import ITEM_ID, LoadError, YamlChecker, describe
from assessor.domain.yaml_source import YamlError, YamlList, YamlMap, parse_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

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
)
_SERVICE_REQUIRED = ("id", "category", "title", "description", "topics")
_SERVICE_OPTIONAL = ("levels", "contact", "url")


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
    colour: str = "#0b5d4b"
    logo: bytes | None = None
    logo_type: str | None = None
    services: tuple[Service, ...] = ()


@dataclass(frozen=True)
class ClusterLoad:
    path: str
    cluster: ClusterProfile | None
    errors: tuple[LoadError, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The topics the questionnaires' actions use and their level ids: what a service can match."""

    topics: frozenset[str]
    levels: frozenset[str]

    @classmethod
    def of(cls, questionnaires: Iterable[Questionnaire]) -> Vocabulary:
        questionnaires = list(questionnaires)
        return cls(
            frozenset(t for q in questionnaires for a in q.actions for t in a.topics),
            frozenset(level.id for q in questionnaires for level in q.levels),
        )


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
        _check_vocabulary(checker, document.root, vocabulary)
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
        if isinstance(value, str) and LANGUAGE.match(value):
            languages.append(value)
        else:
            checker.error(
                items.line_of_item(index),
                f"cluster: language {value!r} must be a code such as 'en' or 'fr'",
            )
    default_language = checker.identifier(root, "default_language", "cluster", LANGUAGE)
    if default_language is None and languages:
        default_language = languages[0]
    elif default_language is not None and default_language not in languages:
        checker.error(
            root.line_of_value("default_language"),
            f"cluster: default_language {default_language!r} is not one of its languages",
        )
    description = checker.text(root, "description", "cluster")
    website = checker.text(root, "website", "cluster")
    if website is not None and not website.startswith("https://"):
        checker.error(root.line_of_value("website"), "cluster: 'website' must start with https://")
    for key, value, limit in (
        ("name", name, limits.NAME),
        ("description", description, limits.DESCRIPTION),
        ("website", website, limits.WEB_ADDRESS),
    ):
        _check_length(checker, root, key, "cluster", value, limit)
    contact_name = contact_email = None
    if "contact" in root:
        contact = checker.mapping(
            root["contact"], root.line_of_value("contact"), "cluster, contact"
        )
        if contact is not None:
            checker.check_keys(contact, "cluster, contact", (), ("name", "email"))
            contact_name = checker.text(contact, "name", "cluster, contact")
            contact_email = checker.text(contact, "email", "cluster, contact")
            _check_contact(checker, contact, "cluster, contact", contact_name, contact_email)
    is_example = checker.boolean(root, "example", "cluster", False)
    is_network = checker.boolean(root, "network", "cluster", False)
    colour = "#0b5d4b"
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
    services = _services(checker, root, default_language or "en", name or "")
    if None in (slug, name, country, default_language) or not languages:
        return None
    return ClusterProfile(
        slug=slug,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        country=country,  # type: ignore[arg-type]
        languages=tuple(languages),
        default_language=default_language,  # type: ignore[arg-type]
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
    )


def _check_vocabulary(checker: YamlChecker, root: YamlMap, vocabulary: Vocabulary) -> None:
    services = root.get("services")
    if not isinstance(services, YamlList):
        return
    for service in services:
        if not isinstance(service, YamlMap):
            continue
        where = f"service {service.get('id', '?')!s}"
        for key, known, kind in (
            ("topics", vocabulary.topics, "topic no questionnaire action uses"),
            ("levels", vocabulary.levels, "level no questionnaire defines"),
        ):
            items = service.get(key)
            if not isinstance(items, YamlList):
                continue
            for index, value in enumerate(items):
                if isinstance(value, str) and value not in known:
                    close = difflib.get_close_matches(value, sorted(known), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    checker.error(
                        items.line_of_item(index), f"{where}: {value!r} is a {kind}{hint}"
                    )


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


def _services(
    checker: YamlChecker, root: YamlMap, default_language: str, provider: str
) -> tuple[Service, ...]:
    services: list[Service] = []
    seen: dict[str, int] = {}
    items = checker.sequence(root, "services", "cluster", non_empty=False)
    for index, item in enumerate(items):
        line = items.line_of_item(index)
        node = checker.mapping(item, line, f"service {index + 1}")
        if node is None:
            continue
        service_id = checker.identifier(node, "id", f"service {index + 1}")
        where = f"service {service_id or index + 1}"
        checker.check_keys(node, where, _SERVICE_REQUIRED, _SERVICE_OPTIONAL)
        checker.unique(seen, service_id, line, "service")
        category = None
        if "category" in node:
            try:
                category = ServiceCategory(node["category"])
            except ValueError:
                names = ", ".join(c.value for c in ServiceCategory)
                checker.error(
                    node.line_of_value("category"),
                    f"{where}: 'category' must be one of {names}, found {describe(node['category'])}",
                )
        title = _localised(checker, node, "title", where, default_language)
        description = _localised(checker, node, "description", where, default_language)
        topics = _ids(checker, node, "topics", where, required=True)
        levels = _ids(checker, node, "levels", where, required=False)
        url = checker.text(node, "url", where)
        if url is not None and not url.startswith("https://"):
            checker.error(node.line_of_value("url"), f"{where}: 'url' must start with https://")
        _check_length(checker, node, "id", where, service_id, limits.SERVICE_ID)
        _check_length(checker, node, "url", where, url, limits.WEB_ADDRESS)
        for key, texts, limit in (
            ("title", title, limits.SERVICE_TITLE),
            ("description", description, limits.DESCRIPTION),
        ):
            for language, value in texts.texts.items() if texts else ():
                _check_length(checker, node, key, f"{where}, {language}", value, limit)
        contact_name = contact_email = None
        if "contact" in node:
            contact = checker.mapping(
                node["contact"], node.line_of_value("contact"), f"{where}, contact"
            )
            if contact is not None:
                checker.check_keys(contact, f"{where}, contact", (), ("name", "email"))
                contact_name = checker.text(contact, "name", f"{where}, contact")
                contact_email = checker.text(contact, "email", f"{where}, contact")
                _check_contact(checker, contact, f"{where}, contact", contact_name, contact_email)
        if service_id and category and title and description and topics:
            services.append(
                Service(
                    service_id,
                    category,
                    title,
                    description,
                    topics,
                    levels,
                    contact_name,
                    contact_email,
                    url,
                    provider,
                )
            )
    return tuple(services)


def _check_length(
    checker: YamlChecker, node: YamlMap, key: str, where: str, value: str | None, limit: int
) -> None:
    if limits.too_long(value, limit):
        checker.error(
            node.line_of_value(key),
            f"{where}: {key!r} has {len(value or '')} characters; at most {limit} fit",
        )


def _check_contact(
    checker: YamlChecker, contact: YamlMap, where: str, name: str | None, email: str | None
) -> None:
    _check_length(checker, contact, "name", where, name, limits.NAME)
    if limits.too_long(email, limits.CONTACT_EMAIL):
        _check_length(checker, contact, "email", where, email, limits.CONTACT_EMAIL)
    elif email is not None and email_problem(email):
        checker.error(
            contact.line_of_value("email"), f"{where}: {email!r} is not an e-mail address"
        )


def _localised(
    checker: YamlChecker, node: YamlMap, key: str, where: str, default_language: str
) -> LocalisedText | None:
    """A plain text (in the default language) or a mapping {language: text}."""
    if key not in node:
        return None
    value = node[key]
    line = node.line_of_value(key)
    if isinstance(value, str) and value.strip():
        return LocalisedText({default_language: value.strip()}, default_language)
    if not isinstance(value, YamlMap) or not value:
        checker.error(
            line, f"{where}: {key!r} must be a text or a mapping of language codes to texts"
        )
        return None
    texts: dict[str, str] = {}
    for language, text in value.items():
        if not isinstance(language, str) or not LANGUAGE.match(language):
            checker.error(
                value.line_of_key(language),
                f"{where}: {key!r} has {describe(language)}, which is not a language code",
            )
        elif not isinstance(text, str) or not text.strip():
            checker.error(
                value.line_of_value(language),
                f"{where}: the {language!r} {key} must be a non-empty text",
            )
        else:
            texts[language] = text.strip()
    if texts and default_language not in texts and "en" not in texts:
        checker.error(
            line,
            f"{where}: {key!r} needs a text in {default_language!r} (the cluster's default language) or in 'en'",
        )
        return None
    return LocalisedText(texts, default_language) if texts else None


def _ids(
    checker: YamlChecker, node: YamlMap, key: str, where: str, required: bool
) -> tuple[str, ...]:
    items = checker.sequence(node, key, where, non_empty=required)
    values: list[str] = []
    for index, value in enumerate(items):
        if isinstance(value, str) and ITEM_ID.match(value):
            values.append(value)
        else:
            checker.error(
                items.line_of_item(index),
                f"{where}: {key!r} entries must be ids, found {describe(value)}",
            )
    return tuple(values)


def check_service(
    data: dict[str, object],
    default_language: str,
    provider: str,
    vocabulary: Vocabulary | None = None,
) -> tuple[Service | None, tuple[str, ...]]:
    """One service as a form gives it, checked exactly as a catalogue file's service is;
    the problems are the same messages ``clusters validate`` prints, without PATH:LINE."""
    text = yaml.safe_dump({"services": [data]}, allow_unicode=True, sort_keys=False)
    root = parse_yaml(text).root
    checker = YamlChecker("service")
    services = _services(checker, root, default_language, provider)
    if vocabulary is not None:
        _check_vocabulary(checker, root, vocabulary)
    problems = tuple(dict.fromkeys(error.message for error in checker.errors))
    return (services[0] if services and not problems else None), problems
