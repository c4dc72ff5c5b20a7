from django.contrib import admin

from parsoc.web.councils.models import Announcement, Council, DelegateTerm, Invitation, JoinRequest, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "parent", "visibility", "join_policy"]
    list_filter = ["kind", "visibility", "join_policy"]
    search_fields = ["name", "city"]
    inlines = [MembershipInline]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register([Announcement, DelegateTerm, Invitation, JoinRequest])
