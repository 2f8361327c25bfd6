"""Version 7: our marker in the file header, and no full
personal identifiers in the audit trail.

* ``PRAGMA application_id`` is set to ``database.APPLICATION_ID`` so a
  register is recognised by its own marker (registers created from now on
  carry it from their first write; this stamps older ones).
* Every ``audit_log`` row written before the trail masked personal
  identifiers (ID numbers, phone and fax numbers) is masked in place, the
  same way as new rows (``storage.audit.mask_values``).

Independent of m0006 (the ledger's 待核实 flag): it reads and writes only
the header and ``audit_log``, so it may run before or after it.
"""


def migrate(db):
    from ..audit import mask_values, to_json
    from ..database import APPLICATION_ID
    import json

    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    rows = db.execute("SELECT id, old_values, new_values FROM audit_log").fetchall()
    for row_id, old, new in rows:
        old_data = json.loads(old) if old else None
        new_data = json.loads(new) if new else None
        masked_old, masked_new = mask_values(old_data, new_data)
        values = [to_json(masked_old), to_json(masked_new)]
        if values != [old, new]:
            db.execute("UPDATE audit_log SET old_values = ?, new_values = ? WHERE id = ?",
                       [*values, row_id])
