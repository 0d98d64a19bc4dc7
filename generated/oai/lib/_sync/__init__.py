"""The sync half of the helpers, written from ``_async/`` by ``scripts/unasync.py`` (except the twins)."""
