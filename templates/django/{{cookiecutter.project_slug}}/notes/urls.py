from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("notes", views.NoteIndexView.as_view(), name="index"),
    path("notes/<int:pk>/delete", views.NoteDeleteView.as_view(), name="delete"),
]
