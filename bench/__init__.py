"""Benchmarks and studies run by `make bench`; results go to BENCHMARKS.md."""
