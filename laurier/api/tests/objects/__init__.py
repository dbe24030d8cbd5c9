"""For each API resource (by its router basename), how to make one of its rows in an
organisation: `MAKERS = {"basename": make(organisation) -> instance}` in one module per family.

The cross-organisation test walks every path of the schema with another organisation's row and
needs a maker for each resource; a resource without one fails the suite.
"""
