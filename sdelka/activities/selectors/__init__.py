"""Reads of the activities app, one module per kind of record; always through the user's scope."""
