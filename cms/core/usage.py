"""What Wagtail's usage count misses: many-to-many links.

Wagtail counts the uses of an object from its reference index, which keeps no
many-to-many link (wagtail#9629). The delete confirmations of snippets (sectors, cluster
profiles, partners, contacts) add those links here, so a sector in use is never
"referenced 0 times".
"""

from wagtail.snippets.views import snippets as snippet_views


def many_to_many_uses(obj) -> int:
    """How many objects link ``obj`` through a many-to-many field (news items naming a
    sector or a cluster profile, profiles in a sector)."""
    return sum(
        getattr(obj, relation.get_accessor_name()).count()
        for relation in obj._meta.related_objects
        if relation.many_to_many and not relation.hidden  # hidden: no way back (search's)
    )


class CountsManyToManyUses:
    """A delete confirmation counting many-to-many links too. Wagtail counts what its
    reference index holds, which keeps no many-to-many link (wagtail#9629): a sector of
    four news items, or a cluster profile two news items name, was "referenced 0 times",
    and deleting it took it off every one of them without a word."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "usage_count" in context:
            context["usage_count"] += many_to_many_uses(self.object)
        return context


class CountingDeleteView(CountsManyToManyUses, snippet_views.DeleteView):
    pass
