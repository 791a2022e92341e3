"""Backups of the whole database that restore exactly, on SQLite or PostgreSQL, whichever made them.

A backup is a zip file:

- ``manifest.json``: format and version, the ris3hub and Django versions, when it was made, the
  database it was made from, the applied migrations of each app, and for each table its columns,
  row count, checksum (ris3hub.backup.codec) and the next id of its sequence;
- ``tables/<table>.jsonl``: the table's rows, one JSON array a line, by primary key.

Every table of the code's models is in it (auth, sessions, content types, the auto-created
many-to-many tables), read in one transaction, in chunks: memory stays flat whatever the size.
Files of the data directory are not: the search index is derived from the database and rebuilt
with ``ris3hub search-index rebuild`` (the ``restore`` command detaches the old one, keeping the
embedding cache, which is keyed by text and stays valid).

``write_backup(path)`` writes one; ``restore_backup(path, force=False)`` restores one or raises
``BackupError`` with every reason, leaving the database as it was.
"""

from ris3hub.backup.dump import BackupSummary, write_backup
from ris3hub.backup.restore import BackupError, RestoreSummary, check_backup, restore_backup

__all__ = ["BackupError", "BackupSummary", "RestoreSummary", "check_backup", "restore_backup", "write_backup"]
