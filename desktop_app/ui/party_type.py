"""The third party's type, asked explicitly by the step dialog and the
notice dialog: the consultation letter addresses it by its type (你单位
or 您)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def party_type_combo(recorded: str | None = None) -> QComboBox:
    """法人或者其他组织 or 自然人, each saying how the letter will address
    it: the recorded type, else 法人或者其他组织."""
    party = QComboBox()
    party.addItem("法人或者其他组织（文书中称“你单位”）", "organisation")
    party.addItem("自然人（文书中称“您”）", "natural_person")
    party.setToolTip("征求意见函按第三方的类型称呼对方：单位称“你单位”，个人称“您”。")
    if recorded:
        party.setCurrentIndex(max(0, party.findData(recorded)))
    return party


__all__ = ["party_type_combo"]
