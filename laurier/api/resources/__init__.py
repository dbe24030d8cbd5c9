"""One module per family of resources; each lists its ROUTES as (prefix, viewset, basename)."""

from . import contests, credentials, imports, people, programs, recognition, sessions, surveys

RESOURCE_MODULES = (
    programs,
    people,
    sessions,
    recognition,
    surveys,
    credentials,
    contests,
    imports,
)
