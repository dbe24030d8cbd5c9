"""Files people uploaded or Laurier wrote, handed back as downloads that no browser runs."""

# Opened by mistake in a browser tab, the file still runs nothing: no script, no form, no
# plugin, its own unique origin (not Laurier's, so no cookie or page of Laurier's is reachable).
DOWNLOAD_POLICY = "sandbox; default-src 'none'"


def as_inert_download(response):
    """Mark `response` (already an attachment) so that the browser saves it and never reads it
    as a page: no type guessing, a sandboxing policy, no cache shared between people."""
    assert response.get("Content-Disposition", "").startswith("attachment"), (
        "only attachments are made inert here"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
