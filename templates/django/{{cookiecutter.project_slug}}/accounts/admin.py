from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import ThrottleEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin; the add form also asks for the (required, unique) e-mail."""

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(ThrottleEvent)
class ThrottleEventAdmin(admin.ModelAdmin):
    """The counted sign-in failures and reset mails: deleting a username's events lifts its
    lock at once."""

    list_display = ["kind", "key", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
