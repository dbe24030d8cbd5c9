"""PDFs are drawn from their HTML alone: WeasyPrint fetches nothing, whatever a template names."""

import socket

import pytest

from laurier.core.pdf import offline_fetcher, render_pdf

PAGE = """<!doctype html><html lang="en"><head><title>Card</title>
<link rel="stylesheet" href="https://example.org/style.css">
<style>@import url("http://example.org/more.css");
body { background: url(http://example.org/bg.png) }</style>
</head><body><h1>Thank you</h1><img src="http://example.org/x.png" alt="">
<img src="file:///etc/passwd" alt=""></body></html>"""


@pytest.fixture
def network_calls(monkeypatch):
    """Every connection or name lookup tried while the test runs (each is refused)."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return calls


def test_a_page_naming_remote_images_and_styles_renders_without_any_network_call(network_calls):
    pdf = render_pdf(PAGE)

    assert pdf.startswith(b"%PDF")
    assert network_calls == []


def test_every_address_is_refused_by_the_fetcher():
    fetcher = offline_fetcher()
    for url in ("http://example.org/x.png", "file:///etc/passwd", "data:text/plain,hi"):
        with pytest.raises(ValueError):
            fetcher(url)
