"""The directory's file layouts on real data: the ICA youth network's co-ops and the standard layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.orgs.files import MAX_BYTES, FileRefused
from parsoc.orgs.layouts import Layout, detect, read_directory, write_directory
from parsoc.orgs.organisation import Organisation, checked, country_code
from parsoc.orgs.vocabulary import Kind, kind_from_structure, normalise_sector

DATA = Path(__file__).resolve().parent.parent / "data" / "coops"
ICA = (DATA / "ica-youth-led-coops.csv").read_bytes()


def test_the_ica_file_imports_as_is_with_every_coordinate():
    organisations = read_directory(ICA)
    assert detect(ICA) is Layout.ICA
    assert len(organisations) == 97
    assert all(o.latitude is not None and o.longitude is not None for o in organisations)
    first = organisations[0]
    assert first.name == "Agricultores Federados Argentinos S.C.L."
    assert (first.latitude, first.longitude) == (-32.9442426, -60.6505388)
    assert first.country == "AR" and first.locality == "Rosario" and first.sector == "Agriculture"
    assert first.website == "http://www.afascl.com" and first.email == "jovenes@afascl.coop"


def test_messy_sector_spellings_become_one():
    organisations = read_directory(ICA)
    sectors = {o.sector for o in organisations}
    assert "Training and education" in sectors
    assert not {"Training & Education", "Training and eduction"} & sectors
    assert sum(o.sector == "Training and education" for o in organisations) == 11  # 6 + 5 spellings
    assert normalise_sector("Training & Education") == normalise_sector("training and eduction") == \
        "Training and education"
    assert normalise_sector("Banking / credit unions") == "Banking and credit"
    assert normalise_sector("  Beekeeping  ") == "Beekeeping"  # unknown: kept, tidied


def test_placeholders_and_misspelt_countries_are_read():
    organisations = {o.name: o for o in read_directory(ICA)}
    assert organisations["Coop. CASMUL"].email == ""  # "n/a"
    assert {o.country for o in organisations.values()} >= {"CD", "BR", "RW", "CM"}  # Congol, Brasil, Rawanda, Cameroun
    assert country_code("Democratic Republic of Congol") == "CD"
    with pytest.raises(InputError, match="country"):
        country_code("Atlantis")


@pytest.mark.parametrize("layout", [Layout.STANDARD, Layout.GEOJSON])
def test_export_and_import_again_give_the_same_directory(layout):
    organisations = read_directory(ICA)
    text = write_directory(organisations, layout)
    assert detect(text.encode()) is layout
    assert read_directory(text.encode()) == organisations


def test_the_standard_example_reads_with_its_codes():
    [row] = read_directory((DATA / "standard-layout-example.csv").read_bytes())
    assert row.name == "Northwest Construction Cooperative" and row.identifier == "3572"
    assert row.kind is Kind.COOPERATIVE and row.sector == "Construction"
    assert (row.country, row.locality, row.region, row.postcode) == ("US", "Olympia", "Washington", "98501")
    assert (row.latitude, row.longitude) == (47.0, -122.0)
    assert kind_from_structure("OS115", "ICA140") is Kind.CREDIT_UNION
    assert kind_from_structure("OS60") is Kind.WORKER_COOP


def test_the_standard_export_has_the_maps_codes_and_no_formulas():
    text = write_directory([Organisation(name="=HYPERLINK(\"x\")", kind=Kind.CREDIT_UNION, sector="Banking and credit",
                                         latitude=1.5, longitude=-2.25)], Layout.STANDARD)
    header, row = text.splitlines()[:2]
    assert header.startswith("Identifier,Name,Description,Organisational Structure,Primary Activity")
    assert ",OS115,ICA140," in row
    assert "'=HYPERLINK" in row  # a spreadsheet shows it as text, never runs it
    [back] = read_directory(text.encode())
    assert back.name == "=HYPERLINK(\"x\")" and back.kind is Kind.CREDIT_UNION


def _refusal(data: bytes) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read_directory(data)
    return caught.value


def test_a_file_without_the_needed_columns_is_refused():
    error = _refusal(b"Identifier,Name,Organisational Structure\n1,A,OS60\n")
    assert "Latitude" in str(error) and "Longitude" in str(error)
    assert "no layout" in str(_refusal(b"foo,bar\n1,2\n"))


def test_bad_coordinates_are_refused_with_the_row_and_nothing_is_taken():
    lines = ICA.decode().splitlines(keepends=True)
    header = lines[0]
    good = "Youth-led Co-ops,Good Coop,x,Europe,France,Lyon,45.75,4.85,0-5,Producer cooperative,Retail,,,,n/a,n/a\n"
    bad = "Youth-led Co-ops,Bad Coop,x,Europe,France,Lyon,145.75,4.85,0-5,Producer cooperative,Retail,,,,n/a,n/a\n"
    half = "Youth-led Co-ops,Half Coop,x,Europe,France,Lyon,45.75,,0-5,Producer cooperative,Retail,,,,n/a,n/a\n"
    error = _refusal((header + good + bad + half).encode())
    assert [p.row for p in error.problems] == [3, 4]
    assert "latitude" in error.problems[0].reason and "coordinates" in error.problems[1].reason
    assert "nothing was imported" in str(error)


def test_wrong_encoding_is_refused_with_the_line():
    data = "Name,Organisational Structure,Latitude,Longitude\nCafé,OS60,1,2\n".encode("latin-1")
    error = _refusal(data)
    assert "UTF-8" in str(error) and error.problems[0].row == 2


def test_ten_megabytes_of_junk_are_refused():
    junk = bytes(range(256)) * (10 * 1024 * 1024 // 256)
    assert "not UTF-8" in str(_refusal(junk)) or "not text" in str(_refusal(junk))
    text_junk = (b"qwerty," * 1_500_000)[: 10 * 1024 * 1024]
    assert isinstance(_refusal(text_junk), FileRefused)
    assert "MB" in str(_refusal(b"x" * (MAX_BYTES + 1)))


def test_geojson_features_are_checked_one_by_one():
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.85, 45.75]},
         "properties": {"name": "A", "kind": "worker_coop"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {"name": "B"}},
        {"type": "Feature", "geometry": None, "properties": {"name": "C", "kind": "bank"}},
    ]}
    error = _refusal(json.dumps(document).encode())
    assert [p.row for p in error.problems] == [2, 3] or [p.row for p in error.problems] == [2]
    assert "Point" in error.problems[0].reason


def test_a_record_is_checked_field_by_field():
    with pytest.raises(InputError, match="^name"):
        checked(Organisation(name="  "))
    with pytest.raises(InputError, match="^website"):
        checked(Organisation(name="A", website="javascript:alert(1)"))
    with pytest.raises(InputError, match="^email"):
        checked(Organisation(name="A", email="not an address"))
    with pytest.raises(InputError, match="^longitude"):
        checked(Organisation(name="A", latitude=1.0, longitude=181.0))  # type: ignore[arg-type]
    assert checked(Organisation(name="A", website="www.example.coop")).website == "http://www.example.coop"


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=40, deadline=None)
@example(name="'=", description="", sector="", kind=Kind.OTHER, position=None)  # a quote before a formula sign
@example(name="A", description="", sector="", kind=Kind.CREDIT_UNION, position=None)  # no sector, finance code
@given(name=_text.filter(lambda t: t.strip()), description=_text, sector=_text, kind=st.sampled_from(list(Kind)),
       position=st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180)))
def test_any_record_we_keep_survives_both_round_trips(name, description, sector, kind, position):
    latitude, longitude = position if position else (None, None)
    try:
        organisation = checked(Organisation(name=name, description=description, sector=sector, kind=kind,
                                            latitude=latitude, longitude=longitude))
    except InputError:
        return
    for layout in (Layout.STANDARD, Layout.GEOJSON):
        [back] = read_directory(write_directory([organisation], layout).encode())
        if layout is Layout.STANDARD and organisation.sector != normalise_sector(organisation.sector):
            continue  # a free sector read back from CSV is tidied the same way
        assert back == organisation
