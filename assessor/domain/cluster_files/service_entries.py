"""A catalogue's service entries: read and checked the same way whether they come from a
file or a form, and written back as the entry a file holds.

Also the field checks a cluster's own profile shares with its services: a contact, text
lengths (the columns they are stored in), texts in several languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessor.domain import text_limits as limits
from assessor.domain.cluster_files.vocabulary import Vocabulary, check_vocabulary
from assessor.domain.email_addresses import email_problem
from assessor.domain.languages import LANGUAGE_CODE
from assessor.domain.loading.yaml_checks import YamlChecker, describe
from assessor.domain.loading.yaml_source import YamlMap, line_annotated
from assessor.domain.offerings import LocalisedText, Service, ServiceCategory

_SERVICE_REQUIRED = ("id", "category", "title", "description", "topics")
_SERVICE_OPTIONAL = ("levels", "contact", "url")


def read_services(
    checker: YamlChecker, root: YamlMap, default_language: str, provider: str
) -> tuple[Service, ...]:
    """The ``services`` list of a catalogue; problems go to ``checker``."""
    services: list[Service] = []
    seen: dict[str, int] = {}
    items = checker.sequence(root, "services", "cluster", non_empty=False)
    for index, line, node in checker.entries(items, "service"):
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
        title = localised(checker, node, "title", where, default_language)
        description = localised(checker, node, "description", where, default_language)
        topics = checker.id_list(node, "topics", where, required=True)
        levels = checker.id_list(node, "levels", where)
        url = checker.web_address(node, "url", where)
        check_length(checker, node, "id", where, service_id, limits.SERVICE_ID)
        check_length(checker, node, "url", where, url, limits.WEB_ADDRESS)
        for key, texts, limit in (
            ("title", title, limits.SERVICE_TITLE),
            ("description", description, limits.DESCRIPTION),
        ):
            for language, value in texts.texts.items() if texts else ():
                check_length(checker, node, key, f"{where}, {language}", value, limit)
        contact_name, contact_email = read_contact(checker, node, where)
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


def check_service(
    data: Mapping[str, object],
    default_language: str,
    provider: str,
    vocabulary: Vocabulary | None = None,
) -> tuple[Service | None, tuple[str, ...]]:
    """One service as a form gives it, checked exactly as a catalogue file's service is;
    the problems are the same messages ``clusters validate`` prints, without PATH:LINE."""
    root = line_annotated({"services": [dict(data)]})
    checker = YamlChecker("service")
    services = read_services(checker, root, default_language, provider)
    if vocabulary is not None:
        check_vocabulary(checker, root, vocabulary)
    problems = tuple(dict.fromkeys(error.message for error in checker.errors))
    return (services[0] if services and not problems else None), problems


def service_entry(service: Service) -> dict[str, Any]:
    """The catalogue file's entry for ``service``: what :func:`read_services` reads back.
    Optional keys with no value are left out, as an author would."""
    entry: dict[str, Any] = {
        "id": service.id,
        "category": service.category.value,
        "title": dict(service.title.texts),
        "description": dict(service.description.texts),
        "topics": list(service.topics),
    }
    if service.levels:
        entry["levels"] = list(service.levels)
    contact = {
        key: value
        for key, value in (("name", service.contact_name), ("email", service.contact_email))
        if value
    }
    if contact:
        entry["contact"] = contact
    if service.url:
        entry["url"] = service.url
    return entry


def read_contact(checker: YamlChecker, node: YamlMap, where: str) -> tuple[str | None, str | None]:
    """The optional ``contact: {name, email}`` of a cluster or a service."""
    if "contact" not in node:
        return None, None
    where = f"{where}, contact"
    contact = checker.mapping(node["contact"], node.line_of_value("contact"), where)
    if contact is None:
        return None, None
    checker.check_keys(contact, where, (), ("name", "email"))
    name = checker.text(contact, "name", where)
    email = checker.text(contact, "email", where)
    check_length(checker, contact, "name", where, name, limits.NAME)
    if limits.too_long(email, limits.CONTACT_EMAIL):
        check_length(checker, contact, "email", where, email, limits.CONTACT_EMAIL)
    elif email is not None and email_problem(email):
        checker.error(
            contact.line_of_value("email"), f"{where}: {email!r} is not an e-mail address"
        )
    return name, email


def check_length(
    checker: YamlChecker, node: YamlMap, key: str, where: str, value: str | None, limit: int
) -> None:
    if limits.too_long(value, limit):
        checker.error(
            node.line_of_value(key),
            f"{where}: {key!r} has {len(value or '')} characters; at most {limit} fit",
        )


def localised(
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
        if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
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
