"""How the offline model picks one label of an enum: the classifier of a router, with no rules.

A router asks a model for ``Route(category=...)`` where ``category`` is a ``Literal`` or an
``Enum``. A real model reads the question, the labels and the field's description and picks the
label that fits; :func:`classify` does the same with a deterministic score per label:

1. **the label itself**: the question names it as a word ("An *advanced* question" gives
   ``advanced``), worth 3, unless the prompt names every label (as "math, code or general?"
   does), which tells nothing;
2. **the description**: the words the field's description says about that label (in
   ``"math: arithmetic and sums; code: programming"``, ``arithmetic`` and ``sums`` belong to
   ``math``), worth 1 for each such word the question uses;
3. **a small vocabulary** of common router labels (:data:`VOCABULARY`): a label that is one of a
   group's names (``math``, ``maths``, ``calculation``...) gets 1 for each of the group's words
   the question uses, and 3 when the question holds an arithmetic expression (``25 * 17``) and
   the group is the math one.

The best score wins, the first label among equals. When nothing scores, a catch-all label
(:data:`FALLBACK_LABELS`: ``general``, ``other``, ``default``...) wins if the enum has one, else
the first label, as before. The format instructions a parser adds to the prompt (its example
schema and the schema itself) are not part of the question and are left out first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: Groups of common router labels: the names a label may have, and words that point to it.
VOCABULARY: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "math": (
        frozenset("math maths mathematics arithmetic calculation calculations calculator calc numeric numbers matematika matemática matematica".split()),
        frozenset(
            "calculate calculation compute sum plus minus times multiply multiplied divide divided product quotient "
            "equation solve percent percentage square root average integral derivative algebra arithmetic math "
            "mathematics number numbers hitung hitunglah berapa kali tambah kurang bagi calcule quanto quantos soma "
            "vezes".split()
        ),
    ),
    "code": (
        frozenset("code coding programming programmer software developer dev kode código codigo programação pemrograman".split()),
        frozenset(
            "python javascript typescript java rust golang sql html css bash shell function functions method class "
            "code coding program programming script bug bugs debug error exception traceback compile compiler regex "
            "api library implement implementation algorithm loop variable refactor snippet fungsi kode função funcao "
            "programa".split()
        ),
    ),
    "science": (
        frozenset("science sciences physics chemistry biology sains ciência ciencia".split()),
        frozenset("physics chemistry biology atom atoms molecule molecules cell cells gravity energy planet force".split()),
    ),
    "history": (
        frozenset("history historical sejarah história historia".split()),
        frozenset("history war empire century ancient king queen revolution dynasty sejarah".split()),
    ),
    "weather": (
        frozenset("weather forecast cuaca clima tempo".split()),
        frozenset("weather forecast rain sunny temperature cuaca hujan chuva".split()),
    ),
}

#: Labels that mean "anything else": they win when no label scores.
FALLBACK_LABELS = frozenset("general other others default misc miscellaneous chat chitchat unknown none fallback umum geral".split())

#: An arithmetic expression: two numbers with an operator between them.
ARITHMETIC = re.compile(r"\d\s*(?:[-+*/×÷^x]|\*\*)\s*\(?\s*-?\d")

#: Words a description uses around labels that say nothing about any one of them.
_FILLER = frozenset(
    "the a an of for and or to in on is are be it its as at by any anything else everything other others "
    "question questions request requests query queries category categories type label route topic about "
    "that this these those with which what when use used user asks ask asking something things thing "
    "related such like e g eg i ie etc".split()
)
_WORD = re.compile(r"[^\W_]+")
#: The format instructions of PydanticOutputParser / JsonOutputParser, up to the end of the schema's fence.
_FORMAT_INSTRUCTIONS = re.compile(
    r"(?:STRICT OUTPUT FORMAT:.*?)?The output should be formatted as a JSON instance.*?```[^\n]*\n.*?```", re.S
)


def classify(choices: list[Any], question: str, description: str = "") -> Any:
    """The choice that fits ``question`` best (see the module's docstring for the score)."""
    text = _FORMAT_INSTRUCTIONS.sub(" ", question)
    words = {_stem(word) for word in _WORD.findall(text.lower())}
    labels = [choice for choice in choices if isinstance(choice, str)]
    named = {label for label in labels if _names(text, label)}
    if labels and len(named) == len(labels):  # "math, code or general?": the labels are no clue
        words -= {_stem(label.lower()) for label in labels}
    segments = _segments(description, labels)
    arithmetic = bool(ARITHMETIC.search(text))
    best, best_score = None, 0
    for label in labels:
        score = 3 if label in named and len(named) < len(labels) else 0  # naming every label is no clue
        score += len(segments.get(label, set()) & words)
        for names, vocabulary in _groups(label):
            score += len({_stem(word) for word in vocabulary} & words)
            if arithmetic and names is VOCABULARY["math"][0]:
                score += 3
        if score > best_score:
            best, best_score = label, score
    if best is not None:
        return best
    fallback = next((label for label in labels if label.lower() in FALLBACK_LABELS), None)
    return fallback if fallback is not None else choices[0]


def _names(text: str, label: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(label.lower())}(?!\w)", text.lower()))


def _groups(label: str) -> Iterable[tuple[frozenset[str], frozenset[str]]]:
    lowered = label.lower()
    return [group for group in VOCABULARY.values() if lowered in group[0]]


def _segments(description: str, labels: list[str]) -> dict[str, set[str]]:
    """The words a description says about each label: from its mention to the next label's."""
    lowered = description.lower()
    mentions = sorted(
        (found.start(), found.end(), label)
        for label in labels
        for found in re.finditer(rf"(?<!\w){re.escape(label.lower())}(?!\w)", lowered)
    )
    label_words = {_stem(label.lower()) for label in labels}
    segments: dict[str, set[str]] = {}
    for (_, end, label), following in zip(mentions, [*mentions[1:], (len(lowered), 0, "")]):
        words = {_stem(word) for word in _WORD.findall(lowered[end : following[0]])}
        segments.setdefault(label, set()).update(words - _FILLER - label_words)
    return segments


def _stem(word: str) -> str:
    """A word without a plural ``s`` (``sums`` and ``sum`` match); short words stay as they are."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
