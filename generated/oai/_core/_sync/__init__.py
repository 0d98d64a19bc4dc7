"""The sync half of the core: written from ``_async/`` by ``scripts/unasync.py``, except ``_backend.py``."""
