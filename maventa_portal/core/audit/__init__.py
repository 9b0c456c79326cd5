"""The audit trail: who asked for what, from where, and how it ended.

Services record what staff asked of the portal and of Maventa with ``recording`` (or
``record``); django-auditlog records every change of the models registered with it (admin
edits and deletes, group and permission changes) into the same ``AuditEntry`` table. Entries
are never edited or deleted, and never hold a secret.
"""

from .record import SYSTEM, Actor, record, recording

__all__ = ["SYSTEM", "Actor", "record", "recording"]
