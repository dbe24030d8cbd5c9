from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/restart/", views.import_restart, name="restart"),
    path("sample/<str:kind>.csv", views.sample_file, name="sample"),
]
