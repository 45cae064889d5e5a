"""Deterministic replies for the offline model: what it says, never how it streams.

Everything here is a pure function of the conversation, so two runs of a notebook or a test
always see the same words. The model asks these questions, in order:

1. does a ``rule`` (a regex on the last human message) match?
2. is there a scripted ``responses`` list?
3. otherwise, what would a helpful model plausibly answer: a summary of the tool results
   when the last message is one, a JSON object when the prompt asks for JSON (an instance of
   the schema when the prompt embeds one), else prose in the prompt's language (English,
   Portuguese or Indonesian).

Tool arguments and structured output come from :func:`example_for_schema`, which reads the
numbers and quoted names of the question the way a model would ("magic_function(3)" gives
``{"input": 3}``) and otherwise invents values that validate.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage
from langchain_core.utils.json import parse_partial_json

from coursekit.routing import EXPRESSION_FIELDS, arithmetic_expression, asks_for_code, classify, is_calculator

_TOKEN = re.compile(r"\s*\w+|\s*```|\s*[^\w\s]|\s+$")

#: The pre-tokenizer of OpenAI's cl100k and o200k encodings, written for ``re`` (a letter is
#: ``[^\W\d_]``): a run of letters with at most one sign before it, digits three at a time, a
#: run of punctuation with one optional space before it and its newlines after, then whitespace,
#: where a space that comes before a word stays with that word. In JSON this gives the pieces a
#: provider streams: ``{"``, ``name``, ``":``, `` "``, ``Rio``, ``"}``.
_JSON_TOKEN = re.compile(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)"
    r"|(?:[^\r\n\w]|_)?[^\W\d_]+"
    r"|\d{1,3}"
    r"| ?(?:[^\s\w]|_)+[\r\n]*"
    r"|\s*[\r\n]+"
    r"|\s+(?!\S)"
    r"|\s+"
)
#: Where a JSON object or array may start: ``{`` before a key or ``}``, ``[`` before a value or ``]``.
_JSON_OPENING = re.compile(r"""\{(?=\s*(?:["}]|$))|\[(?=\s*(?:[-\d"{\[\]]|true|false|null|$))""")
_DECODER = json.JSONDecoder()

PORTUGUESE_WORDS = frozenset(
    "você voce não nao uma um que como por para explique conte sobre olá ola é são qual quais "
    "obrigado obrigada fale diga escreva resuma história historia brasil pode isso isto esse "
    "essa com mais muito também porque quando onde está estão fazer ajudar ajude mim meu minha "
    "seu sua da dos das em na nos sei".split()
)
INDONESIAN_WORDS = frozenset(
    "apa yang dan adalah jelaskan tolong bagaimana kenapa mengapa saya kamu anda tentang ini itu "
    "dengan untuk dalam ceritakan tuliskan halo terima kasih indonesia bisa tidak ada akan sudah "
    "belum dari ke di pada juga atau seperti karena kami kita mereka cara kerja bantu buat "
    "buatkan berikan sebutkan mohon".split()
)

PROSE = {
    "en": (
        "Streaming sends an answer piece by piece while the model is still writing it. "
        "The first words reach the reader in a fraction of a second, so the wait feels short "
        "even when the whole reply takes several seconds. You can also stop early, "
        "react to partial output, and show progress as it happens.",
        "Here is a short answer. A language model writes one token at a time, and a streaming "
        "client prints each token the moment it arrives. Collect the pieces if you need the "
        "full text at the end, and add the chunks up for the finish reason and token usage.",
        "Good question. Think of the reply as a river rather than a parcel: the text flows in "
        "small chunks, each one useful on its own. Your code decides whether to show each chunk, "
        "buffer a few, or gather them all before acting.",
    ),
    "pt": (
        "Com streaming, a resposta chega aos pedaços enquanto o modelo ainda está escrevendo. "
        "As primeiras palavras aparecem em uma fração de segundo, então a espera parece curta "
        "mesmo quando a resposta inteira leva alguns segundos. Também dá para parar antes do fim "
        "e reagir ao texto parcial.",
        "Aqui vai uma resposta curta. Um modelo de linguagem escreve um token de cada vez, e um "
        "cliente com streaming mostra cada token assim que ele chega. Junte os pedaços se "
        "precisar do texto completo e leia o último chunk para ver o motivo de término e o uso "
        "de tokens.",
        "Boa pergunta. Pense na resposta como um rio, não como um pacote: o texto flui em pedaços "
        "pequenos, cada um útil por si só. O seu código decide se mostra cada pedaço, se guarda "
        "alguns ou se espera todos antes de agir.",
    ),
    "id": (
        "Dengan streaming, jawaban dikirim sepotong demi sepotong selagi model masih menulis. "
        "Kata-kata pertama sampai ke pembaca dalam sekejap, jadi penantian terasa singkat "
        "meskipun seluruh jawaban butuh beberapa detik. Kamu juga bisa berhenti lebih awal "
        "dan menanggapi keluaran sebagian.",
        "Ini jawaban singkatnya. Model bahasa menulis satu token setiap kali, dan klien yang "
        "memakai streaming menampilkan setiap token begitu token itu tiba. Kumpulkan potongannya "
        "jika kamu butuh teks lengkap, lalu baca chunk terakhir untuk alasan selesai dan "
        "pemakaian token.",
        "Pertanyaan bagus. Bayangkan jawaban sebagai aliran sungai, bukan paket: teks mengalir "
        "dalam potongan kecil yang masing-masing sudah berguna. Kodemu yang menentukan apakah "
        "setiap potongan langsung ditampilkan, ditampung dulu, atau dikumpulkan semuanya.",
    ),
}

TOOL_RESULT_INTRO = {
    "en": "Here is what I found: ",
    "pt": "Veja o que eu encontrei: ",
    "id": "Ini yang saya temukan: ",
}

SUMMARY_TEXT = {
    "en": ("A short, structured note about {topic}.", "It arrives in pieces.", "Each piece is small.", "Validate it at the end."),
    "pt": ("Uma nota curta e estruturada sobre {topic}.", "Chega aos pedaços.", "Cada pedaço é pequeno.", "Valide tudo no final."),
    "id": ("Catatan singkat yang terstruktur tentang {topic}.", "Datang sepotong-sepotong.", "Setiap potongan kecil.", "Validasi di akhir."),
}

#: The words around a sum worked step by step (:func:`worked_sum`).
SUM_TEXT = {
    "en": ("Let's work it out step by step.", "Step {n}: {line}", "So {expression} = {result}."),
    "pt": ("Vamos resolver passo a passo.", "Passo {n}: {line}", "Então {expression} = {result}."),
    "id": ("Mari kita kerjakan langkah demi langkah.", "Langkah {n}: {line}", "Jadi {expression} = {result}."),
}
#: The words around the code a code request gets (:func:`code_answer`).
CODE_TEXT = {
    "en": (
        "Here is a Python function that does it, with comments:",
        "The last lines show a call and what it prints; change the input to try your own.",
    ),
    "pt": (
        "Aqui está uma função em Python que faz isso, com comentários:",
        "As últimas linhas mostram uma chamada e o que ela imprime; troque a entrada para testar a sua.",
    ),
    "id": (
        "Ini fungsi Python yang melakukannya, lengkap dengan komentar:",
        "Baris terakhir menunjukkan satu pemanggilan dan hasil cetaknya; ganti masukannya untuk mencoba milikmu.",
    ),
}
#: Functions the fake writes when asked: the words that ask for one, and its code.
CODE_RECIPES: tuple[tuple[frozenset[str], str], ...] = (
    (
        frozenset({"palindrome"}),
        'def is_palindrome(text: str) -> bool:\n    """Whether text reads the same backwards, ignoring case and spaces."""\n'
        '    # Keep only letters and digits, in lower case\n    cleaned = [char.lower() for char in text if char.isalnum()]\n'
        '    # A palindrome equals its own reverse\n    return cleaned == cleaned[::-1]\n\n\n'
        'print(is_palindrome("Never odd or even"))  # True',
    ),
    (
        frozenset({"reverse", "reverses", "reversed", "balik", "membalik", "inverter", "inverta", "inverte"}),
        'def reverse_string(text: str) -> str:\n    """Return text with its characters in reverse order."""\n'
        "    # A slice with step -1 walks the string from the end to the start\n    return text[::-1]\n\n\n"
        'print(reverse_string("hello"))  # olleh',
    ),
    (
        frozenset({"factorial", "faktorial", "fatorial"}),
        'def factorial(n: int) -> int:\n    """Return n! = 1 * 2 * ... * n."""\n    if n < 0:\n'
        '        raise ValueError("factorial is not defined for negative numbers")\n    result = 1\n'
        "    # Multiply every number from 2 up to n\n    for number in range(2, n + 1):\n        result *= number\n"
        "    return result\n\n\nprint(factorial(5))  # 120",
    ),
    (
        frozenset({"fibonacci"}),
        'def fibonacci(count: int) -> list[int]:\n    """Return the first count Fibonacci numbers."""\n'
        "    numbers = []\n    current, following = 0, 1\n    for _ in range(count):\n        numbers.append(current)\n"
        "        # Each number is the sum of the two before it\n        current, following = following, current + following\n"
        "    return numbers\n\n\nprint(fibonacci(8))  # [0, 1, 1, 2, 3, 5, 8, 13]",
    ),
    (
        frozenset({"prime", "primes", "prima", "primo"}),
        'def is_prime(n: int) -> bool:\n    """Whether n is a prime number."""\n    if n < 2:\n        return False\n'
        "    # A divisor larger than the square root would pair with one smaller than it\n"
        "    divisor = 2\n    while divisor * divisor <= n:\n        if n % divisor == 0:\n            return False\n"
        "        divisor += 1\n    return True\n\n\nprint(is_prime(17))  # True",
    ),
    (
        frozenset({"vowel", "vowels", "vokal", "vogal", "vogais"}),
        'def count_vowels(text: str) -> int:\n    """Count the vowels in text."""\n'
        '    # Compare in lower case so that "A" counts like "a"\n    return sum(char in "aeiou" for char in text.lower())\n\n\n'
        'print(count_vowels("Streaming"))  # 2',
    ),
)
#: The code for any other request: a function named after it that the student completes.
CODE_SKELETON = (
    'def {name}(value):\n    """{request}"""\n    # Write the steps here; this version hands back its input\n'
    "    result = value\n    return result\n\n\nprint({name}(42))  # 42"
)

#: What a chatty model says before the JSON it was asked for (``json_fault="prose"``).
JSON_INTRO = {
    "en": "Sure! Here is the JSON you asked for:",
    "pt": "Claro! Aqui está o JSON que você pediu:",
    "id": "Tentu! Ini JSON yang kamu minta:",
}

#: Words too generic to show that a question is about one particular tool.
GENERIC_TOOL_WORDS = frozenset("tool tools function call value data info result make with from".split())

#: Example values for the string formats pydantic checks, so that structured output validates.
STRING_FORMATS = {
    "date-time": "2024-01-15T09:30:00Z",
    "date": "2024-01-15",
    "time": "09:30:00",
    "duration": "PT1H",
    "email": "student@example.com",
    "uri": "https://example.com/",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "ipv4": "127.0.0.1",
}

_SCHEMA_IN_PROMPT = re.compile(r"JSON schema below.*?```(?:json)?\s*(\{.*?\})\s*```", re.S | re.I)
_ASKS_FOR_JSON = re.compile(r"\bjson\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_QUOTED = re.compile(r"""(?:^|(?<=[\s(\[:=]))(?:'([^'\n]+)'|"([^"\n]+)"|“([^”\n]+)”)""")


def tokenize(text: str) -> list[str]:
    """Split text into token-like pieces, as a provider streams them.

    In prose, words keep their leading space and punctuation stands alone: ``"Hello, big
    world"`` becomes ``["Hello", ",", " big", " world"]``. JSON (an object or array, whole or
    cut short, alone or inside prose) is cut the way cl100k and o200k cut it, punctuation runs
    together: ``{"city": "Rio"}`` becomes ``['{"', 'city', '":', ' "', 'Rio', '"}']``. No
    piece is empty, and joining them gives back the text exactly, spaces and newlines included.
    """
    pieces: list[str] = []
    done = 0
    for start, end in json_spans(text):
        pieces += _TOKEN.findall(text[done:start]) + _JSON_TOKEN.findall(text[start:end])
        done = end
    return pieces + _TOKEN.findall(text[done:])


def json_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds JSON objects or arrays: ``(start, end)`` of each, in order.

    A span is a value ``json`` decodes, or one cut short at the end of the text (what
    ``parse_partial_json`` still reads); one space before it belongs to it, as ``" {"`` is one
    token. Braces in prose that are not JSON (``{name}``, ``{'a': 1}``) are left to prose.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    while found := _JSON_OPENING.search(text, position):
        start = found.start()
        try:
            _, end = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            if not _reads_as_cut_short(text[start:]):
                position = start + 1
                continue
            end = len(text)
        if start and text[start - 1] == " ":
            start -= 1
        spans.append((start, end))
        position = end
    return spans



def _reads_as_cut_short(text: str) -> bool:
    """Whether ``text`` is JSON cut short; broken JSON (a trailing comma, a stray bracket) is not."""
    try:
        return parse_partial_json(text) is not None
    except json.JSONDecodeError:
        return False


def message_text(message: BaseMessage) -> str:
    """The plain text of a message, whether its content is a string or a list of blocks."""
    if isinstance(message.content, str):
        return message.content
    parts = []
    for block in message.content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def last_human_text(messages: list[BaseMessage]) -> str:
    """The last human turn, which is what rules match against."""
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message_text(message)
    return message_text(messages[-1]) if messages else ""


def match_rule(rules: dict[str, Any], text: str) -> Any | None:
    """The reply of the first rule whose regex matches ``text`` (case-insensitive), if any."""
    for pattern, reply in rules.items():
        if re.search(pattern, text, re.I):
            return reply
    return None


def detect_language(text: str) -> str:
    """``"pt"`` or ``"id"`` when enough of the words are Portuguese or Indonesian, else ``"en"``."""
    words = re.findall(r"\w+", text.lower())
    portuguese = sum(word in PORTUGUESE_WORDS for word in words)
    indonesian = sum(word in INDONESIAN_WORDS for word in words)
    if max(portuguese, indonesian) < 2 and not re.search(r"[ãõç]", text.lower()):
        return "en"
    return "pt" if portuguese >= indonesian else "id"


def default_text(messages: list[BaseMessage]) -> str:
    """A plausible, deterministic reply to the conversation."""
    question = last_human_text(messages)
    language = detect_language(question)
    results = trailing_tool_results(messages)
    if results:
        return TOOL_RESULT_INTRO[language] + "; ".join(results)
    conversation = "\n".join(message_text(m) for m in messages)
    if _ASKS_FOR_JSON.search(conversation):
        schema = embedded_schema(conversation)
        value = example_for_schema(schema, question) if schema else topic_summary(question)
        return json.dumps(value, ensure_ascii=False, indent=2)
    expression = arithmetic_expression(question)
    worked = worked_sum(expression, language) if expression else None
    if worked:
        return worked
    if asks_for_code(question):
        return code_answer(question, language)
    options = PROSE[language]
    return options[zlib.crc32(question.encode()) % len(options)]


def worked_sum(expression: str, language: str = "en") -> str | None:
    """The sum worked step by step, computed: ``"25 * 17"`` splits 17 into 10 + 7 (250 + 175 = 425).

    A product of two whole numbers splits its larger-than-ten factor into tens and units; any
    other expression is reduced one operation at a time, ``*`` and ``/`` before ``+`` and ``-``.
    ``None`` when it cannot be computed (a division by zero).
    """
    numbers = [Fraction(n) for n in re.findall(r"\d+(?:\.\d+)?", expression)]
    operators = [{"×": "*", "x": "*", "÷": "/"}.get(op, op) for op in re.findall(r"[-+*/×÷x]", expression)]
    shown = _shown_expression(numbers, operators)
    lines = _split_product(numbers, operators) or _reductions(numbers, operators)
    if lines is None:
        return None
    intro, step, outro = SUM_TEXT[language]
    steps = [step.format(n=n, line=line) for n, line in enumerate(lines, 1)]
    return "\n".join([intro, "", *steps, "", outro.format(expression=shown, result=_number(_evaluate(numbers, operators)))])


def _split_product(numbers: list[Fraction], operators: list[str]) -> list[str] | None:
    if operators != ["*"] or any(n.denominator != 1 for n in numbers):
        return None
    left, right = (int(n) for n in numbers)
    if right < 10 and left >= 10:  # split the factor that has tens and units
        left, right, swapped = right, left, True
    else:
        swapped = False
    tens, units = right - right % 10, right % 10
    if right < 10 or units == 0:
        return None

    def product(a: int, b: int) -> str:
        return f"{b} * {a}" if swapped else f"{a} * {b}"

    return [
        f"{product(left, right)} = {product(left, tens)} + {product(left, units)}",
        f"{product(left, tens)} = {left * tens}",
        f"{product(left, units)} = {left * units}",
        f"{left * tens} + {left * units} = {left * right}",
    ]


def _reductions(numbers: list[Fraction], operators: list[str]) -> list[str] | None:
    numbers, operators, lines = list(numbers), list(operators), []
    while operators:
        at = next((i for i, op in enumerate(operators) if op in "*/"), 0)
        left, op, right = numbers[at], operators[at], numbers[at + 1]
        if op == "/" and right == 0:
            return None
        value = {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[op]
        lines.append(f"{_number(left)} {op} {_number(right)} = {_number(value)}")
        numbers[at : at + 2], operators[at : at + 1] = [value], []
    return lines


def _evaluate(numbers: list[Fraction], operators: list[str]) -> Fraction:
    numbers, operators = list(numbers), list(operators)
    while operators:
        at = next((i for i, op in enumerate(operators) if op in "*/"), 0)
        left, op, right = numbers[at], operators[at], numbers[at + 1]
        numbers[at : at + 2] = [{"+": left + right, "-": left - right, "*": left * right, "/": left / right}[op]]
        del operators[at]
    return numbers[0]


def _shown_expression(numbers: list[Fraction], operators: list[str]) -> str:
    parts = [_number(numbers[0])]
    for op, number in zip(operators, numbers[1:]):
        parts += [op, _number(number)]
    return " ".join(parts)


def _number(value: Fraction) -> str:
    """A whole number as it is; a fraction as a decimal of at most six places."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6f}".rstrip("0").rstrip(".")


def code_answer(question: str, language: str = "en") -> str:
    """A code request's answer: a sentence, a fenced ```python block that runs, and a sentence.

    A few common tasks (reversing a string, a palindrome, factorial, Fibonacci, primes, vowels)
    get a working function; any other request a function named after it, to complete.
    """
    words = set(re.findall(r"\w+", question.lower()))
    code = next((recipe for triggers, recipe in CODE_RECIPES if triggers & words), None)
    if code is None:
        code = CODE_SKELETON.format(name=_function_name(question), request=question.strip().rstrip(".?!").replace('"', "'"))
    intro, outro = CODE_TEXT[language]
    return f"{intro}\n\n```python\n{code}\n```\n\n{outro}"


def _function_name(question: str) -> str:
    """A snake_case name from what the request asks for: the words after "to" or "that"."""
    words = re.findall(r"[a-z]+", question.lower())
    after = next((i + 1 for i, word in enumerate(words) if word in ("to", "that", "which", "untuk", "para", "que")), None)
    chosen = [w for w in (words[after:] if after is not None else words[-3:]) if w not in ("a", "an", "the", "of", "me")][:3]
    return "_".join(chosen) or "solve"


def trailing_tool_results(messages: list[BaseMessage]) -> list[str]:
    """The contents of the tool messages that end the conversation, oldest first."""
    results: list[str] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        results.insert(0, message_text(message))
    return results


def embedded_schema(text: str) -> dict[str, Any] | None:
    """The JSON schema a parser's format instructions put in the prompt, if there is one."""
    found = _SCHEMA_IN_PROMPT.search(text)
    if not found:
        return None
    try:
        schema = json.loads(found.group(1))
    except json.JSONDecodeError:
        return None
    return schema if isinstance(schema, dict) else None


def topic_summary(question: str) -> dict[str, Any]:
    """A small JSON object about the question, for prompts that ask for JSON with no schema."""
    words = re.findall(r"\w+", question)
    topic = " ".join(words[-3:]) if words else "streaming"
    summary, *key_points = SUMMARY_TEXT[detect_language(question)]
    return {"topic": topic, "summary": summary.format(topic=topic), "key_points": key_points, "confidence": 0.9}


def parse_json(text: str) -> Any | None:
    """The object or array ``text`` is, or ``None`` when it is anything else (prose, a number...)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict | list) else None


def response_schema(response_format: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema of a ``response_format``: the fake's own ``{"type", "schema"}``, or OpenAI's
    ``{"type": "json_schema", "json_schema": {"schema": ...}}``; ``None`` for plain JSON mode."""
    schema = response_format.get("schema") or (response_format.get("json_schema") or {}).get("schema")
    return schema if isinstance(schema, dict) else None


def wrapped_in_prose(json_text: str, language: str, *, fenced: bool = False) -> str:
    """JSON the way a chatty model sends it: a sentence first, and maybe a Markdown fence."""
    body = f"```json\n{json_text}\n```" if fenced else json_text
    return f"{JSON_INTRO[language]}\n\n{body}"


def mismatched(value: Any, schema: dict[str, Any] | None) -> Any:
    """Valid JSON that ``schema`` refuses: its first required key left out.

    With no schema every key counts as required; when the schema requires none, the first
    key's value gets a wrong type instead. A list spoils its first item; anything else (an
    empty object, a bare value) becomes a value of another type.
    """
    defs = (schema or {}).get("$defs", (schema or {}).get("definitions", {}))
    schema = _resolved(schema, defs)
    if isinstance(value, list) and value:
        return [mismatched(value[0], _resolved(schema.get("items"), defs) if schema else None), *value[1:]]
    if not isinstance(value, dict) or not value:
        return _wrong_type(value)
    required = [key for key in (schema.get("required", []) if schema else list(value)) if key in value]
    if required:
        return {key: item for key, item in value.items() if key != required[0]}
    first = next(iter(value))
    return {**value, first: _wrong_type(value[first])}


def _resolved(schema: dict[str, Any] | None, defs: dict[str, Any]) -> dict[str, Any] | None:
    if isinstance(schema, dict) and "$ref" in schema:
        return defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _wrong_type(value: Any) -> Any:
    """A value of another type that no lax coercion turns back: a list, or an object for a list."""
    return {"items": value} if isinstance(value, list) else [value]


def mentioned_tool(functions: list[dict[str, Any]], question: str) -> dict[str, Any] | None:
    """The first tool the question is about: it names the tool, or a distinctive word of its name;
    else, when the question holds a sum, the first calculator (:func:`coursekit.routing.is_calculator`).

    ``get_weather`` answers "What is the weather in Recife?", and ``calculator`` "What is 25 * 17?",
    as a real model would pick them.
    """
    words = set(re.findall(r"\w+", question.lower()))
    for function in functions:
        name = function.get("name", "")
        parts = re.split(r"_|-|(?<=[a-z])(?=[A-Z])", name)
        distinctive = {p.lower() for p in parts if len(p) >= 4} - GENERIC_TOOL_WORDS
        if name.lower() in words or distinctive & words:
            return function
    expression = arithmetic_expression(question)
    if expression:
        return next((f for f in functions if is_calculator(f, expression)), None)
    return None


def example_for_schema(schema: dict[str, Any], question: str = "") -> Any:
    """A value valid for ``schema``, filled from the question where it can be.

    Numbers in the question fill the numeric fields in order and quoted names fill the string
    fields, when they fit the field's bounds; a field named like ``expression`` gets the sum the
    question holds (``"25 * 17"``); an enum's choice is the label a router's classifier
    would pick (:func:`pick_choice`).
    """
    return _Example(schema.get("$defs", schema.get("definitions", {})), question).value(schema, "value")


class _Example:
    """One walk over a schema, consuming the question's numbers and quoted names in order."""

    def __init__(self, defs: dict[str, Any], question: str) -> None:
        self.defs = defs
        self.question = question
        self.numbers: Iterator[str] = iter(_NUMBER.findall(question))
        self.quoted: Iterator[str] = iter(next(g for g in groups if g) for groups in _QUOTED.findall(question))

    def value(self, schema: dict[str, Any], name: str, described: str = "") -> Any:
        """``described``: what the enclosing field says, as a ``$ref`` or ``anyOf`` keeps its description outside."""
        described = " ".join(filter(None, (described, schema.get("description", ""))))
        if "$ref" in schema:
            return self.value(self.defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), name, described)
        for combinator in ("anyOf", "oneOf", "allOf"):
            if combinator in schema:
                options = [s for s in schema[combinator] if s.get("type") != "null"] or schema[combinator]
                return self.value(options[0], name, described)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return pick_choice(schema["enum"], self.question, described)
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "string")
        if kind == "object":
            return {key: self.value(sub, key) for key, sub in schema.get("properties", {}).items()}
        if kind == "array":
            return [self.value(schema.get("items", {}), name)]
        if kind in ("integer", "number"):
            return self.number(schema, integer=kind == "integer")
        if kind == "boolean":
            return schema.get("default", True)
        if kind == "null":
            return None
        return self.string(schema, name)

    def number(self, schema: dict[str, Any], *, integer: bool) -> int | float:
        mentioned = next(self.numbers, None)
        if mentioned is not None and (not integer or "." not in mentioned):
            value = int(mentioned) if integer else float(mentioned)
            if _within_bounds(value, schema):
                return value
        if "default" in schema and schema["default"] is not None:
            return schema["default"]
        candidates = (1, 0, schema.get("minimum"), schema.get("maximum"))
        fitting = [c for c in candidates if isinstance(c, int | float) and _within_bounds(c, schema)]
        if fitting:
            return int(fitting[0]) if integer else float(fitting[0])
        low = schema.get("exclusiveMinimum", 0)
        return int(low) + 1 if integer else float(low) + 0.5

    def string(self, schema: dict[str, Any], name: str) -> str:
        if schema.get("format") in STRING_FORMATS:
            return STRING_FORMATS[schema["format"]]
        mentioned = next(self.quoted, None)
        if mentioned is not None:
            return mentioned
        expression = arithmetic_expression(self.question) if name.lower() in EXPRESSION_FIELDS else None
        if expression:
            return expression
        if isinstance(schema.get("default"), str):
            return schema["default"]
        return f"example {name.replace('_', ' ')}"


def _within_bounds(value: float, schema: dict[str, Any]) -> bool:
    checks = (
        ("minimum", lambda bound: value >= bound),
        ("maximum", lambda bound: value <= bound),
        ("exclusiveMinimum", lambda bound: value > bound),
        ("exclusiveMaximum", lambda bound: value < bound),
    )
    return all(check(schema[key]) for key, check in checks if isinstance(schema.get(key), int | float))


def pick_choice(choices: list[Any], question: str, description: str = "") -> Any:
    """The choice that fits the question, as a router's classifier picks a label.

    The question naming a choice, the words ``description`` says about each choice and a small
    vocabulary of common router labels all count (see :mod:`coursekit.routing`); with no clue,
    a catch-all label (``general``, ``other``...) or else the first choice.
    """
    return classify(choices, question, description)
