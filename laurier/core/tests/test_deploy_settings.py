"""Production settings: what the environment turns on, and `check --deploy` with no warning."""

import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from laurier.core.checks import rate_limits_are_shared

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_FILE = ROOT / "laurier" / "settings.py"
PROCESS_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


def production_environment(tmp_path, **extra):
    """What an operator sets on a real server (README, "Running it in production")."""
    # Nothing of the test run's own environment (its database, DJANGO_ALLOW_ASYNC_UNSAFE set
    # for the browser tests...): only what any process needs.
    environment = {key: os.environ[key] for key in PROCESS_VARIABLES if key in os.environ}
    environment.update(
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        CREDENTIAL_KEY_SECRETS=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="laurier.example.org",
        CSRF_TRUSTED_ORIGINS="https://laurier.example.org",
        SHARED_CACHE="database",
        LAURIER_DATA_DIR=str(tmp_path),
    )
    environment.update(extra)
    return environment


def load_settings(monkeypatch, environment):
    """Read laurier/settings.py afresh under `environment`, as a server starting would."""
    for key in list(os.environ):
        monkeypatch.delenv(key)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location("laurier_settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_deploy_finds_nothing_under_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_makes_every_cookie_secure_and_sends_hsts_with_subdomains(tmp_path, monkeypatch):
    production = load_settings(monkeypatch, production_environment(tmp_path))

    assert production.SESSION_COOKIE_SECURE
    assert production.CSRF_COOKIE_SECURE
    assert production.LANGUAGE_COOKIE_SECURE
    assert production.SECURE_SSL_REDIRECT
    assert production.SECURE_REDIRECT_EXEMPT == [r"^health/$"]
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert not production.SECURE_HSTS_PRELOAD
    assert production.SECURE_REFERRER_POLICY == "same-origin"
    assert production.SECURE_CROSS_ORIGIN_OPENER_POLICY == "same-origin"


def test_an_operator_can_leave_subdomains_out_of_hsts(tmp_path, monkeypatch):
    production = load_settings(
        monkeypatch, production_environment(tmp_path, HSTS_INCLUDE_SUBDOMAINS="0")
    )

    assert production.SECURE_HSTS_SECONDS
    assert not production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert "security.W005" in production.SILENCED_SYSTEM_CHECKS


def test_the_proxy_is_believed_about_https_only_when_the_operator_declares_it(
    tmp_path, monkeypatch
):
    direct = load_settings(monkeypatch, production_environment(tmp_path))
    proxied = load_settings(monkeypatch, production_environment(tmp_path, TRUSTED_PROXY_COUNT="1"))

    assert not hasattr(direct, "SECURE_PROXY_SSL_HEADER")
    assert proxied.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_without_https_cookies_stay_usable_over_http(tmp_path, monkeypatch):
    development = load_settings(monkeypatch, production_environment(tmp_path, HTTPS="0"))

    assert not hasattr(development, "SESSION_COOKIE_SECURE")
    assert not hasattr(development, "SECURE_HSTS_SECONDS")


@pytest.mark.parametrize(
    ("debug", "backend", "warned"),
    [
        (False, "django.core.cache.backends.locmem.LocMemCache", True),
        (False, "django.core.cache.backends.db.DatabaseCache", False),
        (True, "django.core.cache.backends.locmem.LocMemCache", False),
    ],
)
def test_deploy_check_warns_when_rate_limits_count_per_process(settings, debug, backend, warned):
    settings.DEBUG = debug
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "laurier_cache"}}

    assert [w.id for w in rate_limits_are_shared(None)] == (["core.W001"] if warned else [])


def test_the_cache_check_runs_with_check_deploy_only(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    def found(deploy):
        return [m.id for m in run_checks(tags=["caches"], include_deployment_checks=deploy)]

    assert "core.W001" not in found(deploy=False)
    assert "core.W001" in found(deploy=True)
