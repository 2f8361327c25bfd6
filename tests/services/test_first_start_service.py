"""The first-start guide's rules: offered once on an empty register of the
agency (never on the demo's), what it saves, and that it never asks again."""

from __future__ import annotations

import pytest

from desktop_app.domain.remedies import AgencyKind
from desktop_app.files import paths
from desktop_app.services import applications, first_start
from desktop_app.services.session import open_register


def test_the_guide_is_offered_on_a_new_empty_register(register, db_path):
    assert first_start.should_offer_guide(register, db_path)


def test_the_guide_is_not_offered_once_finished_or_skipped(tmp_path):
    for skipped in (False, True):
        path = tmp_path / f"r{skipped}.db"
        with open_register(path, create=True) as session:
            first_start.finish_guide(session, skipped=skipped)
            assert not first_start.should_offer_guide(session, path)
            assert first_start.guide_state(session) == ("skipped" if skipped else "done")


def test_the_guide_is_not_offered_on_a_register_with_applications(register, db_path, person_record):
    applications.register_application(register, person_record)
    assert not first_start.should_offer_guide(register, db_path)


def test_the_guide_is_never_offered_on_the_demo_register():
    path = paths.demo_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_register(path, create=True) as session:
        assert applications.count(session) == 0
        assert not first_start.should_offer_guide(session, path)
    path.unlink()


def test_saving_the_profile_stores_the_agency_kind_and_bodies_through_the_agency_profile(register):
    from desktop_app.services.settings import agency_profile

    first_start.save_profile(register, {
        "agency_name": " 长沙市望城区人民政府办公室 ",
        "agency_kind": "department",
        "own_government": "长沙市望城区人民政府",
        "doc_number_prefix": "望政办公开",
        "serial_pattern": "望政依申〔{年}〕{序号}号",
    })
    stored = register.store.settings.stored()
    assert stored["agency_name"] == "长沙市望城区人民政府办公室"
    assert stored["agency_kind"] == "department"
    profile = agency_profile(register)
    assert profile is not None and profile.kind is AgencyKind.DEPARTMENT
    assert profile.own_government == "长沙市望城区人民政府"
    assert applications.next_serial(register, 2026) == "望政依申〔2026〕1号"


@pytest.mark.parametrize("values, field", [
    ({"agency_name": "  "}, "agency_name"),
    ({"agency_name": "某局", "agency_kind": "ministry_of_magic"}, "agency_kind"),
    ({"agency_name": "某局", "agency_kind": "vertical", "higher_department": " "}, "agency_kind"),
    ({"agency_name": "某局", "serial_pattern": "{年}-"}, "serial_pattern"),
])
def test_a_profile_that_cannot_be_used_is_refused_and_nothing_is_saved(register, values, field):
    with pytest.raises(first_start.ProfileError) as err:
        first_start.save_profile(register, values)
    assert err.value.field == field
    assert str(err.value)  # a Chinese message for the clerk
    assert register.store.settings.stored().get("agency_name") in (None, "")
