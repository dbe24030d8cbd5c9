"""One module per family of resources; each lists its ROUTES as (prefix, viewset, basename)."""

from . import people, programs

RESOURCE_MODULES = (programs, people)
