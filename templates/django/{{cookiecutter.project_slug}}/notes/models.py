from django.conf import settings
from django.db import models
from django.utils import timezone

from config import rules


class Note(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(max_length=rules.TITLE_MAX_LENGTH)
    # max_length on a TextField is checked by its form field, not by the database.
    body = models.TextField(max_length=rules.BODY_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)  # the callable: each row its own time

    class Meta:
        ordering = ["-created_at", "-id"]  # newest first; the id breaks ties
        indexes = [models.Index(fields=["owner", "created_at"], name="note_owner_created_idx")]

    def __str__(self):
        return self.title
