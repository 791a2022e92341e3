"""API tokens: a user's named secrets for the REST API, each limited to scopes (read, write, export)."""
