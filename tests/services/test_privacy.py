"""Personal data: masked in the register list and in shared exports, in
full in the detail form and in exports for moving the register; the
recycle bin stays out of lists, exports and the annual report."""

import datetime as dt

from desktop_app.domain.password import hash_password, password_problem, verify_password
from desktop_app.domain.privacy import mask_id_number, mask_phone, mask_record
from desktop_app.services import applications, recycle_bin

TODAY = dt.date(2026, 6, 1)
ID = "11010519491231002X"
PHONE = "13812345678"


def test_masking_hides_the_middle_of_ids_and_phones_in_every_format():
    assert mask_id_number("210404198001011234") == "210404********1234"
    assert mask_id_number(ID) == "110105********002X"
    assert mask_phone(PHONE) == "138****5678"
    assert mask_phone("0731-88001234") == "0731-****1234"
    assert mask_phone("+86 138 1234 5678") == "+86 138 **** 5678"
    assert mask_phone("(010)12345678") == "(010)****5678"
    assert mask_phone("0571-88888888-123") == "0571-****8888-***"
    rec = mask_record({"id_number": ID, "phone": PHONE, "applicant_name": "张某某"})
    assert rec == {"id_number": "110105********002X", "phone": "138****5678", "applicant_name": "张某某"}


def test_register_list_masks_and_skips_the_recycle_bin(register, person_record):
    from desktop_app.ui import register_model

    keep = applications.register_application(register, person_record, today=TODAY).app_id
    gone = applications.register_application(register, dict(person_record, applicant_name="已删除"), today=TODAY).app_id
    recycle_bin.delete_application(register, gone)
    cols = {c.key: c for c in register_model.DEFAULT_COLUMNS}
    fields = register_model.needed_fields(cols.values())
    rows = applications.table_rows(register, list(fields) + ["id"])
    assert [r["id"] for r in rows] == [keep]
    assert cols["id_number"].value(rows[0]) == "110105********002X"
    assert cols["phone"].value(rows[0]) == "138****5678"
    # the detail form (and the register itself) keep the full values
    assert applications.get(register, keep).id_number == ID




def test_annual_report_leaves_out_the_recycle_bin(register, person_record):
    applications.register_application(register, person_record, today=TODAY).app_id
    gone = applications.register_application(register, dict(person_record, applicant_name="已删除"), today=TODAY).app_id
    assert len(register.store.report.section3_rows(2026)) == 2
    recycle_bin.delete_application(register, gone)
    assert len(register.store.report.section3_rows(2026)) == 1


def test_password_is_a_salted_scrypt_hash():
    a, b = hash_password("开门密码1"), hash_password("开门密码1")
    assert a != b  # salted
    assert a.startswith("scrypt$") and "开门密码1" not in a
    assert verify_password("开门密码1", a) and verify_password("开门密码1", b)
    assert not verify_password("开门密码2", a)
    assert not verify_password("开门密码1", "garbage") and not verify_password("x", None)
    assert password_problem("abc", "abc") and password_problem("abcd", "abce")
    assert password_problem("abcd", "abcd") is None
