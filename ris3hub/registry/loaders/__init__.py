"""Loaders that fill the registry: the Italian spin-off JSON and the registry template."""
