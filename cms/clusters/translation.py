from modeltranslation.translator import TranslationOptions, register

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile


@register(ClusterProfile)
class ClusterProfileTR(TranslationOptions):
    fields = ("name", "region", "city", "description")


@register(ClusterDirectoryPage)
class ClusterDirectoryPageTR(TranslationOptions):
    fields = ("intro",)
