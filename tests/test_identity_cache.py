"""assessor/identity_cache.py: what is built from one loaded object is kept for that object
only (not for an equal one), per details, and the least recently used goes first."""

from __future__ import annotations

from assessor.identity_cache import IdentityCache


class Loaded:
    """Compares by value and cannot be hashed, like a loaded Questionnaire."""

    __hash__ = None  # type: ignore[assignment]  # unhashable on purpose, as the model is

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Loaded) and other.name == self.name


def test_a_value_is_built_once_per_object_and_details() -> None:
    cache: IdentityCache[str] = IdentityCache(size=10)
    built: list[str] = []

    def build(text: str):
        def make() -> str:
            built.append(text)
            return text

        return make

    first, equal = Loaded("q"), Loaded("q")
    assert cache.get_or_build(first, "fr", build("first fr")) == "first fr"
    assert cache.get_or_build(first, "fr", build("again")) == "first fr"
    assert cache.get_or_build(first, "de", build("first de")) == "first de"
    assert cache.get_or_build(equal, "fr", build("equal fr")) == "equal fr"
    assert built == ["first fr", "first de", "equal fr"]


def test_the_least_recently_used_goes_first_and_the_bound_holds() -> None:
    cache: IdentityCache[int] = IdentityCache(size=2)
    a, b, c = Loaded("a"), Loaded("b"), Loaded("c")
    cache.get_or_build(a, None, lambda: 1)
    cache.get_or_build(b, None, lambda: 2)
    cache.get_or_build(a, None, lambda: 0)  # a is used again: b is now the oldest
    cache.get_or_build(c, None, lambda: 3)
    assert len(cache) == 2
    assert cache.get_or_build(a, None, lambda: -1) == 1
    assert cache.get_or_build(b, None, lambda: 22) == 22  # b was dropped, so built again
