"""coursekit: the LangChain Streaming Course's own toolkit.

It gives every notebook, exercise and test an offline model that streams like a real
provider (:class:`FakeStreamingChatModel`), and one switch to a real provider when a key is
set (:func:`get_chat_model`).
"""

from coursekit.errors import FakeModelError, MissingAPIKeyError, RateLimitError, StreamInterruptedError
from coursekit.fake_model import FakeStreamingChatModel
from coursekit.providers import describe_provider, get_chat_model, provider_name

__all__ = [
    "FakeModelError",
    "FakeStreamingChatModel",
    "MissingAPIKeyError",
    "RateLimitError",
    "StreamInterruptedError",
    "describe_provider",
    "get_chat_model",
    "provider_name",
]
