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
    path("c/<slug:slug>/members/approve/", views.approve_request, name="approve_request"),
    path("c/<slug:slug>/members/decline/", views.decline_request, name="decline_request"),
    path("c/<slug:slug>/members/role/", views.set_role, name="set_role"),
    path("c/<slug:slug>/members/remove/", views.remove_member, name="remove_member"),
    path("c/<slug:slug>/members/withdraw-invitation/", views.revoke_invitation, name="revoke_invitation"),
    path("c/<slug:slug>/members/end-term/", views.end_term, name="end_term"),
    path("c/<slug:slug>/invite/", views.invite, name="invite"),
    path("c/<slug:slug>/announce/", views.announce, name="announce"),
    path("c/<slug:slug>/delegates/", views.delegates, name="delegates"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/unread/", views.unread_badge, name="unread"),
]
