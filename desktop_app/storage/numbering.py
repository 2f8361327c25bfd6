"""Serial numbers of a register, in the agency's pattern, never reused.

A number handed out stays used even after its record is purged: the
highest sequence number per pattern and year is kept in
``serial_sequences`` (and, for the default pattern ``2026-0001``, in the
older ``serial_counters``).  The table and column of the numbered records
are parameters, so a second register (proactive disclosure items and
their 索引号) numbers its records with the same code and its own pattern.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain import serials
from ..domain.validation import SERIAL_RE


class SerialNumbering:
    def __init__(self, db: Database, table: str = "applications", column: str = "serial"):
        self.db = db
        self.table = table      # fixed identifiers from code, never user text
        self.column = column

    def _used(self, like: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            f"SELECT {self.column} FROM {self.table} WHERE {self.column} LIKE ? ESCAPE '\\'", [like])]

    def _exists(self, serial: str) -> bool:
        return self.db.execute(f"SELECT 1 FROM {self.table} WHERE {self.column} = ?",
                               [serial]).fetchone() is not None

    def highest_used(self, pattern: serials.SerialPattern, year: int) -> int:
        """The highest number of ``year`` in ``pattern`` that the register
        holds (imported ones and those in the recycle bin included)."""
        top = 0
        for serial in self._used(pattern.like(year)):
            parsed = pattern.parse(serial)
            if parsed and parsed[0] == year:
                top = max(top, parsed[1])
        if pattern.text == serials.DEFAULT_PATTERN:
            row = self.db.execute("SELECT last FROM serial_counters WHERE year = ?", [year]).fetchone()
            top = max(top, row[0] if row else 0)
        return top

    def _sequence_last(self, pattern: serials.SerialPattern, year: int) -> int | None:
        row = self.db.execute("SELECT last FROM serial_sequences WHERE pattern = ? AND year = ?",
                              [pattern.text, year]).fetchone()
        return row[0] if row else None

    def next_serial(self, pattern: serials.SerialPattern, year: int) -> str:
        """The next unused serial of ``year`` in ``pattern`` (not reserved
        until saved): after the highest number handed out or held."""
        last = self._sequence_last(pattern, year)
        if last is None:
            last = self.highest_used(pattern, year)
        number = last + 1
        while True:
            serial = pattern.format(year, number)
            if not self._exists(serial):
                return serial
            number += 1

    def reserve(self, serial: str, current: serials.SerialPattern) -> None:
        """Remember a saved serial's number so that it is never handed out
        again (inside the caller's transaction), under every pattern it fits."""
        m = SERIAL_RE.fullmatch(serial)
        if m:
            self.db.execute(
                "INSERT INTO serial_counters(year, last) VALUES(?, ?) "
                "ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)",
                [int(m.group(1)), int(m.group(2))])
        known = {current.text: current}
        for (text,) in self.db.execute("SELECT DISTINCT pattern FROM serial_sequences"):
            if text not in known:
                try:
                    known[text] = serials.compile_pattern(text)
                except serials.PatternError:
                    continue
        for pattern in known.values():
            parsed = pattern.parse(serial)
            if not parsed:
                continue
            year, number = parsed
            if self._sequence_last(pattern, year) is None:
                # first number of this pattern and year: start after every one in the register
                number = max(number, self.highest_used(pattern, year))
            self.db.execute(
                "INSERT INTO serial_sequences(pattern, year, last) VALUES(?, ?, ?) "
                "ON CONFLICT(pattern, year) DO UPDATE SET last = max(last, excluded.last)",
                [pattern.text, year, number])
