"""Shared fixtures.  Qt runs offscreen in every test."""

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop_app.storage.database import connect
from desktop_app.storage.register import Register


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "register.db"


@pytest.fixture
def register(db_path):
    db = connect(db_path)
    yield Register(db)
    db.conn.close()


@pytest.fixture
def person_record():
    """A valid natural-person application (receipt in the past)."""
    return {
        "receipt_date": dt.date(2026, 3, 5),
        "channel": "in_person",
        "applicant_type": "natural_person",
        "applicant_name": "张某某",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "address": "浙江省杭州市西湖区文三路1号",
        "postcode": "310012",
        "info_description": "2025年本区老旧小区改造项目的立项批复文件",
    }
