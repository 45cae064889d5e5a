"""The grading child's report pipe, with every message signed so that graded code cannot forge one.

Each line is ``{"seq": n, "mac": hex, "msg": {...}}``: ``mac`` is an HMAC of ``seq`` and the
message under a key the parent draws for that one child. Graded code that writes its own lines
to the pipe (forged ``result`` events, then ``os._exit(0)``) sends lines without a valid MAC or
out of sequence, and the parent grades the exercise ``error`` for interfering. The key lives only
in the sender's closure; code that digs it out of memory defeats this (see the README's threat
model), which is why the sandbox, not the signature, keeps other grades safe.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]
Send = Callable[[Message], None]
KEY_BYTES = 32

# Bound now, before any graded code can replace the module attributes.
_dumps = json.dumps
_loads = json.loads
_new_hmac = hmac.new
_compare = hmac.compare_digest
_write = os.write
_sha256 = hashlib.sha256


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _mac(key: bytes, seq: int, body: str) -> str:
    return _new_hmac(key, f"{seq}:{body}".encode(), _sha256).hexdigest()


def signed_sender(fd: int, key: bytes) -> Send:
    """A ``send(message)`` that writes signed, numbered lines to ``fd``, whole even on a full pipe."""
    counter = [0]

    def send(message: Message) -> None:
        seq = counter[0]
        counter[0] = seq + 1
        body = _dumps(message, ensure_ascii=False, sort_keys=True)
        data = (_dumps({"seq": seq, "mac": _mac(key, seq, body), "msg": body}) + "\n").encode()
        while data:
            data = data[_write(fd, data) :]

    return send


@dataclass
class Receiver:
    """The parent's side: splits the byte stream into verified messages, and notices forgeries."""

    key: bytes
    messages: list[Message] = field(default_factory=list)
    forged: bool = False
    _pending: bytes = b""

    def feed(self, data: bytes) -> list[Message]:
        """Take bytes from the pipe; return the new verified messages (none once a forgery is seen)."""
        *lines, self._pending = (self._pending + data).split(b"\n")
        start = len(self.messages)
        for line in lines:
            message = None if self.forged else self._verify(line)
            if message is None:
                self.forged = True
            else:
                self.messages.append(message)
        return self.messages[start:]

    def _verify(self, line: bytes) -> Message | None:
        try:
            envelope = _loads(line)
            seq, mac, body = envelope["seq"], envelope["mac"], envelope["msg"]
            if seq != len(self.messages) or not _compare(str(mac), _mac(self.key, int(seq), str(body))):
                return None
            message = _loads(body)
        except (ValueError, TypeError, KeyError):
            return None
        return message if isinstance(message, dict) else None
