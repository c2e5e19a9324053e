"""The dashboard names the editor's site by its country, in the editor's language.

Wagtail names the site the user's pages are under by ``Site.site_name``: one
string ("Czech Republic"), shown in the dashboard's heading and in its counts
("11 pages created in Czech Republic"). A country's site is its ``Country``,
whose name is translated, so the admin reads it in the editor's language
("Česká republika") along the fallback chain. The heading is
``templates/wagtailadmin/home.html``'s ``branding_welcome`` block (Wagtail's
documented branding point); the counts are Wagtail's summary items with the
name replaced (``construct_homepage_summary_items`` in ``wagtail_hooks``).
"""

from __future__ import annotations

from wagtail.admin.navigation import get_site_for_user


def site_name_for(user) -> str:
    """The name of the site the user's pages are under, in the active language."""
    details = get_site_for_user(user)
    site = details["root_site"]
    country = getattr(site, "country", None) if site is not None else None
    if country is not None and country.name:
        return country.name
    return details["site_name"]


class CountryNamedSummaryItem:
    """Mixin for Wagtail's dashboard summary items: the site named by its country."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if "site_name" in context:
            context["site_name"] = site_name_for(self.request.user)
        return context


def country_named(item):
    """The same summary item, naming the site by its country."""
    if isinstance(item, CountryNamedSummaryItem):
        return item
    named = type(f"CountryNamed{type(item).__name__}", (CountryNamedSummaryItem, type(item)), {})
    return named(item.request)
