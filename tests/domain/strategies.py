"""Hypothesis strategies: valid questionnaires (as YAML text) and answers for them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from assessor.domain.model import Question, Questionnaire, QuestionType

scores = st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False))
weights = st.one_of(st.just(1), st.integers(1, 5), st.floats(0.1, 10, allow_nan=False))


@st.composite
def questionnaire_documents(draw: st.DrawFn, v3: bool = False) -> str:
    """The text of a random questionnaire that satisfies the format's rules; ``v3``: with
    options shown only for some earlier answers and actions that address questions."""
    themes: list[str] = []
    dimensions = []
    for d in range(draw(st.integers(1, 3))):
        dimension_themes = []
        for _ in range(draw(st.integers(1, 3))):
            theme_id = f"t{len(themes)}"
            themes.append(theme_id)
            dimension_themes.append({"id": theme_id, "label": theme_id, "weight": draw(weights)})
        dimensions.append(
            {"id": f"d{d}", "label": f"D{d}", "weight": draw(weights), "themes": dimension_themes}
        )
    earlier: list[dict[str, Any]] = []
    sections = []
    for s in range(draw(st.integers(1, 3))):
        questions = []
        section: dict[str, Any] = {"id": f"s{s}", "title": f"S{s}", "questions": questions}
        condition = draw(_condition(earlier))
        if condition is not None:
            section["visible_if"] = condition
        for _ in range(draw(st.integers(1, 5))):
            question = draw(_question(f"q{len(earlier)}", themes, earlier, v3))
            questions.append(question)
            earlier.append(question)
        sections.append(section)
    actions = [
        {
            "id": f"a{i}",
            "title": "Act",
            "horizon": draw(st.sampled_from(["short", "medium", "long"])),
            "when": draw(_action_condition(themes, [d["id"] for d in dimensions], earlier)),
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    scored = [q for q in earlier if "theme" in q and (q["type"] != "number" or "bands" in q)]
    if v3 and scored:
        for action in actions:
            addresses = draw(_addresses(scored))
            if addresses:
                action["addresses"] = addresses
    document = {
        "format": 1,
        "id": "generated",
        "version": 1,
        "language": "en",
        "title": "Generated",
        "levels": [
            {"id": "l0", "label": "L0", "min": 0},
            {"id": "l1", "label": "L1", "min": 25},
            {"id": "l2", "label": "L2", "min": 50},
            {"id": "l3", "label": "L3", "min": 75},
        ],
        "dimensions": dimensions,
        "sections": sections,
        "actions": actions,
    }
    return json.dumps(document)  # JSON is YAML 1.2


@st.composite
def _question(
    draw: st.DrawFn, qid: str, themes: list[str], earlier: list[dict[str, Any]], v3: bool = False
) -> dict[str, Any]:
    qtype = draw(st.sampled_from(["choice", "multi", "scale", "number", "text"]))
    question: dict[str, Any] = {"id": qid, "type": qtype, "text": qid}
    if qtype != "text" and draw(st.booleans()):
        question["theme"] = draw(st.sampled_from(themes))
        question["weight"] = draw(weights)
    question["required"] = draw(st.booleans())
    condition = draw(_condition(earlier))
    if condition is not None:
        question["visible_if"] = condition
    if qtype in ("choice", "multi"):
        count = draw(st.integers(1, 5))
        options = [{"id": f"o{i}", "label": f"O{i}", "score": draw(scores)} for i in range(count)]
        if qtype == "multi":
            scoring = draw(st.sampled_from(["sum", "max", "share"]))
            question["scoring"] = scoring
            if draw(st.booleans()):
                options.append({"id": "none", "label": "None", "score": 0, "exclusive": True})
            if scoring == "share" and all(
                o["score"] is None for o in options if not o.get("exclusive")
            ):
                options[0]["score"] = 50
        if v3:
            for option in options:
                option_condition = draw(_condition(earlier))
                if option_condition is not None:
                    option["visible_if"] = option_condition
        question["options"] = options
    elif qtype == "scale":
        low = draw(st.integers(-3, 3))
        question.update(min=low, max=low + draw(st.integers(1, 9)))
    elif qtype == "number":
        question.update(min=0, max=1000)
        if draw(st.booleans()):
            limits = sorted(draw(st.sets(st.integers(0, 1000), min_size=0, max_size=3)))
            question["bands"] = [{"up_to": u, "score": draw(scores)} for u in limits] + [
                {"score": draw(scores)}
            ]
    return question


def _condition(earlier: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any] | None]:
    atoms = [_atom(q) for q in earlier if _atom(q) is not None]
    if not atoms:
        return st.none()
    atom = st.one_of(*atoms)
    tree = st.recursive(
        atom,
        lambda inner: st.one_of(
            st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda c: {"not": c}, inner),
        ),
        max_leaves=4,
    )
    return st.one_of(st.none(), tree)


def _atom(question: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]] | None:
    qid, qtype = question["id"], question["type"]
    if qtype == "choice":
        ids = [o["id"] for o in question["options"]]
        return st.one_of(
            st.builds(lambda o: {"question": qid, "equals": o}, st.sampled_from(ids)),
            st.builds(
                lambda os: {"question": qid, "in": os},
                st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True),
            ),
        )
    if qtype == "multi":
        ids = [o["id"] for o in question["options"]]
        return st.builds(lambda o: {"question": qid, "includes": o}, st.sampled_from(ids))
    if qtype in ("scale", "number"):
        op = st.sampled_from(["at_least", "at_most"])
        return st.builds(lambda o, n: {"question": qid, o: n}, op, st.integers(-5, 1000))
    return None


def _action_condition(
    themes: list[str], dimensions: list[str], earlier: list[dict[str, Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    score = st.one_of(
        st.builds(
            lambda t, n: {"theme": t, "below": n}, st.sampled_from(themes), st.integers(0, 100)
        ),
        st.builds(
            lambda d, n: {"dimension": d, "below": n},
            st.sampled_from(dimensions),
            st.integers(0, 100),
        ),
        st.builds(
            lambda t, n: {"theme": t, "at_least": n}, st.sampled_from(themes), st.integers(0, 100)
        ),
    )
    question = (
        _condition(earlier).filter(lambda c: c is not None)
        if earlier and any(_atom(q) is not None for q in earlier)
        else score
    )
    return st.one_of(score, question, st.builds(lambda a, b: {"all": [a, b]}, score, question))


@st.composite
def _addresses(draw: st.DrawFn, scored: list[dict[str, Any]]) -> list[Any]:
    """Distinct scored questions, a multi one sometimes by some of its options."""
    chosen = draw(st.lists(st.sampled_from(scored), max_size=3, unique_by=lambda q: q["id"]))
    items: list[Any] = []
    for question in chosen:
        if question["type"] == "multi" and draw(st.booleans()):
            ids = [o["id"] for o in question["options"]]
            options = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
            items.append({"question": question["id"], "options": options})
        else:
            items.append(question["id"])
    return items


def answer_value(question: Question) -> st.SearchStrategy[Any]:
    """Any valid answer to ``question`` (unanswered included)."""
    options = [o.id for o in question.options]
    match question.type:
        case QuestionType.CHOICE:
            value: st.SearchStrategy[Any] = st.sampled_from(options)
        case QuestionType.MULTI:
            plain = [o.id for o in question.options if not o.exclusive]
            exclusive = [o.id for o in question.options if o.exclusive]
            value = st.lists(st.sampled_from(plain), unique=True) if plain else st.just([])
            if exclusive:
                value = st.one_of(value, st.sampled_from(exclusive).map(lambda o: [o]))
        case QuestionType.SCALE:
            value = st.integers(int(question.min), int(question.max))  # type: ignore[arg-type]
        case QuestionType.NUMBER:
            low = question.min if question.min is not None else -1e6
            high = question.max if question.max is not None else 1e6
            value = st.one_of(
                st.integers(int(low), int(high)), st.floats(low, high, allow_nan=False)
            )
        case _:
            value = st.text(max_size=50)
    return st.one_of(st.none(), value)


def answers_for(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    """A valid answer set: any subset of the questions, each with a valid value."""
    return st.fixed_dictionaries(
        {}, optional={q.id: answer_value(q) for q in questionnaire.questions}
    )
