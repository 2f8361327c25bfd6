"""Issue 19: indexes for the register's last slow orders, 办理状态, 申请内容,
剩余工作日 and 申请人类型.

* ``idx_register_status``: the status, the serial key, the columns the
  register filters on, then the stored deadline columns (clock state, due
  date, pause, provisional flag, outcome), over the rows not in the recycle
  bin.  办理状态 reads each status's rows in serial order from it and counts
  each status by a probe of its range; 剩余工作日 reads the open
  applications (their deadline columns included) from it alone.
* ``idx_register_category``: the applicant type and the organisation's
  kind, the serial key and the filter columns: each kind of 申请人类型 is
  read in serial order from it and counted by a probe.
* ``idx_register_content``: the first 16 characters of 申请内容 as the
  register shows it (title；description), the serial key and the filter
  columns.  The order by the whole text walks it: rows of different
  prefixes are already in the text's order, and only the few rows sharing
  one prefix are sorted by the whole text (``storage.applications``).  A
  prefix, not the whole text: the index stays the size of the others
  however long the agency's descriptions are.

The expressions are copied here as text, never imported: a shipped
migration does not change; ``storage.applications`` queries by the same
expression (a test compares them).
"""

from .m0010_register_speed import _FILTER_COLUMNS

#: 申请内容 as the register shows it, and the indexed prefix of it.
CONTENT = ("(CASE WHEN info_title IS NOT NULL AND info_title <> '' "
           "THEN info_title || '；' || coalesce(info_description, '') ELSE coalesce(info_description, '') END)")
CONTENT_PREFIX = f"substr({CONTENT}, 1, 16)"

#: The deadline columns 剩余工作日 reads (``ui.deadline_columns.FIELDS`` less the status).
DEADLINE_COLUMNS = "clock_state, due_date, pause_until, deadline_provisional, outcome"


def migrate(db):
    extra = ", ".join(c.strip() for c in _FILTER_COLUMNS.split(",") if c.strip() != "status")
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_register_status ON applications(status, serial_key, {extra}, "
               f"{DEADLINE_COLUMNS}) WHERE deleted_at IS NULL")
    extra = ", ".join(c.strip() for c in _FILTER_COLUMNS.split(",") if c.strip() not in ("applicant_type", "org_kind"))
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_register_category ON applications(applicant_type, org_kind, "
               f"serial_key, {extra}) WHERE deleted_at IS NULL")
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_register_content ON applications({CONTENT_PREFIX}, serial_key, "
               f"{_FILTER_COLUMNS}) WHERE deleted_at IS NULL")
