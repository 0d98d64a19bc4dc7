"""Merging a streamed delta object into the object accumulated so far (sans I/O).

The Assistants API streams messages and run steps as deltas: the fields that
changed, with text to append and list entries addressed by their ``index``
(``{"content": [{"index": 0, "text": {"value": " world"}}]}``).
:func:`accumulate_delta` folds such a delta into the snapshot, as plain data.
"""

from __future__ import annotations

from typing import Any, cast

__all__ = ["accumulate_delta"]

_REPLACED_KEYS = frozenset({"index", "type"})
"""Keys whose value is replaced, never added to: list positions and union tags."""


def accumulate_delta(snapshot: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """Fold ``delta`` into ``snapshot`` (changed in place, and returned).

    Strings are appended, numbers added, objects merged key by key; a list
    entry with an ``index`` merges into the entry at that position (or is
    appended when the list is shorter), other entries are appended; a key the
    snapshot lacks or has as ``None`` takes the delta's value.
    """
    for key, value in delta.items():
        current = snapshot.get(key)
        if current is None or key in _REPLACED_KEYS:
            snapshot[key] = value
        elif isinstance(current, str) and isinstance(value, str):
            snapshot[key] = current + value
        elif isinstance(current, (int, float)) and isinstance(value, (int, float)) and not isinstance(value, bool):
            snapshot[key] = current + value
        elif isinstance(current, dict) and isinstance(value, dict):
            accumulate_delta(cast("dict[str, Any]", current), cast("dict[str, Any]", value))
        elif isinstance(current, list) and isinstance(value, list):
            _accumulate_list(cast("list[Any]", current), cast("list[Any]", value))
        else:
            snapshot[key] = value
    return snapshot


def _accumulate_list(current: list[Any], entries: list[Any]) -> None:
    """Entries address their position with ``index``; lists of plain values (no index) grow."""
    for entry in entries:
        index = cast("dict[str, Any]", entry).get("index") if isinstance(entry, dict) else None
        if not isinstance(index, int) or index >= len(current):
            current.append(entry)
        elif isinstance(current[index], dict) and isinstance(entry, dict):
            accumulate_delta(cast("dict[str, Any]", current[index]), cast("dict[str, Any]", entry))
        else:
            current[index] = entry
