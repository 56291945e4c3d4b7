"""Cluster insights: what a cluster's companies need, computed in the database from the
facets of the assessments shared with the cluster (and its one-to-one assessments), never
of fewer companies than the group minimum (see ``suppression``)."""
