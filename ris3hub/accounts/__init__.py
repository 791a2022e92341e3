"""Accounts: roles (editor, coordinator, analyst, administrator), the site login, a person's own data."""
