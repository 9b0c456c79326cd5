"""Receivables' services; each module holds one subdomain."""

from .sync import SyncResult, sync_assignments, sync_message_threads

__all__ = ["SyncResult", "sync_assignments", "sync_message_threads"]
