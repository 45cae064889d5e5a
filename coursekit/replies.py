"""Deterministic replies for the offline model: what it says, never how it streams.

Everything here is a pure function of the conversation, so two runs of a notebook or a test
always see the same words. The model asks three questions, in order:

1. does a ``rule`` (a regex on the last human message) match?
2. is there a scripted ``responses`` list?
3. otherwise, what would a helpful model plausibly answer: a JSON object when the prompt asks
   for JSON (an instance of the schema when the prompt embeds one), else prose in the
   prompt's language (English, Portuguese or Indonesian).
"""

from __future__ import annotations

import json
import re
import zlib
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage

_TOKEN = re.compile(r"\s*\w+|\s*[^\w\s]|\s+$")

PORTUGUESE_WORDS = frozenset(
    "você voce não nao uma um que como por para explique conte sobre olá ola é são qual quais "
    "obrigado obrigada fale diga escreva resuma história historia brasil".split()
)
INDONESIAN_WORDS = frozenset(
    "apa yang dan adalah jelaskan tolong bagaimana kenapa mengapa saya kamu anda tentang ini itu "
    "dengan untuk dalam ceritakan tuliskan halo terima kasih indonesia".split()
)

PROSE = {
    "en": (
        "Streaming sends an answer piece by piece while the model is still writing it. "
        "The first words reach the reader in a fraction of a second, so the wait feels short "
        "even when the whole reply takes several seconds. You can also stop early, "
        "react to partial output, and show progress as it happens.",
        "Here is a short answer. A language model writes one token at a time, and a streaming "
        "client prints each token the moment it arrives. Collect the pieces if you need the "
        "full text at the end, and read the last chunk for the finish reason and token usage.",
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

_SCHEMA_IN_PROMPT = re.compile(r"JSON schema below.*?```(?:json)?\s*(\{.*?\})\s*```", re.S | re.I)
_ASKS_FOR_JSON = re.compile(r"\bjson\b", re.I)


def tokenize(text: str) -> list[str]:
    """Split text into token-like pieces: words keep their leading space, punctuation stands alone.

    ``"Hello, big world"`` becomes ``["Hello", ",", " big", " world"]``, the way a real
    tokenizer's pieces read. No piece is empty, and joining them gives back the text.
    """
    return _TOKEN.findall(text)


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
    conversation = "\n".join(message_text(m) for m in messages)
    question = last_human_text(messages)
    if _ASKS_FOR_JSON.search(conversation):
        schema = embedded_schema(conversation)
        value = example_for_schema(schema, question) if schema else topic_summary(question)
        return json.dumps(value, ensure_ascii=False, indent=2)
    options = PROSE[detect_language(question)]
    return options[zlib.crc32(question.encode()) % len(options)]


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
    return {
        "topic": topic,
        "summary": f"A short, structured note about {topic}.",
        "key_points": ["It arrives in pieces.", "Each piece is valid on its own.", "Validate at the end."],
        "confidence": 0.9,
    }


def example_for_schema(schema: dict[str, Any], question: str = "") -> Any:
    """A value valid for ``schema``; enum choices prefer one the question mentions."""
    return _example(schema, schema.get("$defs", schema.get("definitions", {})), question, "value")


def _example(schema: dict[str, Any], defs: dict[str, Any], question: str, name: str) -> Any:
    if "$ref" in schema:
        return _example(defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), defs, question, name)
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            options = [s for s in schema[combinator] if s.get("type") != "null"] or schema[combinator]
            return _example(options[0], defs, question, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return pick_choice(schema["enum"], question)
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object":
        properties = schema.get("properties", {})
        return {key: _example(sub, defs, question, key) for key, sub in properties.items()}
    if kind == "array":
        return [_example(schema.get("items", {}), defs, question, name)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 0.5) or 0.5)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return f"example {name.replace('_', ' ')}"


def pick_choice(choices: list[Any], question: str) -> Any:
    """The first choice the question names, else the first choice."""
    lowered = question.lower()
    for choice in choices:
        if isinstance(choice, str) and re.search(rf"\b{re.escape(choice.lower())}\b", lowered):
            return choice
    return choices[0]
