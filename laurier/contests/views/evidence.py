"""A nomination's supporting document as a download: one answer for the managers' pages and the
juror's pages, which each decide first who may have it."""

import os

from django.http import FileResponse, Http404

from laurier.core.downloads import as_inert_download


def evidence_response(nomination):
    """The nomination's file as an attachment; 404 when it has none or storage lost it."""
    if not nomination.evidence:
        raise Http404
    try:
        handle = nomination.evidence.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=nomination.evidence_name or os.path.basename(nomination.evidence.name),
        content_type=nomination.evidence_type or "application/octet-stream",
    )
    # The stored type was detected from the bytes (uploads.py): the browser must not guess
    # another, which could render a file as a page.
    return as_inert_download(response)
