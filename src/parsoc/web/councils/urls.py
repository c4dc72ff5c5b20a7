from django.urls import path

from parsoc.web.councils import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.directory, name="directory"),
    path("councils/new/", views.create, name="create"),
    path("c/<slug:slug>/", views.detail, name="detail"),
    path("c/<slug:slug>/settings/", views.edit, name="edit"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("c/<slug:slug>/members/", views.members, name="members"),
    path("c/<slug:slug>/members/action/", views.member_action, name="member_action"),
    path("c/<slug:slug>/invite/", views.invite, name="invite"),
    path("c/<slug:slug>/announce/", views.announce, name="announce"),
    path("c/<slug:slug>/delegates/", views.delegates, name="delegates"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/unread/", views.unread_badge, name="unread"),
]
