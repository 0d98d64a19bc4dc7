"""Deterministic chat data shaped like what real servers send (see ``../shared/samples/``).

A streamed chat completion is a role chunk, content chunks, a finish chunk, a
usage-only chunk (``stream_options.include_usage``) and ``data: [DONE]``, each
as one ``data: {...}\\n\\n`` event of compact JSON with raw UTF-8 -- the shape of
the OpenAI API, including its ``obfuscation`` padding field, which makes events
a little larger than llama-server's or aimock's. A few tokens are multi-byte,
so reads of a fixed size split code points as a network does. Everything comes
from a seeded ``random.Random``: every SDK and every run sees the same bytes.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from typing import Any

# Word pieces as a tokenizer cuts English prose and code, plus some multi-byte text.
_PIECES = (
    " the", " of", " and", " to", " a", " in", " is", " that", " for", " it", " as", " with", " on",
    " this", " by", " be", " are", " from", " an", " or", " can", " server", " client", " stream",
    " event", " token", " model", " request", " response", " reads", " bytes", " line", " value",
    "ing", "ed", "s", "ly", "er", ".", ",", ":", ";", "\n", "\n\n", " (", ")", " `", "`", " -", " **",
    "**", " 2", "0", " #", " def", " return", " None", " =", " {", "}",
)  # fmt: skip
_WIDE_PIECES = (" déjà", " Größe", " 東京", " 数据", " 😀", " …", " Ελλάδα", " ñ", " привет")
_ALPHANUMERIC = string.ascii_letters + string.digits

REQUEST_MODEL = "gpt-4o-mini"
REQUEST_MESSAGES = [
    {"role": "system", "content": "Answer briefly."},
    {"role": "user", "content": "What does a server-sent event look like on the wire?"},
]


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _token(rng: random.Random) -> str:
    pieces = _WIDE_PIECES if rng.random() < 0.05 else _PIECES
    token = rng.choice(pieces)
    if rng.random() < 0.1:  # servers sometimes flush two or three tokens at once
        token += "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 2)))
    return token


@dataclass(frozen=True)
class ChatStream:
    """One streamed chat completion: its SSE events (``[DONE]`` last) and the text they carry."""

    events: tuple[bytes, ...]
    content: str

    @property
    def body(self) -> bytes:
        return b"".join(self.events)

    @property
    def chunks(self) -> int:
        """JSON chunks, not counting ``[DONE]``."""
        return len(self.events) - 1

    def reads(self, size: int | None) -> list[bytes]:
        """The body cut into reads of ``size`` bytes, or one read per event when ``size`` is None."""
        if size is None:
            return list(self.events)
        body = self.body
        return [body[i : i + size] for i in range(0, len(body), size)]

    def datas(self) -> list[str]:
        """Each event's ``data`` field, ``[DONE]`` included: what a decoder must produce."""
        return [event[len(b"data: ") : -2].decode() for event in self.events]


def chat_stream(chunks: int, *, seed: int = 7) -> ChatStream:
    """``chunks`` chat.completion.chunk events (at least 4) and ``[DONE]``."""
    if chunks < 4:
        raise ValueError(f"a chat stream has at least 4 chunks (role, content, finish, usage), not {chunks}")
    rng = random.Random(seed)
    head = {
        "id": "chatcmpl-" + "".join(rng.choice(_ALPHANUMERIC) for _ in range(29)),
        "object": "chat.completion.chunk",
        "created": 1_767_225_600,
        "model": REQUEST_MODEL + "-2024-07-18",
        "service_tier": "default",
        "system_fingerprint": "fp_" + "".join(rng.choice(string.hexdigits.lower()) for _ in range(10)),
    }

    def event(delta: dict[str, Any], finish_reason: str | None = None, usage: Any = None) -> bytes:
        choices = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]
        padding = "".join(rng.choice(_ALPHANUMERIC) for _ in range(rng.randint(1, 16)))
        chunk = {**head, "choices": [] if usage else choices, "usage": usage, "obfuscation": padding}
        return b"data: " + _json(chunk) + b"\n\n"

    tokens = [_token(rng) for _ in range(chunks - 3)]
    usage = {
        "prompt_tokens": 27,
        "completion_tokens": len(tokens),
        "total_tokens": 27 + len(tokens),
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }
    events = [event({"role": "assistant", "content": "", "refusal": None})]
    events += [event({"content": token}) for token in tokens]
    events += [event({}, finish_reason="stop"), event({}, usage=usage), b"data: [DONE]\n\n"]
    return ChatStream(tuple(events), "".join(tokens))


def completion_body(*, seed: int = 11, words: int = 300) -> bytes:
    """A non-streaming chat.completion of about 2 KB, as the API returns one."""
    rng = random.Random(seed)
    text = "".join(_token(rng) for _ in range(words)).strip()
    completion: dict[str, Any] = {
        "id": "chatcmpl-" + "".join(rng.choice(_ALPHANUMERIC) for _ in range(29)),
        "object": "chat.completion",
        "created": 1_767_225_600,
        "model": REQUEST_MODEL + "-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None, "annotations": []},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 27,
            "completion_tokens": words,
            "total_tokens": 27 + words,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_" + "".join(rng.choice(string.hexdigits.lower()) for _ in range(10)),
    }
    return _json(completion)


def completion_text(body: bytes) -> str:
    return json.loads(body)["choices"][0]["message"]["content"]
