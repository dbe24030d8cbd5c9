"""PDFs made with WeasyPrint, which never fetches anything.

Every image a PDF shows is inline in its HTML. WeasyPrint's own fetcher would follow any URL a
template names (and a `base_url` built from the request's Host header), so a template that one
day loads an image would make the server call out to wherever that URL points: it is refused.
"""


def offline_fetcher():
    # Imported here: WeasyPrint loads Pango and fonts, which only a PDF download needs.
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"PDFs load nothing: {url[:100]} refused.")

    return OfflineFetcher()


def render_pdf(html: str, *, tagged: bool = True) -> bytes:
    """`html` as PDF bytes, tagged (screen readers read it in order, its tables as tables)."""
    import weasyprint

    document = weasyprint.HTML(string=html, url_fetcher=offline_fetcher())
    return document.write_pdf(pdf_tags=tagged)
