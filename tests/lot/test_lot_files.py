"""Reading quotas and pools, and the answers to quotas no panel can meet: file, row, quota named."""

from __future__ import annotations

import pytest

from parsoc.errors import InputError
from parsoc.lot.instance import Pool, Quota, make_instance, read_instance, read_pool, read_quotas
from parsoc.lot.panels import check_feasible
from tests.lot.conftest import INSTANCES, SORTITION, published

CATEGORIES = "category,feature,min,max\ngender,female,1,2\ngender,male,1,2\nage,young,0,3\nage,old,1,3\n"
POOL = "gender,age\nfemale,young\nmale,old\nfemale,old\nmale,young\n"


def write(tmp_path, categories=CATEGORIES, pool=POOL, encoding="utf-8"):
    (tmp_path / "categories.csv").write_text(categories, encoding=encoding)
    (tmp_path / "pool.csv").write_text(pool, encoding=encoding)
    return tmp_path / "categories.csv", tmp_path / "pool.csv"


def test_the_copies_of_both_instances_are_there():
    for name in INSTANCES:
        assert {p.name for p in (SORTITION / name).iterdir()} == {
            "categories.csv", "respondents.csv", "reference_statistics.txt"}


@pytest.mark.parametrize("name", INSTANCES)
def test_the_published_instances_read(name):
    instance = published(name)
    n, k = (200, 20) if name == "example_small_20" else (2000, 200)
    assert (len(instance.pool), instance.panel_size) == (n, k)
    assert instance.pool.categories == ("gender", "leaning")
    assert instance.pool.people[0] == ("female", "conservative")
    assert sum(p == ("female", "conservative") for p in instance.pool.people) == 1
    assert [(q.name, q.min, q.max) for q in instance.quotas][0] == ("gender/female", k // 2 - 1, k)


def test_bom_extra_columns_whitespace_and_case(tmp_path):
    categories = "\ufeffCategory , Feature,MIN,max,note\n gender , Female ,1, 2,x\ngender,male,1,2,\n\n" \
                 "age,young,0,3,\nage,old,1,3,\n"
    pool = "\ufeffname, AGE ,Gender\nAda, young , FEMALE\nBo,old,male\n\nCy,OLD,female\nDi,young,male\n"
    instance = read_instance(*write(tmp_path, categories, pool), 2)
    assert instance.pool.categories == ("gender", "age")
    assert instance.pool.people == (("Female", "young"), ("male", "old"), ("Female", "old"), ("male", "young"))
    assert instance.pool.rows == (2, 3, 5, 6)  # the blank line is skipped, rows keep their file numbers
    assert instance.quotas[0] == Quota("gender", "Female", 1, 2, 2)


@pytest.mark.parametrize(("categories", "message"), [
    ("", "categories.csv: empty file"),
    ("category,feature,min\ngender,female,1\n", "categories.csv: column 'max' missing"),
    ("category,feature,min,max,min\n", "column 'min' repeated"),
    ("category,feature,min,max\ngender,female,one,2\n", "categories.csv row 2: min"),
    ("category,feature,min,max\ngender,female,1,2\ngender,male,-1,2\n", "categories.csv row 3: min"),
    ("category,feature,min,max\ngender,female,3,2\n", "row 2: quota gender/female has min 3 above max 2"),
    ("category,feature,min,max\ngender,female,1,2\nGender,FEMALE,1,2\n", "row 3: quota Gender/FEMALE is already given on row 2"),
    ("category,feature,min,max\n,female,1,2\n", "row 2: the category is empty"),
    ("category,feature,min,max\ngender,,1,2\n", "row 2: the feature of category 'gender' is empty"),
    ("category,feature,min,max\n", "no quotas"),
    ("category,feature,min,max\ngender,female,1,2,7\n", "row 2: more values than columns"),
])
def test_bad_categories_name_file_and_row(tmp_path, categories, message):
    path, _ = write(tmp_path, categories)
    with pytest.raises(InputError, match=None) as caught:
        read_quotas(path)
    assert message in str(caught.value)
    assert str(path).split("/")[-1] in str(caught.value)


@pytest.mark.parametrize(("pool", "message"), [
    ("gender\nfemale\n", "pool.csv: no column for category 'age'"),
    ("gender,age,age\nfemale,young,old\n", "column 'age' appears 2 times"),
    ("gender,age\nfemale,young\nother,old\n", "pool.csv row 3: gender 'other' has no quota (the categories file lists female, male)"),
    ("gender,age\nfemale,\n", "pool.csv row 2: no age given (one of young, old)"),
    ("gender,age\n", "nobody in the pool"),
    ("gender,age\nfemale,young,extra\n", "pool.csv row 2: more values than columns"),
])
def test_bad_pools_name_file_and_row(tmp_path, pool, message):
    path, pool_path = write(tmp_path, pool=pool)
    with pytest.raises(InputError) as caught:
        read_pool(pool_path, read_quotas(path))
    assert message in str(caught.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_quotas(tmp_path / "nothing.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_quotas(tmp_path)
    (tmp_path / "latin.csv").write_bytes("category,feature,min,max\nâge,vieux,1,2\n".encode("latin-1"))
    with pytest.raises(InputError, match="not a UTF-8 text file"):
        read_quotas(tmp_path / "latin.csv")


@pytest.mark.parametrize("k", [0, -1, 5])
def test_panel_size_within_the_pool(tmp_path, k):
    with pytest.raises(InputError, match="panel size"):
        read_instance(*write(tmp_path), k)


def _instance(quotas, people, k):
    return make_instance(Pool(("gender", "age"), tuple(people)), tuple(quotas), k)


PEOPLE = [("f", "young"), ("m", "old"), ("f", "old"), ("m", "young"), ("m", "old")]


@pytest.mark.parametrize(("quotas", "k", "message"), [
    ([Quota("gender", "f", 3, 3, 2), Quota("gender", "m", 0, 3, 3), Quota("age", "young", 0, 3), Quota("age", "old", 0, 3)], 3,
     "quota gender/f (min 3, max 3, row 2) asks for at least 3 people but the pool has only 2 with gender f"),
    ([Quota("gender", "f", 0, 5), Quota("gender", "m", 4, 5), Quota("age", "young", 0, 3), Quota("age", "old", 0, 3)], 3,
     "quota gender/m (min 4, max 5) asks for at least 4 people on a panel of 3"),
    ([Quota("gender", "f", 2, 2), Quota("gender", "m", 2, 3), Quota("age", "young", 0, 3), Quota("age", "old", 0, 3)], 3,
     "the minimums of category gender add up to 4, more than the panel of 3"),
    ([Quota("gender", "f", 0, 1), Quota("gender", "m", 0, 1), Quota("age", "young", 0, 3), Quota("age", "old", 0, 3)], 3,
     "category gender can fill at most 2 seats of the panel of 3"),
    # each quota alone can be met, but a panel of two young women does not exist:
    ([Quota("gender", "f", 2, 2, 2), Quota("gender", "m", 0, 2, 3), Quota("age", "young", 2, 2, 4), Quota("age", "old", 0, 3, 5)], 2,
     "the quotas cannot all be met together"),
])
def test_infeasible_quotas_name_the_quota(quotas, k, message):
    instance = _instance(quotas, PEOPLE, k)
    with pytest.raises(InputError) as caught:
        check_feasible(instance)
    assert message in str(caught.value)


def test_a_joint_conflict_names_the_smallest_change():
    # Women must all be young, but only one young woman exists and two women are required.
    people = [("f", "young"), ("f", "old"), ("m", "old"), ("m", "young")]
    quotas = [Quota("gender", "f", 2, 2, 2), Quota("gender", "m", 0, 2, 3), Quota("age", "young", 0, 4, 4),
              Quota("age", "old", 0, 0, 5)]
    with pytest.raises(InputError) as caught:
        check_feasible(_instance(quotas, people, 2))
    text = str(caught.value)
    assert "smallest change" in text
    # one change suffices: either fewer women, or allow an old person
    assert text.count("→") == 1
    assert ("quota gender/f (min 2, max 2, row 2): min 2 → 1" in text) or ("quota age/old (min 0, max 0, row 5): max 0 → 1" in text)
