# unasync: twin
"""The async half of the helpers, and the source of ``_sync/`` (written from it by ``scripts/unasync.py``)."""
