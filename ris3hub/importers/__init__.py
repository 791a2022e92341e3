"""Readers for open-data formats. Pure Python: they turn files into validated row dicts.

Each reader yields :class:`~ris3hub.importers.base.Row` and
:class:`~ris3hub.importers.base.RowError` items; whole-file problems (empty file, wrong
encoding, wrong delimiter, missing columns) raise :class:`~ris3hub.importers.base.InputError`.
Writing to the database happens in ``ris3hub.core.loading`` and the apps' ``loaders`` modules.
"""
