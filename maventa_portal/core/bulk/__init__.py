"""The bulk-run engine: one way for every app to do many things at Maventa safely.

An app declares its kinds of work in ``<app>/bulk_kinds.py`` (``kinds.BulkKind``), starts runs
with ``runs.start_run``, and gets the progress page, retries, crash recovery and audit
entries from here. See ``engine`` (claiming and leases) and ``sweeper`` (recovery).
"""
