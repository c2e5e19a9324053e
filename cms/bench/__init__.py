"""Benchmarks: development tools, not used by the running site (issue 16).

``cms.bench.search`` generates documents and measures search (``manage.py bench_search``,
``.ci/bench-search``); ``cms.bench.report`` puts the backends' results side by side, checks
them against the targets and writes them into ``docs/benchmarks.md``.
"""
