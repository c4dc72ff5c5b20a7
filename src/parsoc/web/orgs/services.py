"""Adding, changing, importing and exporting organisations: permission, core check, one write."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from parsoc.orgs.layouts import Layout, read_directory, write_directory
from parsoc.orgs.organisation import Organisation, checked
from parsoc.web.orgs.models import Entry

BATCH = 2000


def require(user, permission: str, target=None) -> None:
    if not user.has_perm(permission, target):
        raise PermissionDenied("you may not do this in the directory")


def add(user, organisation: Organisation) -> Entry:
    require(user, "orgs.add")
    organisation = checked(organisation)
    with transaction.atomic():
        return Entry.objects.create(added_by=user, **Entry.fields_of(organisation))


def change(user, entry: Entry, organisation: Organisation) -> Entry:
    require(user, "orgs.change", entry)
    organisation = checked(organisation)
    with transaction.atomic():
        for field, value in Entry.fields_of(organisation).items():
            setattr(entry, field, value)
        entry.save()
    return entry


def remove(user, entry: Entry) -> None:
    require(user, "orgs.change", entry)
    entry.delete()


def import_file(user, data: bytes, layout: Layout | None = None) -> int:
    """Every organisation in the file, added in one transaction; or none (``FileRefused``)."""
    require(user, "orgs.import")
    organisations = read_directory(data, layout)
    return import_organisations(organisations, added_by=user)


def import_organisations(organisations: Iterable[Organisation], added_by=None) -> int:
    """Already-checked organisations written in batches inside one transaction."""
    count = 0
    with transaction.atomic():
        batch: list[Entry] = []
        for organisation in organisations:
            batch.append(Entry(added_by=added_by, **Entry.fields_of(organisation)))
            if len(batch) >= BATCH:
                Entry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            Entry.objects.bulk_create(batch)
            count += len(batch)
    return count


def export(entries: Iterable[Entry], layout: Layout) -> str:
    return write_directory((entry.as_organisation() for entry in entries), layout)
