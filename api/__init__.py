"""Siaga 112: the Litestar service."""
