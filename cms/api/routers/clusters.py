"""Cluster organisation profiles."""

from ninja import Router

from cms.api import selectors
from cms.api.params import ClusterParams
from cms.api.resources import register
from cms.projections.representations import representations

router = Router(tags=["clusters"])

register(
    router,
    "clusters",
    item="cluster",
    parameters=ClusterParams,
    select=selectors.clusters,
    representation=representations().cluster,
    listed="Cluster organisations of the site's country (of every country on the hub).",
    detailed="One cluster organisation, with every field.",
    id_name="cluster_id",
)
