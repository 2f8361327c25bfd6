"""A ledger file with nothing in it is refused with the words that say so,
and the register is left as it was."""

from __future__ import annotations

import pytest

from desktop_app.services import applications
from desktop_app.services.ledger import LedgerFileError, import_ledger
from desktop_app.services.session import open_register


@pytest.mark.parametrize("content", [b"", b"\n\n\n", b"\r\n\r\n"], ids=["zero-bytes", "blank-lines", "crlf-lines"])
def test_an_empty_ledger_file_is_refused_as_empty_and_nothing_is_written(tmp_path, content):
    ledger = tmp_path / "台账.csv"
    ledger.write_bytes(content)
    reg = open_register(tmp_path / "r.db", create=True)
    try:
        with pytest.raises(LedgerFileError, match="文件是空的"):
            import_ledger(reg, ledger, backup=False)
        assert applications.count(reg) == 0
    finally:
        reg.close()
    assert ledger.read_bytes() == content
