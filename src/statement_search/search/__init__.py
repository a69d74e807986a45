"""Search, engine-neutral: requests, filters, budgets, paging, wording, highlights, facets."""
