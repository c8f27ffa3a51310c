from django.contrib import admin

from notes.models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["title", "body", "owner__username"]
    autocomplete_fields = ["owner"]
    date_hierarchy = "created_at"
