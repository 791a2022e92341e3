"""ris3hub: a platform for regional innovation ecosystems under EU Smart Specialisation."""

__version__ = "0.1.0"
