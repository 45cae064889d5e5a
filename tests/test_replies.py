"""What the offline model says: coursekit.replies, tested without any streaming."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Literal

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from pydantic import BaseModel, Field

from coursekit.replies import (
    JSON_INTRO,
    default_text,
    detect_language,
    example_for_schema,
    last_human_text,
    match_rule,
    mentioned_tool,
    message_text,
    mismatched,
    parse_json,
    response_schema,
    tokenize,
    topic_summary,
    wrapped_in_prose,
)

TRICKY_TEXTS = [
    "Hello, big world!",
    "two  spaces and   three",
    "line one\n\nline two\n",
    "  leading and trailing  ",
    "tabs\tand\r\nwindows lines",
    "ação, você é ótimo — 😀 emoji",
    "42 + 3.5 = 45.5?!",
    "\n",
    "",
    '{"a": [1, {"b": "x y"}], "c": null}',
    'Here: {"cut": "sho',
    "```json\n{\n  \"k\": 1\n}\n```",
]

# Words that only appear in one of the three languages, to tell replies apart independently of
# the detector under test.
PORTUGUESE_MARKERS = {"não", "você", "que", "uma", "para", "é", "seu", "aos", "pedaços"}
INDONESIAN_MARKERS = {"yang", "dan", "dengan", "untuk", "kamu", "jika", "setiap", "potongan"}


class Address(BaseModel):
    city: str
    zip_code: str | None = None


class Person(BaseModel):
    name: str
    age: int


class Profile(BaseModel):
    """Many kinds of fields, as students' schemas have."""

    name: str
    age: int = Field(ge=0, le=130)
    score: float = Field(gt=0, lt=1)
    level: Literal["beginner", "intermediate", "advanced"]
    tags: list[str]
    born: date
    updated: datetime
    active: bool
    address: Address
    extra: dict[str, int]
    nickname: str | None = None


def words(text: str) -> set[str]:
    return {w.strip(".,:;!?").lower() for w in text.split()}


# --- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_tokens_join_back_to_the_exact_text_and_are_never_empty(text: str) -> None:
    pieces = tokenize(text)
    assert "".join(pieces) == text
    assert all(pieces)


def test_word_tokens_carry_their_leading_space_and_punctuation_stands_alone() -> None:
    assert tokenize("Hello, big world!") == ["Hello", ",", " big", " world", "!"]
    assert tokenize("a  b\nc") == ["a", "  b", "\nc"]


def test_json_is_cut_the_way_a_tokenizer_cuts_it() -> None:
    assert tokenize('{"name": "Rio", "population": 6}') == ['{"', "name", '":', ' "', "Rio", '",', ' "', "population", '":', " ", "6", "}"]
    assert tokenize('[{"city": "Recife"}]') == ['[{"', "city", '":', ' "', "Recife", '"}]']
    indented = json.dumps({"key_points": ["a"], "score": 0.75}, indent=2)
    assert tokenize(indented) == ['{\n', " ", ' "', "key", "_points", '":', ' [\n', "   ", ' "', "a", '"\n', " ", " ],\n",
                                  " ", ' "', "score", '":', " ", "0", ".", "75", "\n", "}"]


def test_json_inside_prose_is_cut_as_json_and_the_prose_around_it_as_prose() -> None:
    fenced = 'Sure! Here it is:\n```json\n{"a": [1, 2]}\n```'
    assert tokenize(fenced) == ["Sure", "!", " Here", " it", " is", ":", "\n```", "json", "\n", '{"', "a", '":', " [", "1", ",", " ", "2", "]}", "\n```"]
    assert tokenize('The answer is {"ok": true}.') == ["The", " answer", " is", ' {"', "ok", '":', " true", "}", "."]


def test_json_cut_short_is_still_cut_as_json() -> None:
    assert tokenize('{"name": "Rio de') == ['{"', "name", '":', ' "', "Rio", " de"]


def test_braces_that_are_not_json_stay_prose() -> None:
    assert tokenize("Fill {name} in, or {'a': 1}") == ["Fill", " {", "name", "}", " in", ",", " or", " {", "'", "a", "'", ":", " 1", "}"]



def test_broken_json_is_cut_as_prose_instead_of_failing() -> None:
    """A trailing comma is a mistake a student scripts on purpose: the fake must still stream it."""
    for broken in ('{"city": "Recife",}', "[1, 2,]", '{"a": 1]'):
        pieces = tokenize(broken)
        assert "".join(pieces) == broken and len(pieces) > 3

