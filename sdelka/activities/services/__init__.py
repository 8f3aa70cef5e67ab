"""Writes of the activities app, one module per kind of record."""
