"""Production serves static files from `collectstatic` with hashed names: it must succeed."""

import pytest
from django.core.management import call_command
from django.db import connection


def test_collectstatic_builds_the_production_manifest(settings, tmp_path):
    if connection.vendor == "postgresql":
        # Half a minute of compressing the API documentation's scripts, the same on both runs.
        pytest.skip("collectstatic never reads the database: it is checked in the SQLite run")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/pico.min.*.css"))
