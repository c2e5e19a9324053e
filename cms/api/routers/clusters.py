"""Cluster organisation profiles."""

from django.http import HttpRequest
from ninja import Query, Router

from cms.api import selectors
from cms.api.http import read
from cms.api.params import ClusterDetailParams, ClusterParams, ObjectId
from cms.api.responses import detail, listing, read_context
from cms.api.schemas import clusters
from cms.projections.representations import representations

router = Router(tags=["clusters"])
OUTPUT = {"by_alias": True, "exclude_unset": True}


@read(router, "/clusters/", response=clusters.listing, url_name="clusters_list", **OUTPUT)
def list_clusters(request: HttpRequest, params: Query[ClusterParams]):
    """Cluster organisations of the site's country (of every country on the hub)."""
    context = read_context(request, params)
    return listing(context, params, selectors.clusters(context, params))


@read(
    router,
    "/clusters/{cluster_id}/",
    response=clusters.detail,
    url_name="clusters_detail",
    **OUTPUT,
)
def get_cluster(
    request: HttpRequest,
    cluster_id: ObjectId,
    params: Query[ClusterDetailParams],
):
    """One cluster organisation, with every field."""
    context = read_context(request, params)
    return detail(context, params, representations().cluster, cluster_id)
