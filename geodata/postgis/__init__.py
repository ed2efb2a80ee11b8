"""PostgreSQL + PostGIS behind the ``geodata`` door (used only when ``DATABASE_URL`` names a database).

- :mod:`geodata.postgis.tables`: the bookkeeping tables (versions, the current-version row, staged candidates).
- :mod:`geodata.postgis.layers`: one version's layers: written with ``to_postgis``/``to_sql``, read with
  ``read_postgis``/``read_sql``, each checked against the content hash recorded when it was published.
- :mod:`geodata.postgis.versions`: stage, publish (one transaction), list, roll back.
- :mod:`geodata.postgis.guard`: whether a published version is still as published: a cheap catalog stamp, and
  the full hash check only when it moved.
- :mod:`geodata.postgis.store`: the backend object and the cheap per-process poll of the current version.
- :mod:`geodata.postgis.spatial`: spatial work done in the database (a county's villages, simplified per zoom).

Nothing here connects at import time.
"""
