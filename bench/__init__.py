"""Adapters that plug oai into the shared side-by-side harness (/work/shared/bench, `make bench`)."""
