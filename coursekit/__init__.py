"""coursekit: the LangChain Streaming Course's own toolkit.

It gives every notebook, exercise and test an offline model that streams like a real
provider (:class:`FakeStreamingChatModel`), and one switch to a real provider when a key is
set (:func:`get_chat_model`).

The public names load on first use, so that ``coursekit hint`` or ``--help`` answer at once
instead of waiting for langchain-core to import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "FakeModelError": "coursekit.errors",
    "InvalidLatencyError": "coursekit.errors",
    "MissingAPIKeyError": "coursekit.errors",
    "RateLimitError": "coursekit.errors",
    "StreamInterruptedError": "coursekit.errors",
    "FakeStreamingChatModel": "coursekit.fake_model",
    "describe_provider": "coursekit.providers",
    "get_chat_model": "coursekit.providers",
    "provider_name": "coursekit.providers",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from coursekit.errors import FakeModelError, InvalidLatencyError, MissingAPIKeyError, RateLimitError, StreamInterruptedError
    from coursekit.fake_model import FakeStreamingChatModel
    from coursekit.providers import describe_provider, get_chat_model, provider_name


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'coursekit' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
