"""Brokerage-event meeting scheduler: ``solve.solve(event_document, time_limit)`` (docs/scheduling.md)."""
