from django.contrib import admin

from parsoc.web.notifications.models import DigestSent, Event, Notice, Preference


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "council", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["council", "actor"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["event", "recipient", "delivery", "read_at", "mailed_at"]
    list_filter = ["delivery"]
    raw_id_fields = ["event", "recipient"]


admin.site.register(Preference)
admin.site.register(DigestSent)
