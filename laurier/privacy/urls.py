from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("people/<int:pk>/", views.person_privacy, name="person"),
    path("people/<int:pk>/data/", views.person_export, name="person_export"),
    path("people/<int:pk>/data.json", views.person_export_json, name="person_export_json"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("retention/", views.retention, name="retention"),
]
