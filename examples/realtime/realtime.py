"""The Realtime example of the official SDK's README, with only the import changed: async, then sync.

    pip install 'oai[realtime]'
    OPENAI_API_KEY=sk-... python examples/realtime/realtime.py

Any server that speaks the GA Realtime protocol works; ``make e2e`` runs this file against
aimock (``OPENAI_BASE_URL=http://127.0.0.1:<port>/v1``).
"""

import asyncio

from oai import AsyncOpenAI, OpenAI


async def main() -> None:
    client = AsyncOpenAI()

    async with client.realtime.connect(model="gpt-realtime") as connection:
        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})

        await connection.conversation.item.create(
            item={
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "Say hello!"}],
            }
        )
        await connection.response.create()

        async for event in connection:
            if event.type == "response.output_text.delta":
                print(event.delta, flush=True, end="")

            elif event.type == "response.output_text.done":
                print()

            elif event.type == "response.done":
                break


def main_sync() -> None:
    client = OpenAI()

    with client.realtime.connect(model="gpt-realtime") as connection:
        connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})

        connection.conversation.item.create(
            item={
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "Say hello!"}],
            }
        )
        connection.response.create()

        for event in connection:
            if event.type == "response.output_text.delta":
                print(event.delta, flush=True, end="")

            elif event.type == "response.output_text.done":
                print()

            elif event.type == "response.done":
                break


if __name__ == "__main__":
    asyncio.run(main())
    main_sync()
