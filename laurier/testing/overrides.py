"""The settings every test runs with, whatever the scope of its fixtures."""

from django.conf import settings


def settings_for_tests():
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Every test client builds the middleware anew, and whitenoise would then index every
        # static file (70 ms a client); with autorefresh it looks a file up when asked for it.
        "WHITENOISE_AUTOREFRESH": True,
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # The tests' chat servers listen on 127.0.0.1.
        "WEBHOOK_PRIVATE_ADDRESSES": True,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
