"""Pages of a person's data: export, erasure, consents, and the retention of inactive people."""
