"""The organisation's pages about the API: its tokens and its webhooks (admins only)."""

from django.urls import path

from .views import tokens, webhooks

app_name = "integrations"

urlpatterns = [
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("webhooks/", webhooks.endpoint_list, name="webhooks"),
    path("webhooks/new/", webhooks.endpoint_create, name="webhook_create"),
    path("webhooks/<int:pk>/", webhooks.endpoint_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/edit/", webhooks.endpoint_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/delete/", webhooks.endpoint_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/test/", webhooks.endpoint_test, name="webhook_test"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/retry/",
        webhooks.delivery_retry,
        name="webhook_delivery_retry",
    ),
]
