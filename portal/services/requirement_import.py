"""Importing a requirements spreadsheet from the portal (PMs and admins).

The import itself (reading CSV/XLSX, checking every row, refusing the whole file on any
problem, audit) is :mod:`governance.requirements.spreadsheets`, shared with the CLI; this adds
only what the portal decides: who may import, into which module, and how an uploaded file
reaches the importer (a file of its own name in a temporary directory, since the name is
what the problem lines cite and its ending picks the format).
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlmodel import Session

from governance import access
from governance.registry.models import User
from governance.requirements import spreadsheets
from governance.requirements.spreadsheets import ImportResult
from governance.requirements.tables import MAX_BYTES

CHUNK = 1024 * 1024


def upload_name(filename: str | None) -> str:
    """The uploaded file's own name, without any folder a browser or a client sent with it."""
    name = PurePosixPath((filename or "").replace("\\", "/").replace("\x00", "")).name
    return name if name not in ("", ".", "..") else "upload"


def import_upload(
    session: Session, *, user: User, module_key: str, filename: str | None, data: BinaryIO
) -> ImportResult:
    """Import an uploaded spreadsheet into ``module_key`` for ``user`` (403, 404, 422 otherwise).

    Copying stops once past the importer's limit, so an oversized upload is refused (as "file
    is too large") without being written whole.
    """
    access.require(access.can_manage(user), "import requirements")
    module = access.readable_module(session, user, module_key)
    with tempfile.TemporaryDirectory(prefix="govern-import-") as folder:
        path = Path(folder) / upload_name(filename)
        with path.open("wb") as target:
            copied = 0
            while copied <= MAX_BYTES and (chunk := data.read(CHUNK)):
                copied += target.write(chunk)
        return spreadsheets.import_requirements(session, module=module, path=path, actor=user.name)
