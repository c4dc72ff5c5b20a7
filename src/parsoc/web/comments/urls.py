from django.urls import path

from parsoc.web.comments import views

app_name = "comments"

urlpatterns = [
    path("discussions/<slug:kind>/<id:pk>/", views.post, name="post"),
    path("comments/<id:pk>/edit", views.edit, name="edit"),
    path("comments/<id:pk>/remove", views.remove, name="remove"),
    path("comments/<id:pk>/history", views.history, name="history"),
]
