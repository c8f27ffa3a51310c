from django.urls import path, register_converter

from config.converters import IdConverter
from notes import views

register_converter(IdConverter, "id")

app_name = "notes"

urlpatterns = [
    path("notes", views.NoteIndexView.as_view(), name="index"),
    path("notes/<id:pk>/delete", views.NoteDeleteView.as_view(), name="delete"),
]
