"""The databases one emulated server hosts, and the ``db`` service's management of them.

Odoo's ``db`` service creates, duplicates, dumps, restores, renames and drops PostgreSQL
databases. The emulator does the same in memory: a database created here is a fresh
:class:`~odoorm.testing.orm.Database` (demo data or the base schema), a duplicate or a
restored dump is a copy of another one's records, and a dropped one is gone from ``list``
and refuses logins. A dump is a zip holding ``dump.sql`` and ``manifest.json`` like Odoo's,
plus the records as a seed (``odoorm.json``); ``dump.sql`` holds no SQL, so a real server
cannot restore it (nor can the emulator restore a real dump).

Refusals carry the shapes real servers answer (recorded on 17: ``DatabaseExists``,
psycopg2's ``InvalidCatalogName`` / ``DuplicateDatabase`` / ``OperationalError``, "Database
already exists", the ``KeyError`` of a zip without ``dump.sql``).
"""

from __future__ import annotations

import base64
import io
import json
import threading
import zipfile
from typing import Any

from odoorm.testing import errors
from odoorm.testing.protocols import OperationalError
from odoorm.testing.store import Table

#: what the emulator writes in place of pg_dump's output
DUMP_SQL = b"-- odoorm emulator dump: the records are in odoorm.json, not SQL\n"


class DatabaseExists(errors.OdooServerError):
    """``create_database`` on a name already taken (Odoo's ``odoo.service.db.DatabaseExists``)."""

    name = "odoo.service.db.DatabaseExists"

    def __init__(self, db: str):
        super().__init__(f"database {db!r} already exists!")


class ServerException(errors.OdooServerError):
    """A bare ``Exception`` raised by Odoo's db service ("Database already exists")."""

    name = "builtins.Exception"


def snapshot(database: Any) -> dict[str, Any]:
    """The records of ``database`` as a seed (``{"models": ...}``) with its logins."""
    models: dict[str, Any] = {}
    for name, table in database.tables.items():
        assert isinstance(table, Table)
        models[name] = {
            "fields": table.fields,
            "records": list(table.rows.values()),
            "next_id": table.next_id,
        }
    seed = {"models": models, "passwords": database.passwords}
    # a round trip through JSON: the copy shares nothing with the original
    copied: dict[str, Any] = json.loads(json.dumps(seed, default=str))
    return copied


class Catalogue:
    """Name -> database of one server; the first one (the emulator's own) cannot be dropped."""

    def __init__(self, main: str, database: Any, version: int, server_version: dict[str, Any]):
        self.main = main
        self.version = version
        self.server_version = server_version
        self.databases: dict[str, Any] = {main: database}
        self.lock = threading.Lock()

    def names(self) -> list[str]:
        with self.lock:
            return sorted(self.databases)

    def get(self, name: Any) -> Any:
        with self.lock:
            return self.databases.get(name) if isinstance(name, str) else None

    def _build(self, name: str, data: Any) -> Any:
        from odoorm.testing.orm import Database  # the ORM imports nothing from here

        main = self.databases[self.main]
        passwords = data.pop("passwords", None) if isinstance(data, dict) else None
        database = Database(name=name, version=self.version, data=data, now=main.clock)
        if passwords:
            database.passwords = dict(passwords)
        return database

    def _add(self, name: str, database: Any) -> None:
        with self.lock:
            if name in self.databases:
                raise errors.DatabaseError(
                    "DuplicateDatabase", f'database "{name}" already exists\n'
                )
            self.databases[name] = database

    # -- the db service ---------------------------------------------------------------
    def create(
        self,
        name: str,
        demo: Any,
        lang: Any = "en_US",
        password: str = "admin",
        login: str = "admin",
    ) -> bool:
        if self.get(name) is not None:
            raise DatabaseExists(name)
        database = self._build(name, "demo" if demo else None)
        with database.lock:
            admin = database.uid_for_login("admin")
            if login != "admin" and admin is not None:
                database.tables["res.users"].rows[admin]["login"] = login
                database.passwords.pop("admin", None)
            database.passwords[login] = password
        self._add(name, database)
        return True

    def duplicate(self, source: str, name: str) -> bool:
        original = self.get(source)
        if original is None:
            raise errors.DatabaseError(
                "InvalidCatalogName", f'template database "{source}" does not exist\n'
            )
        if self.get(name) is not None:
            raise errors.DatabaseError("DuplicateDatabase", f'database "{name}" already exists\n')
        with original.lock:
            seed = snapshot(original)
        self._add(name, self._build(name, seed))
        return True

    def drop(self, name: Any) -> bool:
        if name == self.main:
            raise errors.UserError("The emulator cannot drop the database it serves.")
        with self.lock:
            return self.databases.pop(name, None) is not None

    def rename(self, old: str, new: str) -> bool:
        if old == self.main:
            raise errors.UserError("The emulator cannot rename the database it serves.")
        database = self.get(old)
        if database is None:
            raise ServerException(
                f'Couldn\'t rename database {old} to {new}: database "{old}" does not exist\n'
            )
        self._add(new, database)
        with self.lock:
            del self.databases[old]
        database.name = new
        return True

    def dump(self, name: str, fmt: Any = "zip") -> str:
        database = self.get(name)
        if database is None:
            raise OperationalError(name)
        with database.lock:
            seed = snapshot(database)
        manifest: dict[str, Any] = {
            "odoo_dump": "1",
            "db_name": name,
            "version": self.server_version.get("server_version"),
            "version_info": self.server_version.get("server_version_info"),
            "major_version": f"{self.version}.0",
            "pg_version": "15.0",
            "modules": {},
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("dump.sql", DUMP_SQL)
            archive.writestr("manifest.json", json.dumps(manifest, indent=4))
            archive.writestr("odoorm.json", json.dumps(seed))
        return base64.b64encode(buffer.getvalue()).decode()

    def restore(self, name: str, data: Any) -> bool:
        if self.get(name) is not None:
            raise ServerException("Database already exists")
        try:
            archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(str(data))))
        except (ValueError, zipfile.BadZipFile) as exc:
            raise ServerException("Couldn't restore database") from exc
        with archive:
            if "dump.sql" not in archive.namelist():
                raise errors.key_error("There is no item named 'dump.sql' in the archive")
            if "odoorm.json" not in archive.namelist():
                # a real server's dump: SQL the emulator cannot replay
                raise ServerException("Couldn't restore database")
            seed = json.loads(archive.read("odoorm.json"))
        self._add(name, self._build(name, seed))
        return True
