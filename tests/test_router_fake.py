"""The fake classifies a router's question with no rules, as a real model would (day 6).

The seed's classifier is ``with_structured_output(Route)`` with ``category: Literal["math",
"code", "general"]``. With no rules the fake must pick the label that fits the question, under
every structured-output method, in process and through the OpenAI-compatible stub that the
real ``ChatOpenAI`` and ``ChatMaritaca`` clients talk to; a rule still wins.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_maritaca import ChatMaritaca
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from coursekit.fake_model import FakeStreamingChatModel
from coursekit.openai_stub import serve_openai_stub
from coursekit.replies import example_for_schema, pick_choice
from coursekit.routing import classify

pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")


class Route(BaseModel):
    """The seed's classifier output, unmodified."""

    category: Literal["math", "code", "general"] = Field(description="Category of the question")


SEED_QUESTIONS = {
    "What is 25 * 17?": "math",
    "Write a Python function to reverse a string": "code",
    "What is the capital of France?": "general",
}
each_question = pytest.mark.parametrize(("question", "expected"), SEED_QUESTIONS.items())
CLASSIFY = ChatPromptTemplate.from_template("Classify this question: {input}")
#: json_mode sends no schema: the prompt carries the parser's format instructions, as day 5 does.
CLASSIFY_JSON = ChatPromptTemplate.from_template("Classify this question: {input}\n\n{format}").partial(
    format=PydanticOutputParser(pydantic_object=Route).get_format_instructions()
)


def category(result: Any) -> str:
    return result.category if isinstance(result, BaseModel) else result["category"]


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    with serve_openai_stub(FakeStreamingChatModel()) as url:
        yield url


# --- in process --------------------------------------------------------------------------------


@each_question
@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
@pytest.mark.parametrize("layout", ["openai", "maritaca", "single"])
def test_the_seeds_classifier_routes_with_no_rules(question: str, expected: str, method: str, layout: str) -> None:
    chain = CLASSIFY | FakeStreamingChatModel(chunk_layout=layout).with_structured_output(Route, method=method)
    assert chain.invoke({"input": question}).category == expected
    assert [category(part) for part in chain.stream({"input": question})][-1] == expected


@each_question
def test_json_mode_routes_from_the_schema_in_the_prompt(question: str, expected: str) -> None:
    """The format instructions name every label and carry the parser's example: they are no clue."""
    chain = CLASSIFY_JSON | FakeStreamingChatModel().with_structured_output(Route, method="json_mode")
    assert category(chain.invoke({"input": question})) == expected


@each_question
def test_a_json_schema_dict_routes_the_same(question: str, expected: str) -> None:
    chain = CLASSIFY | FakeStreamingChatModel().with_structured_output(Route.model_json_schema())
    assert chain.invoke({"input": question}) == {"category": expected}


def test_a_rule_still_wins() -> None:
    model = FakeStreamingChatModel(rules={"France": {"category": "math"}})
    for method in ("function_calling", "json_schema"):
        chain = CLASSIFY | model.with_structured_output(Route, method=method)
        assert chain.invoke({"input": "What is the capital of France?"}).category == "math"
        assert chain.invoke({"input": "What is 25 * 17?"}).category == "math"
        assert chain.invoke({"input": "Write a Python function to reverse a string"}).category == "code"


# --- the heuristic -----------------------------------------------------------------------------


def test_the_description_tells_what_each_label_means() -> None:
    labels = ["billing", "tech", "other"]
    description = "billing: invoices, refunds and payments; tech: crashes, passwords and login trouble; other: anything else"
    assert classify(labels, "I want a refund for my last invoice", description) == "billing"
    assert classify(labels, "The app crashes at login", description) == "tech"
    assert classify(labels, "Do you have a shop in Recife?", description) == "other"


def test_an_enum_behind_a_ref_keeps_the_fields_description() -> None:
    class Kind(enum.Enum):
        SALES = "sales"
        SUPPORT = "support"

    class Ticket(BaseModel):
        kind: Kind = Field(description="sales for prices and quotes, support for broken devices")

    schema = Ticket.model_json_schema()
    assert "$ref" in schema["properties"]["kind"]
    assert example_for_schema(schema, "My router is broken, the devices drop") == {"kind": "support"}
    assert example_for_schema(schema, "What are your prices?") == {"kind": "sales"}


def test_the_vocabulary_knows_common_router_labels_in_any_order() -> None:
    assert pick_choice(["general", "code", "math"], "Calculate 3 + 4") == "math"
    assert pick_choice(["general", "programming", "mathematics"], "Fix this bug in my JavaScript loop") == "programming"
    assert pick_choice(["chat", "coding"], "Hello there, how are you?") == "chat"
    assert pick_choice(["math", "code", "general"], "Berapa 12 x 8?") == "math"


def test_a_prompt_that_names_every_label_gives_no_clue() -> None:
    labels = ["math", "code", "general"]
    assert classify(labels, "Answer math, code or general. Question: What is the capital of France?") == "general"
    assert classify(labels, "Answer math, code or general. Question: Write a SQL query for the top users") == "code"


def test_with_no_clue_and_no_catch_all_the_first_label_wins() -> None:
    schema = {"properties": {"level": {"enum": ["beginner", "advanced"]}}}
    assert example_for_schema(schema, "Anything") == {"level": "beginner"}
    assert example_for_schema(schema, "An advanced question") == {"level": "advanced"}


# --- real clients over the stub ----------------------------------------------------------------


def chat_openai(url: str) -> ChatOpenAI:
    return ChatOpenAI(model="stub-model", api_key="stub", base_url=url, max_retries=0)


def chat_maritaca(url: str) -> ChatMaritaca:
    return ChatMaritaca(model="stub-model", api_key="stub", base_url=url, max_retries=0)


@each_question
@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
def test_chatopenai_over_the_stub_routes_the_same(stub_url: str, question: str, expected: str, method: str) -> None:
    chain = CLASSIFY | chat_openai(stub_url).with_structured_output(Route, method=method)
    assert chain.invoke({"input": question}).category == expected
    assert [category(part) for part in chain.stream({"input": question})][-1] == expected


@each_question
@pytest.mark.parametrize("client", ["openai", "maritaca"])
def test_json_mode_over_the_stub_routes_the_same(stub_url: str, question: str, expected: str, client: str) -> None:
    model = chat_openai(stub_url) if client == "openai" else chat_maritaca(stub_url)
    chain = CLASSIFY_JSON | model.with_structured_output(Route, method="json_mode")
    assert category(chain.invoke({"input": question})) == expected


@each_question
def test_chatmaritaca_function_calling_over_the_stub_routes_the_same(stub_url: str, question: str, expected: str) -> None:
    chain = CLASSIFY | chat_maritaca(stub_url).with_structured_output(Route)
    assert chain.invoke({"input": question}).category == expected
