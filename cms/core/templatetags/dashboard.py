from django import template

from cms.core.dashboard import site_name_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_site_name(context) -> str:
    """The editor's site, named by its country in the admin's language (cms.core.dashboard)."""
    return site_name_for(context["request"].user)
