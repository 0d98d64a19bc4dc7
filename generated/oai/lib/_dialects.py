"""What OpenAI-compatible servers add to the wire format, read the same way whichever server answered.

``reasoning_of(delta_or_message)`` is the reasoning text of a chat delta or
message, sent as ``reasoning_content`` (DeepSeek, vLLM, llama.cpp) or
``reasoning`` (OpenRouter, Ollama); the generated delta and message models
also read either name as both attributes. The rest of what these servers do
differently -- usage in a final chunk without choices, tool-call deltas
without ``index`` or ``id``, keep-alive comments -- streams handle
themselves (docs/streams.md, "Dialects").
"""

from __future__ import annotations

from .._core._stats import reasoning_of

__all__ = ["reasoning_of"]
