"""Reproducible performance scripts; not run by the test suite (see ``benchmarks/README.md``)."""
