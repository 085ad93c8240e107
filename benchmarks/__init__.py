"""Benchmark modules (``bench_<group>.py``) run by ``python -m analysis bench``."""
