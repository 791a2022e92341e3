"""Pure computation: numpy, scipy, pandas. Nothing here imports Django (tests/engines checks it)."""
