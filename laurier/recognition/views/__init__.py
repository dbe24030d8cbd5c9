"""Pages of the recognition app, one module per area: culture, catalog, budgets, compensation."""
