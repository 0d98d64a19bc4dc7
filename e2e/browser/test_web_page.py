"""examples/web/index.html in a real browser: EventSource reads the app's stream; leaving cancels upstream.

The page keeps its state in ``#status`` (``data-state``: streaming, done,
error, stopped; ``data-events``: text deltas received), which the tests read.
"""

from __future__ import annotations

import json

from tests.web._servers import Upstream
from tests.web._upstream import REPLY

from ._cdp import Page

STATE = "document.getElementById('status').dataset.state"
EVENTS = "Number(document.getElementById('status').dataset.events)"
ANSWER = "document.getElementById('answer').textContent"


def ask(page: Page, app: str, prompt: str) -> None:
    page.open(app + "/")
    page.evaluate(f"document.getElementById('prompt').value = {json.dumps(prompt)}")
    page.evaluate("document.getElementById('send').click()")


def test_the_page_shows_the_answer_as_it_streams(page: Page, app: str) -> None:
    ask(page, app, "Write a haiku about pipes.")
    page.wait_for(f"{STATE} === 'done'")
    assert page.evaluate(ANSWER) == REPLY
    assert page.evaluate(EVENTS) == len(REPLY.split())


def test_stop_mid_stream_cancels_the_request_upstream(page: Page, app: str, upstream: Upstream) -> None:
    before = upstream.stats()
    ask(page, app, "slow")
    page.wait_for(f"{EVENTS} >= 3")  # streaming, far from its end
    page.evaluate("document.getElementById('stop').click()")  # EventSource.close()
    stats = upstream.wait_for("cancelled", before["cancelled"] + 1)
    assert stats["completed"] == before["completed"]
    assert page.evaluate(STATE) == "stopped"


def test_leaving_the_page_mid_stream_cancels_the_request_upstream(page: Page, app: str, upstream: Upstream) -> None:
    """Chromium keeps a page it navigates away from in its back/forward cache, open connections and all;
    the page closes its EventSource on ``pagehide``, so leaving ends the stream as surely as Stop does."""
    before = upstream.stats()
    ask(page, app, "slow")
    page.wait_for(f"{EVENTS} >= 2")
    page.call("Page.navigate", url="about:blank")
    stats = upstream.wait_for("cancelled", before["cancelled"] + 1)
    assert stats["completed"] == before["completed"]


def test_closing_the_tab_mid_stream_cancels_the_request_upstream(page: Page, app: str, upstream: Upstream) -> None:
    before = upstream.stats()
    ask(page, app, "slow")
    page.wait_for(f"{EVENTS} >= 2")
    page.close()
    stats = upstream.wait_for("cancelled", before["cancelled"] + 1)
    assert stats["completed"] == before["completed"]


def test_an_upstream_failure_reaches_the_page_as_an_error_event(page: Page, app: str) -> None:
    ask(page, app, "fail")
    page.wait_for(f"{STATE} === 'error'")
    assert "The model is overloaded" in page.evaluate("document.getElementById('status').textContent")
    assert page.evaluate(ANSWER) == "The pipes"


def test_named_events_of_a_responses_stream(page: Page, app: str) -> None:
    page.open(app + "/")
    page.evaluate(
        """
        window.got = {deltas: [], completed: null, done: false};
        {
          const events = new EventSource('/responses?prompt=hello');
          events.addEventListener('response.output_text.delta', (e) => got.deltas.push(JSON.parse(e.data).delta));
          events.addEventListener('response.completed', (e) => { got.completed = JSON.parse(e.data).response.status; });
          events.addEventListener('done', () => { got.done = true; events.close(); });
        }
        true
        """
    )
    page.wait_for("got.done")
    assert page.evaluate("got.deltas.join('')") == REPLY
    assert page.evaluate("got.completed") == "completed"
