"""What an API token may do: read or write, one family of resources at a time.

A scope is "<family>:read" or "<family>:write"; write implies read. The families group the
resources the way an organisation's systems use them: an HR system writes people, a mentoring
platform writes sessions, a reporting tool only reads.
"""

from django.utils.translation import gettext_lazy as _

READ = "read"
WRITE = "write"

# (family, label, what writing allows; empty when the family is read-only)
FAMILIES = (
    ("programs", _("Programs and cycles"), ""),
    ("people", _("People, enrolments and pairings"), _("add and change people, enrol, pair")),
    ("sessions", _("Mentoring sessions and training hours"), _("log sessions")),
    (
        "recognition",
        _("Recognition: catalogue, budgets, plans and awards"),
        _("give awards"),
    ),
    ("surveys", _("Survey campaigns and their aggregate results"), ""),
    ("credentials", _("Badges and credentials"), ""),
    ("contests", _("Mentor-of-the-year contests"), ""),
    ("imports", _("People files from the HR system"), _("send a people file")),
)

FAMILY_NAMES = tuple(family for family, _label, _write in FAMILIES)
WRITABLE_FAMILIES = tuple(family for family, _label, write in FAMILIES if write)


def scope_name(family, access):
    return f"{family}:{access}"


ALL_SCOPES = tuple(
    scope_name(family, access)
    for family in FAMILY_NAMES
    for access in ((READ, WRITE) if family in WRITABLE_FAMILIES else (READ,))
)


def allows(scopes, family, access):
    """True when `scopes` (a token's list) let it `access` ("read" or "write") `family`."""
    if scope_name(family, WRITE) in scopes:
        return True
    return access == READ and scope_name(family, READ) in scopes


ACCESS_LABELS = {READ: _("read"), WRITE: _("read and write")}


def described(scopes):
    """What `scopes` allow in words: (family label, access label) per family reached, in the
    order of FAMILIES; write, which includes read, named alone."""
    return [
        (label, ACCESS_LABELS[WRITE if allows(scopes, family, WRITE) else READ])
        for family, label, _write in FAMILIES
        if allows(scopes, family, READ)
    ]
