from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import SingleSignOn, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "language", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["first_name", "last_name", "language"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(SingleSignOn)
class SingleSignOnAdmin(admin.ModelAdmin):
    """For Laurier's operators: see, and if need be remove, an organisation's single sign-on
    (the provider's settings themselves are under “Social applications”)."""

    list_display = ["organisation", "app", "mode", "recovery_admin", "last_sign_in_at"]
    list_select_related = ["organisation", "app", "recovery_admin"]
    raw_id_fields = ["organisation", "app", "recovery_admin"]
    readonly_fields = ["last_sign_in_at", "updated_at"]
