from django.urls import path

from parsoc.web.lot import views

app_name = "lot"

urlpatterns = [
    path("c/<slug:slug>/lot/", views.index, name="index"),
    path("c/<slug:slug>/lot/new/", views.create, name="create"),
    path("c/<slug:slug>/lot/<id:pk>/", views.detail, name="detail"),
    path("c/<slug:slug>/lot/<id:pk>/result.json", views.result_json, name="result_json"),
    path("c/<slug:slug>/lot/<id:pk>/volunteer/", views.volunteer, name="volunteer"),
    path("c/<slug:slug>/lot/<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("c/<slug:slug>/lot/<id:pk>/compute/", views.compute, name="compute"),
    path("c/<slug:slug>/lot/<id:pk>/commit/", views.commit, name="commit"),
    path("c/<slug:slug>/lot/<id:pk>/close/", views.close_commitments, name="close"),
    path("c/<slug:slug>/lot/<id:pk>/reveal/", views.reveal, name="reveal"),
    path("c/<slug:slug>/lot/<id:pk>/draw/", views.draw, name="draw"),
]
