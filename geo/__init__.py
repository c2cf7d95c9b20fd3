"""Geometry for Siaga 112 that knows nothing of the API."""
