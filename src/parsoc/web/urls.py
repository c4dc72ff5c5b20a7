"""URL configuration of the parsoc web shell."""

from django.urls import path

urlpatterns: list = []
