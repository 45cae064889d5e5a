"""The fake classifies a router's question with no rules, as a real model would (day 6).

The seed's classifier is ``with_structured_output(Route)`` with ``category: Literal["math",
"code", "general"]``. With no rules the fake must pick the label that fits the question, under
every structured-output method, in process and through the OpenAI-compatible stub that the
real ``ChatOpenAI`` and ``ChatMaritaca`` clients talk to; a rule still wins.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_maritaca import ChatMaritaca
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from coursekit.fake_model import FakeStreamingChatModel
from coursekit.openai_stub import serve_openai_stub
from coursekit.replies import example_for_schema, pick_choice, worked_sum
from coursekit.routing import arithmetic_expression, asks_for_code, classify

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
@pytest.mark.parametrize("method", [None, "function_calling", "json_schema"], ids=["default", "function_calling", "json_schema"])
def test_chatopenai_over_the_stub_routes_the_same(stub_url: str, question: str, expected: str, method: str | None) -> None:
    """None: the seed's call, unmodified (ChatOpenAI's default method is json_schema)."""
    model = chat_openai(stub_url)
    chain = CLASSIFY | (model.with_structured_output(Route) if method is None else model.with_structured_output(Route, method=method))
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


# --- answers that fit the route ----------------------------------------------------------------

#: The seed's three chains' prompts (in its Indonesian), and an English one, around the question.
ROUTE_PROMPTS = {
    "math": "Kamu adalah ahli matematika. Selesaikan dengan step-by-step.\nProblem: {input}",
    "code": "Kamu adalah senior programmer. Tulis clean code dengan comments.\nRequest: {input}",
    "general": "Kamu adalah asisten yang helpful. Jawab dengan jelas dan informatif.\nQuestion: {input}",
}
FENCE = re.compile(r"```python\n(.*?)\n```", re.S)


def answer(question: str, template: str = "{input}", **model: Any) -> str:
    return (ChatPromptTemplate.from_template(template) | FakeStreamingChatModel(**model) | StrOutputParser()).invoke({"input": question})


@pytest.mark.parametrize(("left", "right"), [(25, 17), (38, 46), (12, 8), (7, 93)])
def test_a_product_is_worked_out_by_tens_and_units(left: int, right: int) -> None:
    text = answer(f"What is {left} * {right}?")
    big, small = (right, left) if right >= 10 else (left, right)
    tens, units = big - big % 10, big % 10
    assert f"{small * tens} + {small * units} = {left * right}" in text
    assert text.rstrip().endswith(f"{left} * {right} = {left * right}.")
    assert len(re.findall(r"^Step \d+:", text, re.M)) == 4


def test_any_other_sum_is_reduced_one_operation_at_a_time() -> None:
    text = answer("Calculate 3 + 4 * 2 - 10 / 4")
    assert re.findall(r"^Step \d+: (.*)$", text, re.M) == ["4 * 2 = 8", "10 / 4 = 2.5", "3 + 8 = 11", "11 - 2.5 = 8.5"]
    assert worked_sum("1 / 0") is None
    assert "Step" not in answer("What is 1 / 0?")


def test_dates_and_sizes_are_not_sums() -> None:
    assert arithmetic_expression("Book it for 2024-01-15 at 1920x1080") is None
    assert "Step" not in answer("Book it for 2024-01-15 at 1920x1080")


def test_a_code_request_gets_prose_and_a_python_block_that_runs() -> None:
    text = answer("Write a Python function to reverse a string")
    before, code, after = FENCE.split(text)
    assert before.strip() and after.strip()
    namespace: dict[str, Any] = {}
    exec(compile(code.replace("print(", "(lambda *_: None)("), "<answer>", "exec"), namespace)  # noqa: S102 - the fake's own code
    assert namespace["reverse_string"]("streaming") == "gnimaerts"


def test_an_unknown_code_request_gets_a_function_named_after_it() -> None:
    code = FENCE.search(answer("Write a Python function to count words in a text")).group(1)
    compile(code, "<answer>", "exec")
    assert "def count_words_in(" in code


def test_prose_that_mentions_code_is_no_code_request() -> None:
    assert not asks_for_code("Improve this text: your code decides whether to show each chunk.")
    assert "```" not in answer("Improve this text: your code decides whether to show each chunk.")


@pytest.mark.parametrize("layout", ["openai", "maritaca", "single"])
def test_the_seeds_chains_answer_in_the_routes_shape(layout: str) -> None:
    math_text = answer("What is 25 * 17?", ROUTE_PROMPTS["math"], chunk_layout=layout)
    code_text = answer("Write a Python function to reverse a string", ROUTE_PROMPTS["code"], chunk_layout=layout)
    general_text = answer("What is the capital of France?", ROUTE_PROMPTS["general"], chunk_layout=layout)
    assert "Langkah 4: 250 + 175 = 425" in math_text  # the seed's prompt is Indonesian, so is the answer
    assert FENCE.search(code_text) and "def reverse_string" in code_text
    assert "```" not in general_text and "Langkah" not in general_text and len(general_text.split()) > 10


@pytest.mark.parametrize(("question", "language", "word"), [("Quanto é 25 * 17, por favor?", "pt", "Passo"), ("Tolong hitung 25 * 17 untuk saya", "id", "Langkah")])
def test_the_steps_speak_the_questions_language(question: str, language: str, word: str) -> None:
    assert worked_sum("25 * 17", language).splitlines()[2].startswith(f"{word} 1:")
    assert f"{word} 4: 250 + 175 = 425" in answer(question)


def test_the_answer_streams_in_many_pieces() -> None:
    pieces = [chunk.content for chunk in FakeStreamingChatModel().stream("What is 25 * 17?") if chunk.content]
    assert len(pieces) > 20 and "".join(pieces) == answer("What is 25 * 17?")


@pytest.mark.parametrize("client", ["openai", "maritaca"])
@pytest.mark.parametrize("question", [*SEED_QUESTIONS])
def test_real_clients_over_the_stub_stream_the_same_answer(stub_url: str, client: str, question: str) -> None:
    model = chat_openai(stub_url) if client == "openai" else chat_maritaca(stub_url)
    assert "".join(chunk.content for chunk in model.stream(question)) == answer(question)


# --- a calculator tool --------------------------------------------------------------------------


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression."""
    return str(worked_sum(expression))


@tool
def multiply(a: int, b: int) -> int:
    """Multiply two whole numbers."""
    return a * b


@tool
def arithmetic(operation: Literal["add", "subtract", "multiply", "divide"], a: float, b: float) -> float:
    """Apply one operation to two numbers."""
    return a


def test_a_sum_calls_the_calculator_with_the_expression() -> None:
    model = FakeStreamingChatModel()
    assert model.bind_tools([calculator]).invoke("What is 25 * 17?").tool_calls[0]["args"] == {"expression": "25 * 17"}
    assert model.bind_tools([multiply]).invoke("What is 25 * 17?").tool_calls[0]["args"] == {"a": 25, "b": 17}
    assert model.bind_tools([arithmetic]).invoke("What is 25 * 17?").tool_calls[0]["args"] == {"operation": "multiply", "a": 25, "b": 17}
    assert model.bind_tools([calculator]).invoke("What is the capital of France?").tool_calls == []


def test_chatopenai_over_the_stub_calls_the_calculator_the_same(stub_url: str) -> None:
    call = chat_openai(stub_url).bind_tools([calculator]).invoke("What is 25 * 17?").tool_calls[0]
    assert (call["name"], call["args"]) == ("calculator", {"expression": "25 * 17"})
