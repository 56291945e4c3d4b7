"""Cluster profile files (``clusters/*.yaml``): read and validated like questionnaires."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assessor.domain.yaml_checks import LoadError, YamlChecker
from assessor.domain.yaml_source import YamlError, YamlMap, parse_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_KEYS_REQUIRED = ("slug", "name", "country", "languages")
_KEYS_OPTIONAL = ("example", "description", "contact", "website", "default_language")


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


@dataclass(frozen=True)
class ClusterLoad:
    path: str
    cluster: ClusterProfile | None
    errors: tuple[LoadError, ...]


def load_cluster_file(path: str | Path, display_path: str | None = None) -> ClusterLoad:
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
    cluster = _cluster(checker, document.root)
    errors = tuple(sorted(dict.fromkeys(checker.errors), key=lambda e: e.line))
    return ClusterLoad(shown, None if errors else cluster, errors)


def _cluster(checker: YamlChecker, root: YamlMap) -> ClusterProfile | None:
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
    contact_name = contact_email = None
    if "contact" in root:
        contact = checker.mapping(
            root["contact"], root.line_of_value("contact"), "cluster, contact"
        )
        if contact is not None:
            checker.check_keys(contact, "cluster, contact", (), ("name", "email"))
            contact_name = checker.text(contact, "name", "cluster, contact")
            contact_email = checker.text(contact, "email", "cluster, contact")
            if contact_email is not None and not EMAIL.match(contact_email):
                checker.error(
                    contact.line_of_value("email"),
                    f"cluster, contact: {contact_email!r} is not an e-mail address",
                )
    is_example = checker.boolean(root, "example", "cluster", False)
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
    )
