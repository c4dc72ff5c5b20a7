from django.urls import path

from parsoc.web.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/unread/", views.unread_badge, name="unread"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/<id:pk>/", views.open_notice, name="open"),
]
