"""Commands of the `ris3hub` CLI that belong to no single Django app (listed in ris3hub.cli.COMMAND_MODULES)."""
