"""Issue 19: indexes for the register's orders by label, 申请方式 and 办理结果.

Each label is one group read in serial order (``storage.applications``
``_by_label``), so the order's windows walk an index led by the code
(``channel``; ``outcome`` with its numbered reason) and the serial key,
carrying the columns the register filters on, over the rows not in the
recycle bin, as m0010's indexes do for the other orders.
"""

from .m0010_register_speed import _FILTER_COLUMNS

LABEL_INDEXES = [
    ("idx_register_channel", "channel, serial_key"),
    ("idx_register_outcome", "outcome, outcome_reason, serial_key"),
]


def migrate(db):
    for name, lead in LABEL_INDEXES:
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applications({lead}, {_FILTER_COLUMNS}) "
                   "WHERE deleted_at IS NULL")
