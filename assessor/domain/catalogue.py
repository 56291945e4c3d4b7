"""All questionnaires of a folder, loaded and validated once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from assessor.domain.loading import LoadError, LoadResult, load_questionnaire
from assessor.domain.model import Questionnaire

QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Catalogue:
    """The valid questionnaires by id, and the errors of the invalid files."""

    questionnaires: Mapping[str, Questionnaire]
    errors: tuple[LoadError, ...]

    def __iter__(self) -> Iterator[Questionnaire]:
        return iter(self.questionnaires.values())

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)


def questionnaire_files(folder: Path) -> list[Path]:
    """The questionnaire files directly inside ``folder``, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in QUESTIONNAIRE_SUFFIXES)


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_catalogue(folder: str | Path) -> Catalogue:
    """Load every questionnaire of ``folder``; cached until a file changes."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        return Catalogue(
            MappingProxyType({}),
            (LoadError(display_path(folder), 1, "the questionnaires folder does not exist"),),
        )
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in questionnaire_files(folder)
    )
    return _load_catalogue(folder, stamp)


@lru_cache(maxsize=8)
def _load_catalogue(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> Catalogue:
    results: list[LoadResult] = [
        load_questionnaire(folder / name, display_path(folder / name)) for name, _, _ in stamp
    ]
    errors = [error for result in results for error in result.errors]
    by_id: dict[str, Questionnaire] = {}
    for result in results:
        questionnaire = result.questionnaire
        if questionnaire is None:
            continue
        if questionnaire.id in by_id:
            errors.append(
                LoadError(
                    result.path,
                    1,
                    f"questionnaire id {questionnaire.id!r} is already used by "
                    f"{by_id[questionnaire.id].source_path}",
                )
            )
            continue
        by_id[questionnaire.id] = questionnaire
    return Catalogue(MappingProxyType(by_id), tuple(errors))
