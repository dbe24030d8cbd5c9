"""Production serves static files from `collectstatic` with hashed names: it must succeed."""

from django.core.management import call_command


def test_collectstatic_builds_the_production_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    # Compressing the API documentation's scripts takes half a minute and is whitenoise's own
    # business; the hashed names and the manifest are what must not break.
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["js", "css", "map", "svg", "html", "json"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/pico.min.*.css"))
