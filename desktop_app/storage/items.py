"""The proactive-disclosure register (``items``), its drafts' comment
periods and the section 二 figures typed per month or per year
(``report_figures``).  Filtering, sorting and paging happen in SQL so that
a register of tens of thousands of items lists in milliseconds."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain.items import STORED_FIELDS, SORT_KEYS, CommentPeriod, ItemFilter, ItemRecord

_COLS = ", ".join(STORED_FIELDS)
#: The year an item is listed under: of publication, else of formation (indexed).
YEAR_EXPR = "substr(coalesce(published_on, formed_on), 1, 4)"


def _record(row: Sequence[Any], periods: tuple[CommentPeriod, ...] = ()) -> ItemRecord:
    values = dict(zip(STORED_FIELDS, row))
    values["channels"] = tuple(c for c in (values["channels"] or "").split(",") if c)
    return ItemRecord(**values, comment_periods=periods)


class ItemsTable:
    def __init__(self, db: Database):
        self.db = db

    # --- one item -----------------------------------------------------------------------

    def get(self, item_id: int) -> ItemRecord | None:
        row = self.db.execute(f"SELECT {_COLS} FROM items WHERE id = ?", [item_id]).fetchone()
        return _record(row, self.comment_periods(item_id)) if row else None

    def by_index_no(self, index_no: str) -> ItemRecord | None:
        row = self.db.execute(f"SELECT {_COLS} FROM items WHERE index_no = ?", [index_no]).fetchone()
        return _record(row) if row else None

    def by_ids(self, ids: Iterable[int]) -> list[ItemRecord]:
        ids = list(ids)
        out: list[ItemRecord] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out += [_record(r) for r in self.db.execute(
                f"SELECT {_COLS} FROM items WHERE id IN ({', '.join('?' * len(chunk))})", chunk)]
        order = {i: n for n, i in enumerate(ids)}
        return sorted(out, key=lambda r: order[r.id])

    @staticmethod
    def _row(values: Mapping[str, Any]) -> dict[str, Any]:
        row = {k: values[k] for k in values if k in STORED_FIELDS and k != "id"}
        if "channels" in row:
            row["channels"] = ",".join(row["channels"] or ())
        return row

    def insert(self, values: Mapping[str, Any], stamp: str) -> int:
        row = self._row(values) | {"created_at": stamp, "updated_at": stamp}
        cur = self.db.execute(
            f"INSERT INTO items({', '.join(row)}) VALUES({', '.join('?' * len(row))})", list(row.values()))
        assert cur.lastrowid is not None  # an INSERT always has one
        return int(cur.lastrowid)

    def update(self, item_id: int, values: Mapping[str, Any], stamp: str) -> None:
        row = self._row(values) | {"updated_at": stamp}
        self.db.execute(f"UPDATE items SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                        [*row.values(), item_id])

    def delete(self, item_id: int) -> None:
        self.db.execute("DELETE FROM items WHERE id = ?", [item_id])

    def set_due(self, updates: Iterable[tuple[int, str | None, int]]) -> None:
        self.db.conn.executemany("UPDATE items SET due_date = ?, days_late = ? WHERE id = ?",
                                 [(due, late, i) for i, due, late in updates])

    def interpretations_of(self, item_id: int) -> list[ItemRecord]:
        return [_record(r) for r in self.db.execute(
            f"SELECT {_COLS} FROM items WHERE interpretation_of = ? ORDER BY published_on, id", [item_id])]

    def published_on_of(self, ids: Iterable[int]) -> dict[int, str | None]:
        ids = list(set(ids))
        out: dict[int, str | None] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update({r[0]: r[1] for r in self.db.execute(
                f"SELECT id, published_on FROM items WHERE id IN ({', '.join('?' * len(chunk))})", chunk)})
        return out

    def all(self) -> list[ItemRecord]:
        return [_record(r) for r in self.db.execute(f"SELECT {_COLS} FROM items ORDER BY id")]

    def count_all(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def index_numbers(self, like: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT index_no FROM items WHERE index_no LIKE ? ESCAPE '\\'", [like])]

    # --- comment periods ---------------------------------------------------------------------

    def comment_periods(self, item_id: int) -> tuple[CommentPeriod, ...]:
        return tuple(CommentPeriod(r[1], r[2], r[3] or "", r[4], r[5] or "", r[0]) for r in self.db.execute(
            "SELECT id, start_on, end_on, channel, comments_received, usage FROM item_comment_periods "
            "WHERE item_id = ? ORDER BY start_on, id", [item_id]))

    def replace_comment_periods(self, item_id: int, periods: Iterable[CommentPeriod]) -> None:
        self.db.execute("DELETE FROM item_comment_periods WHERE item_id = ?", [item_id])
        for p in periods:
            self.db.execute(
                "INSERT INTO item_comment_periods(item_id, start_on, end_on, channel, comments_received, usage) "
                "VALUES(?, ?, ?, ?, ?, ?)", [item_id, p.start_on, p.end_on, p.channel, p.comments_received, p.usage])

    # --- the register's list ------------------------------------------------------------------

    @staticmethod
    def where(flt: ItemFilter, today: _dt.date, soon_until: _dt.date) -> tuple[str, list[Any]]:
        """The WHERE clause of a filter (``soon_until``: the last due date
        that counts as due soon)."""
        parts: list[str] = []
        args: list[Any] = []
        t = today.isoformat()
        if flt.state == "overdue":
            parts.append("attribute = 'proactive' AND published_on IS NULL AND due_date < ?")
            args.append(t)
        elif flt.state == "due_soon":
            parts.append("attribute = 'proactive' AND published_on IS NULL AND due_date BETWEEN ? AND ?")
            args += [t, soon_until.isoformat()]
        elif flt.state == "late":
            parts.append("published_on > due_date")
        elif flt.state == "unpublished":
            parts.append("attribute = 'proactive' AND published_on IS NULL")
        if flt.year is not None:
            # published in the year, or formed in it while unpublished (idx_items_year)
            parts.append(f"{YEAR_EXPR} = ?")
            args.append(f"{flt.year:04d}")
        if flt.art20 is not None:
            parts.append("art20 = ?")
            args.append(flt.art20)
        if flt.kind:
            parts.append("kind = ?")
            args.append(flt.kind)
        if flt.text.strip():
            like = "%" + flt.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            # instr() on the Chinese texts (cheaper than LIKE), LIKE for the 索引号 (any letter case)
            parts.append("(instr(title, ?) > 0 OR instr(doc_number, ?) > 0 OR index_no LIKE ? ESCAPE '\\')")
            args += [flt.text.strip(), flt.text.strip(), like]
        return (" WHERE " + " AND ".join(parts)) if parts else "", args

    def count(self, flt: ItemFilter, today: _dt.date, soon_until: _dt.date) -> int:
        where, args = self.where(flt, today, soon_until)
        return int(self.db.execute(f"SELECT count(*) FROM items{where}", args).fetchone()[0])

    def page(self, flt: ItemFilter, today: _dt.date, soon_until: _dt.date, *, sort: str = "published_on",
             descending: bool = True, offset: int = 0, limit: int = 200) -> list[ItemRecord]:
        if sort not in SORT_KEYS:
            raise ValueError(sort)
        where, args = self.where(flt, today, soon_until)
        direction = "DESC" if descending else "ASC"
        if sort == "published_on":
            # unpublished items (the clerk's work) first when newest first
            order = (f"published_on IS NULL {direction}, published_on {direction}, "
                     f"due_date {direction}, id {direction}")
        else:
            order = f"{sort} {direction}, id {direction}"
        # sort the ids only (narrow rows), then read the page's rows
        ids = [r[0] for r in self.db.execute(
            f"SELECT id FROM items{where} ORDER BY {order} LIMIT ? OFFSET ?", [*args, limit, offset])]
        return self.by_ids(ids)

    def ids(self, flt: ItemFilter, today: _dt.date, soon_until: _dt.date) -> list[int]:
        where, args = self.where(flt, today, soon_until)
        return [r[0] for r in self.db.execute(f"SELECT id FROM items{where} ORDER BY id", args)]

    def due_between(self, start: str, end: str) -> list[ItemRecord]:
        """Unpublished proactive items due in [start, end] (the month calendar)."""
        return [_record(r) for r in self.db.execute(
            f"SELECT {_COLS} FROM items WHERE attribute = 'proactive' AND published_on IS NULL "
            "AND due_date BETWEEN ? AND ? ORDER BY due_date, id", [start, end])]

    def needing_due(self) -> list[ItemRecord]:
        """Every proactive item (the deadline of each is recomputed)."""
        return [_record(r) for r in self.db.execute(
            f"SELECT {_COLS} FROM items WHERE attribute = 'proactive'")]

    # --- section 二 and the report's words ----------------------------------------------------

    def document_rows(self, year_end: str) -> list[tuple[Any, ...]]:
        """(id, kind, issued_on, formed_on, repealed_on, expires_on) of the
        rules and normative documents issued by ``year_end``."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, kind, issued_on, formed_on, repealed_on, expires_on FROM items "
            "WHERE kind IN ('rule', 'normative') AND coalesce(issued_on, formed_on) <= ?", [year_end])]

    def published_in(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(id, kind, art20, channels, days_late) of the items published in [start, end]."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, kind, art20, channels, CASE WHEN published_on > due_date THEN days_late ELSE 0 END "
            "FROM items WHERE published_on BETWEEN ? AND ?", [start, end])]

    # --- typed figures -------------------------------------------------------------------------

    def figures(self, year: int) -> list[tuple[int | None, str, float, str]]:
        """(month, field, value, source) of ``year``."""
        return [(r[0], r[1], r[2], r[3]) for r in self.db.execute(
            "SELECT month, field, value, source FROM report_figures WHERE year = ? ORDER BY field, month", [year])]

    def put_figure(self, year: int, month: int | None, field: str, value: float, source: str, stamp: str) -> None:
        self.db.execute("DELETE FROM report_figures WHERE year = ? AND field = ? AND IFNULL(month, 0) = ?",
                        [year, field, month or 0])
        self.db.execute("INSERT INTO report_figures(year, month, field, value, source, updated_at) "
                        "VALUES(?, ?, ?, ?, ?, ?)", [year, month, field, value, source, stamp])

    def delete_figure(self, year: int, month: int | None, field: str) -> bool:
        cur = self.db.execute("DELETE FROM report_figures WHERE year = ? AND field = ? AND IFNULL(month, 0) = ?",
                              [year, field, month or 0])
        return cur.rowcount > 0
