"""Monitoring engines: projecting an indicator's series to its target year."""
