"""langchain-tests' standard suites, run against the offline model.

These are the tests LangChain asks of every chat-model integration. Passing them is what lets
a student swap the fake for Maritaca or OpenAI without their code noticing. Features an
offline fake cannot have (images, audio, PDFs, recorded HTTP cassettes) are switched off
through the suites' documented ``supports_*`` / ``enable_vcr_tests`` properties, which make
those tests skip themselves with a reason: besides, they download their images, audio and PDFs
from the internet, which the offline suite cannot reach. Serialisation is skipped too (the
model is not ``lc_serializable``: nothing in the course saves a model). Everything else runs.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from coursekit import FakeStreamingChatModel


class _FakeModelConfig:
    """What both suites need to know about the model."""

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return FakeStreamingChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {}

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_anthropic_inputs(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "fake-streaming-2"

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        """``COURSE_FAKE_LATENCY`` paces every model built while it is set."""
        return {"COURSE_FAKE_LATENCY": "0.25,0.01"}, {}, {"time_to_first_token": 0.25, "token_delay": 0.01}


class TestFakeStreamingChatModelUnit(_FakeModelConfig, ChatModelUnitTests):
    """Construction, tool binding, structured output, tracing parameters."""


class TestFakeStreamingChatModelIntegration(_FakeModelConfig, ChatModelIntegrationTests):
    """Invoke, stream, batch, events v3, usage, tools, structured output, JSON mode: offline."""
