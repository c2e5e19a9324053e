"""Template tags for discovery: the ``<head>`` metadata, an event's calendar link and
where a listing's card links.

``templates/includes/head_meta.html`` calls ``{% head_meta as meta %}``; event
templates can offer "Add to calendar" with ``{% calendar_url page %}``; cards call
``{% card_link item as link %}``; text of a snippet in another language than the page's
is marked with ``{% other_language snippet as code %}``, a page's own field shown in the
language it fell back to with ``{% text_language page "body" as code %}``.
"""

from django import template

from cms.core import alternates, seo

register = template.Library()


@register.simple_tag(takes_context=True)
def head_meta(context) -> dict:
    """Canonical, description, OpenGraph, feeds and JSON-LD for the page being rendered."""
    return seo.head_meta(context)


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> list[dict]:
    """``{% hreflang_links as links %}``: the ``<link rel="alternate" hreflang>`` of the page."""
    return alternates.hreflang_links(context)


@register.simple_tag(takes_context=True)
def calendar_url(context, event_page) -> str:
    """Absolute URL of ``event_page``'s ``.ics`` file, in the language the visitor reads it in."""
    request = context.get("request")
    if request is None or event_page is None:
        return ""
    return seo.calendar_url(request, event_page)


@register.simple_tag(takes_context=True)
def card_link(context, item, directory=None):
    """``{% card_link item as link %}``: a listing card's URL and the language of its text."""
    return alternates.card_link(context["request"], item, directory)


@register.simple_tag(takes_context=True)
def other_language(context, obj) -> str:
    """``{% other_language snippet as code %}``: the language of ``snippet``'s text when it
    is not the page's (for a ``lang`` attribute), else ""."""
    request = context.get("request")
    if request is None or obj is None:
        return ""
    return alternates.other_language(request, obj)


@register.simple_tag
def text_language(obj, field: str) -> str:
    """``{% text_language page "body" as code %}``: the language ``obj``'s translated
    ``field`` is shown in when it fell back from the page's (for ``lang``), else ""."""
    return alternates.text_language(obj, field) if obj is not None else ""
