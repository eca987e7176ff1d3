"""Superset dashboards as code: the YAML tree in dashboards/ deployed over the REST API."""
