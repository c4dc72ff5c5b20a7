"""The directory through real HTTP: pages, API and command line, for every party."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parsoc.orgs.layouts import read_directory
from parsoc.web.orgs.models import Entry
from tests.fixtures_web import ROLES
from tests.html import visible_text as text_of

DATA = Path(__file__).resolve().parent.parent / "data" / "coops"
ICA = DATA / "ica-youth-led-coops.csv"


@pytest.fixture
def directory(council_world):
    """Three organisations: two in Glasgow (one near the centre), one in Barcelona."""
    w = council_world
    return [
        Entry.objects.create(name="Clydeside Bakers", kind="worker_coop", sector="Retail", locality="Glasgow",
                             country="GB", latitude=55.8642, longitude=-4.2518, added_by=w.member),
        Entry.objects.create(name="Paisley Credit Union", kind="credit_union", sector="Banking and credit",
                             locality="Paisley", country="GB", latitude=55.8456, longitude=-4.4239,
                             added_by=w.outsider),
        Entry.objects.create(name="Som Energia", kind="consumer_coop", sector="Environment", locality="Girona",
                             country="ES", latitude=41.9794, longitude=2.8214, added_by=w.facilitator),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_directory_and_its_pages(council_world, client_as, directory, role):
    client = client_as(council_world.person(role))
    page = client.get("/organisations/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Clydeside Bakers" in text and "Som Energia" in text and "Credit union" in text
    detail = client.get(f"/organisations/{directory[2].pk}/")
    assert "Som Energia" in text_of(detail) and "Consumer co-operative" in text_of(detail)
    assert "Spain" in text_of(detail)


def test_filters_by_words_kind_country_and_distance(council_world, client_as, directory):
    client = client_as(None)

    def names(query: str) -> list[str]:
        answer = client.get(f"/api/orgs/?{query}")
        assert answer.status_code == 200, answer.content
        return [row["name"] for row in answer.json()["results"]]

    assert names("q=bakers") == ["Clydeside Bakers"]
    assert names("kind=credit_union") == ["Paisley Credit Union"]
    assert names("country=Spain") == ["Som Energia"]
    assert names("country=gb") == ["Clydeside Bakers", "Paisley Credit Union"]
    # Near Glasgow's centre: the bakers (0 km) then Paisley (11 km); Girona is not within 50 km.
    rows = client.get("/api/orgs/?lat=55.8609&lon=-4.2514&km=50").json()["results"]
    assert [r["name"] for r in rows] == ["Clydeside Bakers", "Paisley Credit Union"]
    assert rows[0]["distance_km"] < 1 and 10 < rows[1]["distance_km"] < 12
    assert names("lat=55.8609&lon=-4.2514&km=5") == ["Clydeside Bakers"]
    assert names("lat=55.8609&lon=-4.2514&km=2000") == ["Clydeside Bakers", "Paisley Credit Union", "Som Energia"]


@pytest.mark.parametrize(("query", "field"), [("page=abc", "page"), ("lat=95&lon=1", "lat"), ("lat=1", "lat"),
                                              ("km=-3&lat=1&lon=1", "km"), ("kind=bank", "kind"),
                                              ("country=Atlantis", "country"), ("page=99999999999999999999", "page")])
def test_bad_filters_are_answered_with_the_field(client_as, directory, query, field):
    client = client_as(None)
    answer = client.get(f"/api/orgs/?{query}")
    assert answer.status_code == 400 and answer.json()["detail"].startswith(field)
    page = client.get(f"/organisations/?{query}")
    assert page.status_code == 400 and field in text_of(page)


def test_adding_needs_a_confirmed_address_and_field_errors_lose_nothing(council_world, client_as, make_user):
    anonymous = client_as(None).get("/organisations/new/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    unconfirmed = client_as(make_user("New Person", confirmed=False)).post("/organisations/new/", {"name": "X"})
    assert unconfirmed.status_code == 403
    client = client_as(council_world.outsider)
    bad = client.post("/organisations/new/", {"name": "Leith Housing", "kind": "housing_coop",
                                              "latitude": "55.97", "longitude": "", "website": "ftp://x"})
    assert bad.status_code == 400 and not Entry.objects.exists()
    assert "give both latitude and longitude" in text_of(bad)
    good = client.post("/organisations/new/", {"name": "Leith Housing", "kind": "housing_coop", "country": "Scotland",
                                               "latitude": "55.97", "longitude": "-3.17", "website": "leith.coop"})
    entry = Entry.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/organisations/{entry.pk}/"
    assert (entry.country, entry.website, entry.added_by) == ("GB", "http://leith.coop", council_world.outsider)


def test_only_who_added_it_or_an_admin_changes_or_removes_it(council_world, client_as, directory, make_user):
    bakers = directory[0]  # added by the member
    for who in (council_world.outsider, council_world.facilitator):
        assert client_as(who).post(f"/organisations/{bakers.pk}/change/", {"name": "Hijacked"}).status_code == 403
        assert client_as(who).post(f"/organisations/{bakers.pk}/remove/").status_code == 403
    bakers.refresh_from_db()
    assert bakers.name == "Clydeside Bakers"
    changed = client_as(council_world.member).post(f"/organisations/{bakers.pk}/change/", {
        "name": "Clydeside Bakers Co-op", "kind": "worker_coop", "country": "GB", "latitude": "55.8642",
        "longitude": "-4.2518"})
    assert changed.status_code == 302
    bakers.refresh_from_db()
    assert bakers.name == "Clydeside Bakers Co-op"
    admin = make_user("Site Admin", is_superuser=True, is_staff=True)
    assert client_as(admin).post(f"/organisations/{bakers.pk}/remove/").status_code == 302
    assert not Entry.objects.filter(pk=bakers.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_importing_is_for_facilitators(council_world, client_as, role):
    client = client_as(council_world.person(role))
    with ICA.open("rb") as handle:
        answer = client.post("/organisations/import/", {"file": handle})
    if role == "facilitator":
        assert answer.status_code == 302 and Entry.objects.count() == 97
        assert Entry.objects.exclude(latitude__isnull=True).count() == 97
    else:
        assert answer.status_code in {302, 403} and not Entry.objects.exists()
        if role == "anonymous":
            assert "/login" in answer["Location"]


def test_a_file_with_bad_rows_imports_nothing_and_lists_them(council_world, client_as, tmp_path):
    lines = ICA.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = lines[0] + lines[1] + lines[2].replace("15.3327467", "915.3327467")
    path = tmp_path / "broken.csv"
    path.write_text(broken, encoding="utf-8")
    client = client_as(council_world.facilitator)
    with path.open("rb") as handle:
        page = client.post("/organisations/import/", {"file": handle})
    assert page.status_code == 400 and not Entry.objects.exists()
    assert "row 3: latitude" in text_of(page)
    with path.open("rb") as handle:
        answer = client.post("/api/orgs/import", {"file": handle})
    assert answer.status_code == 400 and answer.json()["problems"][0].startswith("row 3: latitude")
    assert not Entry.objects.exists()


def test_the_api_imports_and_exports_the_same_directory(council_world, client_as):
    client = client_as(council_world.facilitator)
    with ICA.open("rb") as handle:
        assert client.post("/api/orgs/import", {"file": handle}).json() == {"imported": 97}
    original = read_directory(ICA.read_bytes())
    for layout in ("standard", "geojson"):
        exported = client_as(None).get(f"/api/orgs/export?format={layout}")
        assert exported.status_code == 200
        assert sorted(read_directory(exported.content), key=lambda o: o.name) == sorted(original, key=lambda o: o.name)
    page = client_as(None).get("/organisations/export/?format=geojson&country=AR")
    features = json.loads(page.content)["features"]
    assert page["Content-Disposition"].endswith('.geojson"') and len(features) == 6
    assert {f["properties"]["country"] for f in features} == {"AR"}


def test_the_api_adds_with_field_errors(council_world, client_as):
    client = client_as(council_world.member)
    bad = client.post("/api/orgs/", {"name": "X", "latitude": 1.0}, content_type="application/json")
    assert bad.status_code == 400 and "latitude and longitude" in bad.json()["detail"]
    assert client_as(None).post("/api/orgs/", {"name": "X"}, content_type="application/json").status_code == 401
    good = client.post("/api/orgs/", {"name": "Glasgow Tool Library", "kind": "mutual_aid", "latitude": 55.85,
                                      "longitude": -4.25}, content_type="application/json")
    assert good.status_code == 201 and good.json()["kind_label"] == "Mutual-aid project"
    assert client.get(good.json()["url"]).status_code == 200


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PARSOC_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", "orgs", *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.django_db(transaction=True)
def test_the_command_line_imports_and_exports(tmp_path):
    home = tmp_path / "home"
    migrate = subprocess.run([sys.executable, "-m", "django", "migrate", "-v0", "--settings=parsoc.web.settings"],
                             env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                                  "PARSOC_HOME": str(home)}, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    done = _cli("import", str(ICA), home=home)
    assert done.returncode == 0 and "97 organisations imported" in done.stderr
    out = tmp_path / "all.geojson"
    assert _cli("export", "--format", "geojson", "-o", str(out), home=home).returncode == 0
    assert len(read_directory(out.read_bytes())) == 97
    bad = tmp_path / "bad.csv"
    bad.write_bytes("Name,Organisational Structure,Latitude,Longitude\nCafé,OS60,1,2\n".encode("latin-1"))
    refused = _cli("import", str(bad), home=home)
    assert refused.returncode != 0 and "UTF-8" in refused.stderr and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    wrong = _cli("export", "--format", "kml", home=home)
    assert wrong.returncode != 0 and "--format" in wrong.stderr
