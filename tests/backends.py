"""The two backends of the data door, as one test case each: the same test body runs on both.

``backend`` (tests/conftest.py) gives a :class:`Case`: ``case.source`` is what ``open_dataset`` and
``Settings(data_path=...)`` take, ``case.backend`` the :class:`geodata.backend.Backend`, ``case.cli`` the
``python -m geodata`` options that name it. What differs in how the two keep versions (a folder of files, rows
and schemas of a database) is behind the few methods below.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from dashboard.config import Settings
from geodata import backend_for, db
from geodata.backend import Backend
from geodata.dataset import forget
from geodata.store import DATA_FILE, POINTER, STAGING, VERSIONS


@dataclass
class Case:
    kind: str  # "gpkg" | "postgis"
    source: Path | str  # the store folder, or the database URL
    folder: Path  # the folder of the app's other files (the store itself for gpkg)

    @property
    def backend(self) -> Backend:
        return backend_for(self.source)

    @property
    def cli(self) -> list[str]:
        """Options of ``python -m geodata`` naming this store."""
        if self.kind == "gpkg":
            return ["--store", str(self.source)]
        return ["--database", str(self.source), "--store", str(self.folder)]

    @property
    def env(self) -> dict[str, str]:
        """The environment a subprocess (CLI, app server) needs to use this store."""
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAIHUA_DATA")}
        if self.kind == "gpkg":
            return {**env, "KAIHUA_DATA": str(self.source)}
        return {**env, "DATABASE_URL": str(self.source), "KAIHUA_DATA_STORE": str(self.folder)}

    def settings(self, **kw) -> Settings:
        if self.kind == "gpkg":
            return Settings(data_path=self.source, **kw)
        return Settings(database_url=str(self.source), state_dir=self.folder, **kw)

    def published(self) -> tuple:
        """Everything a reader can see of the published data: the pointer and every published version's content
        (the files of its folder; the rows and schemas of the database)."""
        if self.kind == "gpkg":
            store = Path(self.source)
            pointer = (store / POINTER).read_bytes() if (store / POINTER).exists() else None
            listed = {v.id for v in self.backend.list_versions()}
            files = sorted((p.relative_to(store).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                           for vid in listed for p in (store / VERSIONS / vid).rglob("*")
                           if p.is_file() and p.name != "pending")
            return pointer, tuple(files)
        with db.engine(str(self.source)).connect() as conn:
            insp = sa.inspect(conn)
            if not insp.has_table("current", schema="kaihua"):
                return None, ()
            current = conn.execute(sa.text("select version_id from kaihua.current")).scalar()
            rows = conn.execute(sa.text("select id, content from kaihua.versions order by id")).all()
            schemas = sorted(s for s in insp.get_schema_names() if s.startswith("v"))
        return current, tuple(map(tuple, rows)), tuple(schemas)

    def leftovers(self) -> list[str]:
        """What a stopped import left that is not a published version (staging folders or rows, schemas)."""
        listed = {v.id for v in self.backend.list_versions()}
        if self.kind == "gpkg":
            store = Path(self.source)
            out = [p.name for p in (store / STAGING).iterdir()] if (store / STAGING).is_dir() else []
            return out + [p.name for p in (store / VERSIONS).iterdir() if p.name not in listed]
        with db.engine(str(self.source)).connect() as conn:
            schemas = [s for s in sa.inspect(conn).get_schema_names() if s.startswith("v") and s not in listed]
            staged = conn.execute(sa.text("select token from kaihua.staged")).scalars().all()
        return schemas + list(staged)

    def damage(self, version_id: str) -> str:
        """Change a published version behind the store's back (a failing disk, a stray UPDATE); returns the
        words the refusal names it by."""
        if self.kind == "gpkg":
            path = Path(self.source) / VERSIONS / version_id / DATA_FILE
            os.chmod(path, 0o644)
            data = bytearray(path.read_bytes())
            middle = len(data) // 2
            data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
            path.write_bytes(bytes(data))
            return f"{version_id}/kaihua.gpkg changed on disk"
        with db.engine(str(self.source)).begin() as conn:
            conn.execute(sa.text(f'update "{version_id}".villages set name = name || \'!\' where _row = 0'))
        return f"postgis:{version_id}: layer 'villages' changed in the database"

    def forget(self) -> None:
        """This process holds nothing of the store any more (as a process just started)."""
        forget(self.source)
