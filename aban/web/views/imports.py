"""Imports from the app, for analysts: upload a list, preview it, adjust its mapping,
import it (or a new version of a source's list); retract or restore a source.

The same functions as ``aban import`` do the work: :func:`preview_file` (``aban
import --preview``), :func:`import_file` and, for a new version of a list,
:func:`replace_list`; a source's retraction is ``aban source retract``'s. The
upload is read and kept in memory only (:mod:`aban.web.uploads`) and handed to
them as an in-memory file (:func:`aban.web.entry.memory_file`): nothing of it is
written to disk but the records the import stores in the encrypted register.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from aban.errors import ConfigError
from aban.ingest.importer import SkipMode, event_dates, import_file
from aban.ingest.issues import FileIssueError, Issue
from aban.ingest.mapping import RAW_ONLY, ColumnMapping, one_column_each
from aban.ingest.preview import Preview, preview_file
from aban.store.workspace import Workspace
from aban.vocab.columns import ALL_COLUMNS
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.entry import memory_file
from aban.web.uploads import Upload
from aban.web.views.records import source_names
from aban.workflow.corrections import replace_list, restore_source, retract_source

#: Issues a page lists one by one (all are counted by code).
LISTED = 50


def _mapping(upload: Upload) -> ColumnMapping:
    columns = json.loads(upload.fields.get("mapping", "{}") or "{}")
    return ColumnMapping(columns=columns) if columns else ColumnMapping()


def _preview(ctx: Ctx, upload: Upload) -> Preview:
    db = ctx.state.db
    return preview_file(
        memory_file(upload.name, upload.data),
        db.settings,
        source=upload.fields.get("source") or None,
        mapping=_mapping(upload),
        event=event_dates(db.path),
    )


async def _page(ctx: Ctx, status: int = 200, **values: Any) -> Response:
    values.setdefault("error", "")
    return ctx.render(
        "imports.html",
        status,
        sources=await ctx.read(source_names),
        **values,
    )


async def _preview_page(
    ctx: Ctx, upload: Upload, status: int = 200, error: str = ""
) -> Response:
    try:
        preview = await run_in_threadpool(_preview, ctx, upload)
    except (FileIssueError, ConfigError) as err:
        issue = err.issue if isinstance(err, FileIssueError) else None
        return await _page(ctx, 400, upload=upload, file_issue=issue or str(err))
    return await _page(
        ctx,
        status,
        upload=upload,
        preview=preview,
        targets=ALL_COLUMNS,
        listed=preview.issues[:LISTED],
        error=error,
    )


@guard("analyst")
async def imports_page(ctx: Ctx) -> Response:
    """GET /imports: the upload form, the list waiting (if any), and retraction."""
    upload = ctx.state.uploads.get(ctx.user.digest)
    if upload is not None:
        return await _preview_page(ctx, upload)
    return await _page(ctx)


@guard("analyst", upload=True)
async def imports_upload(ctx: Ctx) -> Response:
    """POST /imports: keep the uploaded list (in memory) and preview it."""
    upload: Upload = ctx.request.state.upload
    source = upload.fields.get("new_source", "").strip() or upload.fields.get(
        "source", ""
    )
    if not upload.name or not source.strip():
        return await _page(ctx, 400, error="upload_error")
    fields = {
        "source": source.strip(),
        "replace": upload.fields.get("replace", ""),
        "skip": upload.fields.get("skip", ""),
    }
    kept = Upload(upload.name, upload.data, fields)
    ctx.state.uploads.keep(ctx.user.digest, kept)
    return await _preview_page(ctx, kept)


def _chosen(ctx: Ctx) -> dict[str, str] | None:
    """The mapping chosen on the preview: file column -> records column, or
    :data:`RAW_ONLY` for a column kept as raw data (even one whose header names a
    records column); None if two columns chose one target."""
    assert ctx.form is not None
    headers = ctx.form.getlist("header")
    targets = ctx.form.getlist("target")
    chosen = {
        str(h): str(t)
        for h, t in zip(headers, targets, strict=False)
        if t in ALL_COLUMNS or t == RAW_ONLY
    }
    return chosen if one_column_each(chosen.values()) else None


@guard("analyst")
async def imports_preview(ctx: Ctx) -> Response:
    """POST /imports/preview: preview the waiting list again with another mapping."""
    upload = ctx.state.uploads.get(ctx.user.digest)
    if upload is None:
        return await _page(ctx, 400, error="no_upload")
    chosen = _chosen(ctx)
    if chosen is None:
        return await _preview_page(ctx, upload, 400, "mapping_twice")
    fields = {**upload.fields, "mapping": json.dumps(chosen, ensure_ascii=False)}
    kept = Upload(upload.name, upload.data, fields)
    ctx.state.uploads.keep(ctx.user.digest, kept)
    return await _preview_page(ctx, kept)


def _import(ws: Workspace, upload: Upload) -> tuple[Any, dict[str, int] | None]:
    path = memory_file(upload.name, upload.data)
    source, mapping = upload.fields["source"], _mapping(upload)
    # As --skip-invalid rows: the valid rows are imported, the others recorded.
    skip: SkipMode | bool = "rows" if upload.fields.get("skip") else False
    if upload.fields.get("replace"):
        replaced = replace_list(ws, path, source, mapping=mapping, skip_invalid=skip)
        return replaced.result, replaced.result.changes
    return import_file(
        ws, path, source=source, mapping=mapping, skip_invalid=skip
    ), None


@guard("analyst")
async def imports_import(ctx: Ctx) -> Response:
    """POST /imports/import: import the waiting list as previewed."""
    upload = ctx.state.uploads.get(ctx.user.digest)
    if upload is None:
        return await _page(ctx, 400, error="no_upload")
    try:
        result, changes = await ctx.write(_import, upload)
    except (FileIssueError, ConfigError) as err:
        issue = err.issue if isinstance(err, FileIssueError) else None
        return await _page(ctx, 400, upload=upload, file_issue=issue or str(err))
    if result.refused:
        errors: list[Issue] = result.errors
        return await _page(
            ctx, 400, upload=upload, result=result, listed=errors[:LISTED]
        )
    ctx.state.uploads.end(ctx.user.digest)
    # The rows refused (with the valid rows only), listed.
    refused = result.errors[:LISTED]
    return await _page(ctx, result=result, changes=changes, listed=refused)


def _source_change(ws: Workspace, action: str, name: str, reason: str) -> Any:
    if action == "retract":
        return retract_source(ws, name, reason)
    return restore_source(ws, name)


@guard("analyst")
async def imports_source(ctx: Ctx) -> Response:
    """POST /imports/source: retract a source (with a reason) or restore it."""
    action = ctx.field("action", 20)
    if action not in ("retract", "restore"):
        raise HTTPException(400)
    name, reason = ctx.field("source", 200).strip(), ctx.field("reason", 2000)
    try:
        await ctx.write(_source_change, action, name, reason.strip())
    except ConfigError as err:
        return await _page(ctx, 400, error_text=str(err))
    done = "source_retracted" if action == "retract" else "source_restored"
    return RedirectResponse(f"/imports?done={done}", status_code=303)
