from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, label, url_name, *args, exact=False):
    """A menu link that tells assistive technology (and the eye) which section is open."""
    url = reverse(url_name, args=args)
    path = context["request"].path
    current = path == url if exact else path.startswith(url)
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
