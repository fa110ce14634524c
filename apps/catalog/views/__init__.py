"""Catalog pages, one module per page group; ``apps.catalog.urls`` routes all of them
under the ``catalog`` namespace."""
