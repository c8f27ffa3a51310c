from django import forms

from notes.models import Note


class NoteForm(forms.ModelForm):
    """Title (1-200 characters, blank after trimming counts as empty) and body (0-10,000)."""

    class Meta:
        model = Note
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
