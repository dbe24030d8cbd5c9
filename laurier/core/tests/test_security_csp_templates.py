"""Every page template keeps to the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY):
no inline script, no inline style, no event-handler attribute, no javascript: address. The
browser test (browser_tests/test_content_security_policy.py) proves it for a few pages in
Chromium; this reads all of them, so that a new page cannot bring one back."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Never shown by a browser from Laurier's origin: e-mails, PDFs drawn by WeasyPrint, and the
# spotlight's HTML export, handed over as a download.
NOT_PAGES = {
    "credentials/templates/credentials/certificate.html",
    "hours/templates/hours/certificate.html",
    "insights/templates/insights/reports/document.html",
    "recognition/templates/recognition/notes/card.html",
    "recognition/templates/recognition/spotlights/export.html",
}

REFUSED = {
    "inline style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "event-handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


TEMPLATE_COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def markup(relative):
    """The template's text without its comments, which never reach the browser."""
    return TEMPLATE_COMMENTS.sub("", (ROOT / relative).read_text())


def page_templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if "/email/" in relative or relative in NOT_PAGES:
            continue
        yield relative


def test_the_page_templates_are_found():
    assert len(list(page_templates())) > 100


@pytest.mark.parametrize("kind", REFUSED)
def test_no_page_template_needs_what_the_policy_refuses(kind):
    # JSON data blocks (<script type="application/json">, json_script) run nothing: allowed.
    offenders = [
        relative
        for relative in page_templates()
        for match in REFUSED[kind].finditer(markup(relative))
        if "application/json" not in match.group(0)
    ]

    assert offenders == []


SCRIPT_REFUSED = re.compile(
    r"""setAttribute\(\s*["']style|\beval\(|new Function\(|\.cssText\s*=|insertAdjacentHTML|"""
    r"""<style""",
)


def test_no_script_of_laurier_writes_what_the_policy_refuses():
    # Setting element.style.x from a script is allowed (CSSOM); writing a style attribute or a
    # <style> element, or evaluating text as code, is not.
    scripts = [path for path in ROOT.glob("**/static/**/*.js") if "vendor" not in path.parts]
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in scripts
        if SCRIPT_REFUSED.search(path.read_text())
    ]

    assert len(scripts) > 10
    assert offenders == []
