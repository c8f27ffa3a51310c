from django import forms

from config.forms import StorableTextMixin
from notes.models import Note


class NoteForm(StorableTextMixin, forms.ModelForm):
    """Title (1-200 characters, blank after trimming counts as empty) and body (0-10,000)."""

    class Meta:
        model = Note
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