# --- reading the conversation ----------------------------------------------------------------


def test_message_text_reads_string_and_block_content() -> None:
    assert message_text(HumanMessage("plain")) == "plain"
    blocks = HumanMessage([{"type": "text", "text": "Hello "}, {"type": "image", "url": "x"}, "world"])
    assert message_text(blocks) == "Hello world"


def test_rules_match_the_last_human_message() -> None:
    messages = [SystemMessage("about apples"), HumanMessage("apples?"), AIMessage("red"), HumanMessage("and pears?")]
    assert last_human_text(messages) == "and pears?"
    assert last_human_text([SystemMessage("only a system prompt")]) == "only a system prompt"


def test_the_first_matching_rule_wins_and_case_does_not_matter() -> None:
    rules = {r"\bpears?\b": "green", r"fruit": "sweet"}
    assert match_rule(rules, "Tell me about PEARS and fruit") == "green"
    assert match_rule(rules, "Any FRUIT?") == "sweet"
    assert match_rule(rules, "Something else") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Explain what streaming is, please.", "en"),
        ("Do you have a minute? No? As you wish.", "en"),
        ("Explique o que é streaming, por favor.", "pt"),
        ("Você pode me ajudar com isso?", "pt"),
        ("Tolong jelaskan apa itu streaming.", "id"),
        ("Bagaimana cara kerja streaming dengan LangChain?", "id"),
    ],
)
def test_detects_the_language_of_the_question(text: str, language: str) -> None:
    assert detect_language(text) == language


# --- default replies -------------------------------------------------------------------------


def test_prose_is_deterministic_and_in_english_by_default() -> None:
    reply = default_text([HumanMessage("Why do chat apps stream their answers?")])
    assert reply == default_text([HumanMessage("Why do chat apps stream their answers?")])
    assert reply.count(". ") >= 2, "a few sentences of plausible prose"
    assert not words(reply) & (PORTUGUESE_MARKERS | INDONESIAN_MARKERS)
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply)


def test_portuguese_and_indonesian_questions_get_answers_in_their_language() -> None:
    portuguese = default_text([HumanMessage("Explique o que é streaming, por favor.")])
    indonesian = default_text([HumanMessage("Tolong jelaskan apa itu streaming.")])
    assert len(words(portuguese) & PORTUGUESE_MARKERS) >= 2
    assert len(words(indonesian) & INDONESIAN_MARKERS) >= 2


def test_a_request_for_json_gets_a_json_object() -> None:
    reply = default_text([HumanMessage("Describe streaming as a JSON object.")])
    value = json.loads(reply)
    assert isinstance(value, dict) and value["summary"] and value["key_points"]


@pytest.mark.parametrize("parser_class", [JsonOutputParser, PydanticOutputParser])
def test_format_instructions_in_the_prompt_get_an_instance_of_their_schema(parser_class: type) -> None:
    instructions = parser_class(pydantic_object=Profile).get_format_instructions()
    reply = default_text([SystemMessage(instructions), HumanMessage("Create a profile for 'Ana'.")])
    profile = Profile.model_validate(json.loads(reply))
    assert profile.name == "Ana"


def test_after_a_tool_result_the_reply_reports_it() -> None:
    question = HumanMessage("Qual é o clima em Recife? Não sei.")
    call = AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Recife"}, "id": "c1"}])
    reply = default_text([question, call, ToolMessage("Ensolarado, 31 °C", tool_call_id="c1")])
    assert "Ensolarado, 31 °C" in reply
    assert words(reply) & PORTUGUESE_MARKERS


def test_json_summary_without_a_schema_speaks_the_question_language() -> None:
    summary = topic_summary("Explique o que é streaming em JSON, por favor")
    assert len(words(summary["summary"] + " " + " ".join(summary["key_points"])) & PORTUGUESE_MARKERS) >= 1
    assert summary["summary"] != topic_summary("Explain streaming in JSON please")["summary"]


# --- values for schemas ----------------------------------------------------------------------


def test_examples_validate_against_rich_schemas() -> None:
    Profile.model_validate(example_for_schema(Profile.model_json_schema()))


