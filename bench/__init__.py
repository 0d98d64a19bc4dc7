"""oai's own benchmark (``make bench``): oai beside the official ``openai`` SDK, same run, same bytes.

``scripts/bench.py`` runs the scenarios in ``bench/scenarios/``; every one
interleaves the two SDKs repetition by repetition and reports the ratio per
repetition, because the shared machines this runs on drift too much for
absolute figures taken minutes apart to be compared. See ``docs/benchmarks.md``.
"""
