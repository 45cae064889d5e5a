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

An enum of operations (``add``, ``multiply``...) gets 3 for the operator of the expression.
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

#: An arithmetic expression: numbers with an operator between each two. ``*``, ``+``, ``×`` and
#: ``÷`` may touch the numbers (``25*17``); ``-``, ``/`` and ``x`` need a space on both sides, so
#: that dates (``2024-01-15``, ``03/12``), ranges and sizes (``1920x1080``) are not sums.
ARITHMETIC = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:(?:\s*[*+×÷]\s*|\s+[-/x]\s+)\d+(?:\.\d+)?(?![\w.]))+")

#: What an operator of an arithmetic expression is called, for enums such as ``operation: add | multiply``.
OPERATOR_NAMES: dict[str, frozenset[str]] = {
    "+": frozenset("add addition plus sum".split()),
    "-": frozenset("subtract subtraction minus sub difference".split()),
    "*": frozenset("multiply multiplication times mul product".split()),
    "/": frozenset("divide division div quotient".split()),
}
_OPERATORS = {"+": "+", "-": "-", "*": "*", "×": "*", "x": "*", "/": "/", "÷": "/"}

#: Words that show a request for code: something to write, and something that is code.
CODE_REQUEST_VERBS = frozenset(
    "write create implement make build generate show give fix refactor tulis tuliskan buat buatkan "
    "escreva crie implemente mostre faça faca".split()
)
CODE_WORDS = frozenset(
    "python javascript typescript java rust golang sql html css bash shell function functions method class code "
    "script program regex snippet fungsi kode função funcao código codigo".split()
)

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
    expression = arithmetic_expression(text)
    arithmetic = expression is not None
    operators = {_OPERATORS[op] for op in re.findall(r"[-+*/×÷x]", expression or "")}
    best, best_score = None, 0
    for label in labels:
        score = 3 if label in named and len(named) < len(labels) else 0  # naming every label is no clue
        score += len(segments.get(label, set()) & words)
        for names, vocabulary in _groups(label):
            score += len({_stem(word) for word in vocabulary} & words)
            if arithmetic and names is VOCABULARY["math"][0]:
                score += 3
        if any(label.lower() in OPERATOR_NAMES[op] for op in operators):
            score += 3
        if score > best_score:
            best, best_score = label, score
    if best is not None:
        return best
    fallback = next((label for label in labels if label.lower() in FALLBACK_LABELS), None)
    return fallback if fallback is not None else choices[0]


def arithmetic_expression(text: str) -> str | None:
    """The first arithmetic expression in ``text`` (``"25 * 17"``), if there is one."""
    found = ARITHMETIC.search(text)
    return found.group() if found else None


#: String fields a calculator tool takes its sum in: they get the question's expression.
EXPRESSION_FIELDS = frozenset("expression expr formula equation calculation problem math_expression arithmetic".split())


def is_calculator(function: dict[str, Any], expression: str) -> bool:
    """Whether a tool (OpenAI's ``{"name", "description", "parameters"}``) computes ``expression``:
    its name or description uses the math vocabulary (``calculator``, ``multiply``...), or names
    the expression's operator (``multiply`` for ``*``)."""
    text = f"{function.get('name', '')} {function.get('description', '')}"
    words = {_stem(word) for word in _WORD.findall(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower())}
    names, vocabulary = VOCABULARY["math"]
    math_words = {_stem(word) for word in names | vocabulary | {"evaluate", "evaluates", "arithmetic"}}
    operators = {_OPERATORS[op] for op in re.findall(r"[-+*/×÷x]", expression)}
    operator_words = {_stem(word) for op in operators for word in OPERATOR_NAMES[op]}
    return bool(words & (math_words | operator_words))


def asks_for_code(text: str) -> bool:
    """Whether ``text`` asks for code: a verb such as *write*, then within six words one such as
    *Python* or *function* ("Write a Python function...", "Tulis kode..."); prose that merely
    uses the words ("your code decides whether to show each chunk") does not."""
    words = _WORD.findall(_FORMAT_INSTRUCTIONS.sub(" ", text).lower())
    return any(
        word in CODE_REQUEST_VERBS and CODE_WORDS.intersection(words[at + 1 : at + 7]) for at, word in enumerate(words)
    )


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
