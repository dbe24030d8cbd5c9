"""Addresses given outside the site (e-mails, signed documents, QR codes) start with SITE_URL."""

from laurier.core.site_urls import absolute_url


def test_an_absolute_url_is_the_site_address_and_the_views_path(settings):
    settings.SITE_URL = "https://laurier.example.com"

    assert absolute_url("credentials:verify") == "https://laurier.example.com/verify/"


def test_a_trailing_slash_in_site_url_makes_no_double_slash(settings):
    settings.SITE_URL = "https://laurier.example.com/"

    assert absolute_url("credentials:verify") == "https://laurier.example.com/verify/"