def test_numbers_in_the_question_fill_numeric_fields_in_order() -> None:
    class Add(BaseModel):
        a: int
        b: int

    assert example_for_schema(Add.model_json_schema(), "What is 3 + 4?") == {"a": 3, "b": 4}
    assert example_for_schema({"properties": {"input": {"type": "integer"}}}, "magic_function(3)") == {"input": 3}


def test_numbers_that_break_a_bound_are_not_used() -> None:
    schema = Profile.model_json_schema()
    value = example_for_schema(schema, "I am 200 years old and score 7")
    profile = Profile.model_validate(value)
    assert profile.age != 200 and profile.score != 7


def test_quoted_names_fill_string_fields_unicode_included() -> None:
    class Customer(BaseModel):
        customer_name: str
        description: str

    value = example_for_schema(Customer.model_json_schema(), "Create a customer named '你好啊集团' (Hello Group)")
    assert value["customer_name"] == "你好啊集团"
    assert value["description"]
    assert example_for_schema(Customer.model_json_schema(), "What's Bob's name?")["customer_name"] != "s name?"


def test_an_enum_prefers_the_choice_the_question_names() -> None:
    schema = {"properties": {"level": {"enum": ["beginner", "advanced"]}}}
    assert example_for_schema(schema, "An advanced question") == {"level": "advanced"}
    assert example_for_schema(schema, "Anything") == {"level": "beginner"}


# --- choosing a tool -------------------------------------------------------------------------


def test_a_question_about_a_tool_picks_it() -> None:
    functions = [{"name": "magic_function"}, {"name": "get_weather"}, {"name": "searchWeb"}]
    assert mentioned_tool(functions, "What is the weather in Recife?") == {"name": "get_weather"}
    assert mentioned_tool(functions, "Use magic_function on 3") == {"name": "magic_function"}
    assert mentioned_tool(functions, "search for LangChain") == {"name": "searchWeb"}
    assert mentioned_tool(functions, "Hello there!") is None
    assert mentioned_tool(functions, "What does this function do?") is None


# --- spoiling JSON (json_fault) ----------------------------------------------------------------


def test_parse_json_reads_only_objects_and_arrays() -> None:
    assert parse_json('{"a": 1}') == {"a": 1} and parse_json("[1]") == [1]
    assert parse_json("42") is None and parse_json("Sure! {}") is None and parse_json('{"a": 1') is None


def test_response_schema_reads_the_fakes_and_openais_forms() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert response_schema({"type": "json_schema", "schema": schema}) == schema
    assert response_schema({"type": "json_schema", "json_schema": {"name": "A", "schema": schema, "strict": True}}) == schema
    assert response_schema({"type": "json_object"}) is None


def test_wrapped_in_prose_puts_the_sentence_first_and_fences_on_request() -> None:
    assert wrapped_in_prose("{}", "pt") == JSON_INTRO["pt"] + "\n\n{}"
    assert wrapped_in_prose("{}", "en", fenced=True) == JSON_INTRO["en"] + "\n\n```json\n{}\n```"
    assert set(JSON_INTRO) == {"en", "pt", "id"}


def test_mismatched_objects_fail_the_schema_they_came_from() -> None:
    schema = Person.model_json_schema()
    value = example_for_schema(schema, "Ana is 30")
    wrong = mismatched(value, schema)
    assert json.loads(json.dumps(wrong)) == wrong, "still valid JSON"
    assert wrong == {key: item for key, item in value.items() if key != schema["required"][0]}
    with pytest.raises(ValueError):
        Person.model_validate(wrong)


def test_mismatched_follows_refs_into_a_list_of_objects() -> None:
    class Crowd(BaseModel):
        people: list[Person]

    schema = Crowd.model_json_schema()
    value = example_for_schema(schema)
    wrong = mismatched(value["people"], {**schema["properties"]["people"], "$defs": schema["$defs"]})
    assert "name" not in wrong[0] and wrong[0]["age"] == value["people"][0]["age"]


def test_mismatched_without_a_schema_drops_the_first_key_and_spoils_bare_values() -> None:
    assert mismatched({"a": 1, "b": 2}, None) == {"b": 2}
    assert mismatched({"a": "x"}, {"type": "object", "properties": {"a": {"type": "string"}}}) == {"a": ["x"]}
    assert mismatched({}, None) == [{}] and mismatched([1, 2], None) == [[1], 2] and mismatched([], None) == {"items": []}
