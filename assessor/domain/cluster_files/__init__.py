"""Cluster catalogue files (``clusters/*.yaml``): a cluster's profile and the services it
offers, read and validated like questionnaires (docs/action-plans.md, "The catalogue file").

``profile`` reads a whole file (and its logo); ``service_entries`` reads and checks
services, the same way for a file and for the service form, and writes a service back as
a file's entry; ``vocabulary`` is what services may name.
"""

from assessor.domain.cluster_files.profile import (
    COLOUR,
    COMPANY_CHOOSES,
    COUNTRY,
    SLUG,
    ClusterLoad,
    ClusterProfile,
    load_cluster_file,
)
from assessor.domain.cluster_files.service_entries import check_service, service_entry
from assessor.domain.cluster_files.vocabulary import Vocabulary

__all__ = [
    "COLOUR",
    "COMPANY_CHOOSES",
    "COUNTRY",
    "SLUG",
    "ClusterLoad",
    "ClusterProfile",
    "Vocabulary",
    "check_service",
    "load_cluster_file",
    "service_entry",
]
