from django.contrib import admin

from parsoc.web.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "city", "email_confirmed", "is_staff"]
    search_fields = ["email", "display_name", "city"]
    exclude = ["password"]
    # a photo is only ever set through the profile form, which decodes and re-encodes it
    readonly_fields = ["photo"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "prefix"]
