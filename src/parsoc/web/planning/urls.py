from django.urls import path

from parsoc.web.planning import views

app_name = "planning"

urlpatterns = [
    path("c/<slug:slug>/planning/", views.index, name="index"),
    path("c/<slug:slug>/planning/open/", views.open_year, name="open"),
    path("c/<slug:slug>/planning/<id:pk>/", views.year_page, name="year"),
    path("c/<slug:slug>/planning/<id:pk>/close/", views.close_round, name="close"),
    path("c/<slug:slug>/planning/<id:pk>/adopt/", views.adopt, name="adopt"),
    path("c/<slug:slug>/planning/<id:pk>/export.csv", views.export_csv, name="export_csv"),
    path("c/<slug:slug>/planning/<id:pk>/export.clj", views.export_edn, name="export_edn"),
    path("c/<slug:slug>/planning/<id:pk>/c/<slug:council_slug>/", views.council_page, name="council"),
    path("c/<slug:slug>/planning/<id:pk>/c/<slug:council_slug>/propose/", views.propose, name="propose"),
    path("c/<slug:slug>/planning/<id:pk>/c/<slug:council_slug>/request/", views.personal_request, name="request"),
    path("c/<slug:slug>/planning/<id:pk>/c/<slug:council_slug>/function/", views.set_function, name="function"),
]
