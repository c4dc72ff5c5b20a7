"""The directory of organisations shared across the federation (the core is :mod:`parsoc.orgs`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from parsoc.orgs.organisation import LIMITS, Organisation
from parsoc.orgs.organisation import country_name as core_country_name
from parsoc.orgs.vocabulary import Kind

KIND_CHOICES = [(kind.value, kind.label) for kind in Kind]


class Entry(models.Model):
    """One organisation in the directory, with who added it and when."""

    name = models.CharField(max_length=LIMITS["name"])
    kind = models.CharField(max_length=32, choices=KIND_CHOICES, default=Kind.COOPERATIVE.value)
    description = models.TextField(max_length=LIMITS["description"], blank=True)
    sector = models.CharField(max_length=LIMITS["sector"], blank=True)
    legal_form = models.CharField(max_length=LIMITS["legal_form"], blank=True)
    street = models.CharField(max_length=LIMITS["street"], blank=True)
    locality = models.CharField(max_length=LIMITS["locality"], blank=True)
    region = models.CharField(max_length=LIMITS["region"], blank=True)
    postcode = models.CharField(max_length=LIMITS["postcode"], blank=True)
    country = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    website = models.CharField(max_length=LIMITS["website"], blank=True)
    email = models.CharField(max_length=LIMITS["email"], blank=True)
    phone = models.CharField(max_length=LIMITS["phone"], blank=True)
    size = models.CharField(max_length=LIMITS["size"], blank=True)
    identifier = models.CharField(max_length=LIMITS["identifier"], blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["sector", "name"]),
            models.Index(fields=["country", "name"]),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def country_name(self) -> str:
        return core_country_name(self.country)

    def as_organisation(self) -> Organisation:
        return Organisation(
            name=self.name, kind=Kind(self.kind), description=self.description, sector=self.sector,
            legal_form=self.legal_form, street=self.street, locality=self.locality, region=self.region,
            postcode=self.postcode, country=self.country, latitude=self.latitude, longitude=self.longitude,
            website=self.website, email=self.email, phone=self.phone, size=self.size, identifier=self.identifier,
        )

    @classmethod
    def fields_of(cls, organisation: Organisation) -> dict[str, object]:
        return {
            "name": organisation.name, "kind": organisation.kind.value, "description": organisation.description,
            "sector": organisation.sector, "legal_form": organisation.legal_form, "street": organisation.street,
            "locality": organisation.locality, "region": organisation.region, "postcode": organisation.postcode,
            "country": organisation.country, "latitude": organisation.latitude,
            "longitude": organisation.longitude, "website": organisation.website, "email": organisation.email,
            "phone": organisation.phone, "size": organisation.size, "identifier": organisation.identifier,
        }
