from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, numeric=False):
    """A column header that sorts the list by `key`, and tells screen readers how it is sorted."""
    current = context.get("sort", "")
    descending = current == f"-{key}"
    ascending = current == key
    next_sort = key if descending or not ascending else f"-{key}"
    query = query_with(context, sort=next_sort, page=None)
    aria = "descending" if descending else "ascending" if ascending else "none"
    arrow = " ▼" if descending else " ▲" if ascending else ""
    css = "number" if numeric else ""
    return format_html(
        '<th scope="col" aria-sort="{}" class="{}"><a href="{}">{}{}</a></th>',
        aria,
        css,
        query,
        label,
        arrow,
    )


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page):
    return {"page": page, "request": context["request"], "label": _("Pages")}


@register.inclusion_tag("includes/export_links.html", takes_context=True)
def export_links(context):
    return {"request": context["request"]}
