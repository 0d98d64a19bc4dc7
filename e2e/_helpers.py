"""Driving the stream helpers the same way in sync and async e2e tests."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


class GetWeather(BaseModel):
    """Current weather for a city."""

    city: str
    unit: str


async def run_stream(manager: Any, mode: str, final: str) -> tuple[list[Any], Any]:
    """Enter a helper stream manager, read every event, and call ``final`` (``get_final_response`` /
    ``get_final_completion``); returns (events, final value)."""
    events: list[Any] = []
    if mode == "async":
        async with manager as stream:
            async for event in stream:
                events.append(event)
            return events, await getattr(stream, final)()
    with manager as stream:
        for event in stream:
            events.append(event)
        return events, getattr(stream, final)()


async def drain(manager: Any, mode: str) -> list[Any]:
    """Read a helper stream to its end (raising what it raises); the events seen."""
    events: list[Any] = []
    if mode == "async":
        async with manager as stream:
            async for event in stream:
                events.append(event)
        return events
    with manager as stream:
        events.extend(stream)
    return events
