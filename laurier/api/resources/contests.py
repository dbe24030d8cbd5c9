"""Placeholder: its helper writes this module."""

ROUTES = []
