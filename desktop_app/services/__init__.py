"""The use cases a clerk performs, one module per family: register an
application, record a step, issue a notice, import a ledger, report,
back up, restore.  The GUI and the command line call these functions and
nothing below them writes on their behalf.

Each public function that writes owns its transaction: it validates once,
writes, recomputes the derived fields (the deadline columns) and records
the audit trail, all committed together or not at all; it returns typed
records (``domain.records``) or a typed result the caller applies.  The
first argument is the open register, a :class:`session.Session`.
"""
