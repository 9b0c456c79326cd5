"""Maventa's webhooks: authenticated ingestion, processing each event once, and the fallback.

- ``auth``: the shared secret (``?secret=`` or the basic-auth password), old one in its grace.
- ``names``: event names to families, and the dedupe key of an event.
- ``ingest``: storing what arrived (a repeat counts on the first row); ``views``: the endpoint.
- ``processing``: taking an event exactly once and recording its outcome; ``apply``: what each
  family changes in the portal.
- ``reconcile``: the poll that catches what webhooks missed.
"""
