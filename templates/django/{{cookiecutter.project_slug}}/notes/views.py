"""Each user's notes: the list with its form, and deletion. Nobody sees another's notes."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.views.generic import CreateView, DeleteView

from config.views import FORM_METHODS
from notes.forms import NoteForm
from notes.models import Note


class NoteIndexView(LoginRequiredMixin, SuccessMessageMixin, CreateView):
    """GET: the user's notes, newest first, and the form for a new one. POST: add it."""

    form_class = NoteForm
    template_name = "notes/index.html"
    success_url = reverse_lazy("notes:index")
    success_message = "Note added."
    http_method_names = FORM_METHODS

    def get_context_data(self, **kwargs):
        kwargs.setdefault("notes", Note.objects.filter(owner=self.request.user))
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        form.instance.owner = self.request.user
        return super().form_valid(form)


class NoteDeleteView(LoginRequiredMixin, SuccessMessageMixin, DeleteView):
    """POST only. Another user's note, or a missing one, is a 404 and stays."""

    http_method_names = ["post"]
    success_url = reverse_lazy("notes:index")
    success_message = "Note deleted."

    def get_queryset(self):
        return Note.objects.filter(owner=self.request.user)
