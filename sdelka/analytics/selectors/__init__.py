"""Reads of analytics: each report's selectors live in their own module of this package."""
