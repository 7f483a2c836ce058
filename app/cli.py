"""The ``thaksa`` command line."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import signal
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from app.domain.principal import Principal, PrincipalKind, Role
from app.settings import REPO_ROOT, get_settings

T = TypeVar("T")

cli = typer.Typer(
    help="Thaksa: the civil service's digital-skills programme as a service.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
token_cli = typer.Typer(help="User tokens for development and operations.", no_args_is_help=True)
client_cli = typer.Typer(help="Integration clients (API keys).", no_args_is_help=True)
contract_cli = typer.Typer(
    help="The client contract (OpenAPI and GraphQL schema).", no_args_is_help=True
)
seed_cli = typer.Typer(help="Framework data shipped in seed/.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(token_cli, name="token")
cli.add_typer(client_cli, name="client")
cli.add_typer(contract_cli, name="contract")
cli.add_typer(seed_cli, name="seed")
xapi_cli = typer.Typer(help="The xAPI learning record store (/xapi).", no_args_is_help=True)
cli.add_typer(xapi_cli, name="xapi")
demo_cli = typer.Typer(help="Synthetic demo data.", no_args_is_help=True)
cli.add_typer(demo_cli, name="demo")
report_cli = typer.Typer(help="Agency reports: exports.", no_args_is_help=True)
cli.add_typer(report_cli, name="report")
fonts_cli = typer.Typer(help="The Thai font of the printed documents.", no_args_is_help=True)
cli.add_typer(fonts_cli, name="fonts")


def _operator() -> Principal:
    """Commands run on the server act as a central administrator named after the OS user."""
    return Principal(
        kind=PrincipalKind.USER,
        subject=f"cli:{getpass.getuser()}",
        roles=frozenset({Role.CENTRAL_ADMIN}),
    )


def _prepare_database() -> str:
    """For `serve` and `db upgrade`: the configured database, created (and, for the embedded one,
    started) if need be and migrated to head; named on stderr. Returns its URL."""
    from app.db.engine import describe_database, ensure_database, resolve_database_url
    from app.db.migrate import upgrade_to_head

    settings = get_settings()
    typer.echo(f"database: {describe_database(settings)}", err=True)
    url = resolve_database_url(settings)
    asyncio.run(ensure_database(url))
    upgrade_to_head(url)
    return url


def _server_database() -> str:
    """For every other command: the database `thaksa serve` uses with the same settings, named on
    stderr, as it is. A database that does not exist, an embedded cluster no server is running
    (the server was started with another THAKSA_DATA_DIR, or not at all) and a schema not at this
    version's head are refused: creating or migrating one here would hand out keys and data a
    running server never sees. Returns its URL."""
    from app.db.embedded import cluster_state
    from app.db.engine import describe_database, resolve_database_url

    settings = get_settings()
    where = describe_database(settings)
    typer.echo(f"database: {where}", err=True)
    if settings.uses_embedded_database:
        pgdata = (settings.data_dir / "pg").resolve()
        state = cluster_state(settings.data_dir)
        if state == "missing":
            _refuse(
                f"there is no database in {pgdata}. Operator commands use the database of"
                " `thaksa serve` and never create one: run this command with the THAKSA_DATA_DIR"
                " (or THAKSA_DATABASE_URL) the server was started with, or create this database"
                " with `thaksa db upgrade`."
            )
        if state == "stopped":
            _refuse(
                f"the embedded PostgreSQL in {pgdata} is not running, so no `thaksa serve` uses"
                " it now (a server started with another THAKSA_DATA_DIR or THAKSA_DATABASE_URL"
                " uses another database). Run this command with the server's THAKSA_DATA_DIR, or"
                " start `thaksa serve` on this one first."
            )
    url = resolve_database_url(settings)
    problem = asyncio.run(_schema_problem(url))
    if problem:
        _refuse(f"{where}: {problem}")
    return url


async def _schema_problem(url: str) -> str | None:
    """Why the database at ``url`` is not one a server of this version runs on (None: it is)."""
    import asyncpg

    from app.db.engine import database_exists
    from app.db.migrate import head_revision, known_revisions, schema_revision

    try:
        if not await database_exists(url):
            return (
                "this database does not exist. Operator commands never create one: set"
                " THAKSA_DATABASE_URL as for the server, or create it with `thaksa db upgrade`."
            )
        current = await schema_revision(url)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return f"cannot connect ({type(exc).__name__}: {exc})"
    head = head_revision()
    if current == head:
        return None
    if current is None:
        return (
            "this database has no Thaksa schema (no server has run on it): use the server's"
            " settings, or prepare it with `thaksa db upgrade`."
        )
    if current in known_revisions():
        return (
            f"the schema is at {current} but this version of Thaksa needs {head}: run"
            " `thaksa db upgrade` (a server of this version does it when it starts)."
        )
    return (
        f"the schema is at {current}, which this version of Thaksa does not know (a newer"
        " version migrated it): use that version's `thaksa`."
    )


def _refuse(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _run_in_session(url: str, work: Callable[..., Awaitable[T]]) -> T:
    from app.runtime import Runtime

    async def go() -> T:
        runtime = Runtime.build(get_settings(), url)
        try:
            async with runtime.session_factory() as session, session.begin():
                return await work(session)
        finally:
            await runtime.engine.dispose()

    return asyncio.run(go())


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default THAKSA_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default THAKSA_PORT)")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default THAKSA_WORKERS)", min=1)
    ] = None,
) -> None:
    """Start the service: database (embedded unless THAKSA_DATABASE_URL), migrations, seed, HTTP."""
    import uvicorn

    from app.db.engine import describe_database, ensure_database, resolve_database_url
    from app.db.migrate import upgrade_to_head
    from app.observability import configure_logging, prepare_multiprocess_metrics
    from app.secret_check import InsecureSettings, refuse_insecure

    settings = get_settings()
    changes: dict[str, object] = {}
    if host is not None:
        changes["host"] = host
    if workers is not None:
        changes["workers"] = workers
    settings = settings.model_copy(update=changes)
    host = settings.host
    try:
        refuse_insecure(settings, host)
    except InsecureSettings as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    configure_logging(settings)
    if settings.workers > 1:
        # Before anything counts: every worker writes its metrics to files in one fresh folder.
        prepare_multiprocess_metrics()
    typer.echo(f"database: {describe_database(settings)}", err=True)
    url = resolve_database_url(settings)
    asyncio.run(ensure_database(url))
    if settings.migrate_on_start:
        upgrade_to_head(url)
    if settings.load_seed_on_start:
        _load_seed(url, quiet=True)
    if settings.demo_people > 0:
        _load_demo(url, settings.demo_people, seed=1, quiet=True)
    # uvicorn handles SIGTERM like Ctrl-C and then re-raises it; turning it into SystemExit lets
    # the embedded PostgreSQL's exit hook stop the server cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    options: dict[str, Any] = {
        "host": host,
        "port": port or settings.port,
        "log_level": settings.log_level,
        "log_config": None,  # the service's own logging (JSON lines), not uvicorn's
        "access_log": False,  # one line a request from the service itself
        "proxy_headers": True,
        "timeout_graceful_shutdown": settings.shutdown_timeout_seconds,
        # Idle connections stay open longer than clients and proxies keep theirs (a load
        # balancer's idle timeout is typically 60 s): a server that closes first races the
        # client's next request on that connection, which then fails with a reset.
        "timeout_keep_alive": 75,
    }
    if settings.workers == 1:
        from app.main import create_app

        uvicorn.run(create_app(settings, database_url=url), **options)
        return
    # Each worker builds its own app (and pool) on the database prepared here: the embedded
    # server, if any, belongs to this process and stops when it exits, after the workers.
    os.environ["THAKSA_DATABASE_URL"] = url
    os.environ["THAKSA_HOST"] = host
    uvicorn.run("app.main:create_app", factory=True, workers=settings.workers, **options)


def _load_seed(url: str, *, quiet: bool = False, seed_dir: Path | None = None) -> None:
    """Load the framework data in seed/ if the seed loader is available (idempotent)."""
    try:
        from app.services.framework import seeding  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return
    from app.domain.errors import ValidationFailed
    from app.services.learning.catalogue_seed import load_catalogue

    folder = seed_dir or get_settings().seed_dir

    async def load(session: Any) -> dict[str, Any]:
        report: dict[str, Any] = await seeding.load_all(session, folder, _operator())
        report["catalogue"] = await load_catalogue(session, folder, _operator())
        return report

    try:
        report = _run_in_session(url, load)
    except ValidationFailed as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        for e in exc.errors:
            typer.echo(f"  {e.pointer or '/'}: [{e.rule}] {e.message}", err=True)
        raise typer.Exit(2) from exc
    if quiet:
        typer.echo(f"seed: {report['message']}", err=True)
    else:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))


@seed_cli.command("load")
def seed_load(
    seed_dir: Annotated[
        Path | None, typer.Option("--dir", help="Seed folder (default THAKSA_SEED_DIR)")
    ] = None,
) -> None:
    """Load or update the frameworks in seed/ (idempotent: a second run changes nothing).

    Content already held by a version is left alone; a changed folder becomes a new published
    version and the one it replaces is retired. Prints a JSON report.
    """
    url = _server_database()
    _load_seed(url, seed_dir=seed_dir)


def _load_demo(url: str, people: int, *, seed: int, quiet: bool = False) -> None:
    from app.domain.people.synthetic import generate
    from app.services.people import demo

    org = generate(people, seed)
    key = get_settings().pii_hash_key.get_secret_value().encode()
    counts = _run_in_session(url, lambda s: demo.load(s, _operator(), org, pii_key=key))
    if not quiet:
        typer.echo(json.dumps(counts, ensure_ascii=False))


@demo_cli.command("generate")
def demo_generate(
    people: Annotated[int, typer.Option(help="How many people", min=1)] = 300,
    seed: Annotated[int, typer.Option(help="Same seed, same organisation")] = 1,
    output: Annotated[
        Path | None,
        typer.Option(help="Write the records as JSON here instead of loading them ('-' = stdout)"),
    ] = None,
) -> None:
    """Build a realistic Thai agency tree and N people (supervisor chains, positions, staff groups,
    stage declarations), deterministically from the seed, and load it (idempotent)."""
    if output is not None:
        from app.domain.people.synthetic import generate

        org = generate(people, seed)
        document = {
            "agencies": org.agencies,
            "people": org.people,
            "stages": [{"agency": c, "stage": s.value} for c, s in org.stages],
            "groups": [
                {"source": src, "external_id": ext, "groups": [[g.value, sc] for g, sc in gs]}
                for (src, ext), gs in org.groups.items()
            ],
        }
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if str(output) == "-":
            typer.echo(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
            typer.echo(f"wrote {org.people_count} people, {len(org.agencies)} agencies to {output}")
        return
    _load_demo(_server_database(), people, seed=seed)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create the database if need be and bring it to the latest schema (safe to repeat)."""
    from app.db.migrate import head_revision

    _prepare_database()
    typer.echo(f"database at {head_revision()}")


@db_cli.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (pg_dump custom format)")],
) -> None:
    """Back the database up into FILE while the service runs (one consistent snapshot), with
    PostgreSQL's own pg_dump (the embedded server's)."""
    from app.db.backup import BackupFailed, backup

    url = _server_database()
    try:
        backup(url, file)
    except BackupFailed as exc:
        _refuse(f"the backup failed: {exc}")
    typer.echo(f"backed up to {file} ({file.stat().st_size} bytes)")


@db_cli.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `thaksa db backup`")],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace a database that already holds tables"),
    ] = False,
) -> None:
    """Restore FILE into the configured database (created if need be), all or nothing. Stop
    the service first; a database that holds tables is replaced only with --replace."""
    from app.db.backup import BackupFailed, restore, table_count
    from app.db.engine import describe_database, ensure_database, resolve_database_url
    from app.db.migrate import head_revision, schema_revision

    if not file.is_file():
        _refuse(f"there is no backup at {file}")
    settings = get_settings()
    typer.echo(f"database: {describe_database(settings)}", err=True)
    url = resolve_database_url(settings)
    asyncio.run(ensure_database(url))
    if asyncio.run(table_count(url)) and not replace:
        _refuse(
            "this database already holds tables: stop the service and run again with --replace"
            " to replace all of it with the backup"
        )
    asyncio.run(ensure_database(url, recreate=True))
    try:
        restore(url, file)
    except BackupFailed as exc:
        _refuse(f"the restore failed, the database is left empty: {exc}")
    revision = asyncio.run(schema_revision(url))
    typer.echo(f"restored {file}: schema at {revision}")
    if revision != head_revision():
        typer.echo(
            f"this version of Thaksa needs {head_revision()}: `thaksa db upgrade` (or"
            " `thaksa serve`) migrates it",
            err=True,
        )


@token_cli.command("mint")
def token_mint(
    subject: Annotated[
        str, typer.Argument(help="Subject (the person's id in your identity provider)")
    ],
    role: Annotated[
        list[str],
        typer.Option("--role", "-r", help="employee, supervisor, agency_admin, central_admin"),
    ] = [],  # noqa: B006
    agency: Annotated[str | None, typer.Option(help="Agency code the person belongs to")] = None,
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds")] = 3600,
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
) -> None:
    """Print a signed user token (HS256, THAKSA_JWT_SECRET) for a subject, roles and agency."""
    from app.domain.errors import ValidationFailed
    from app.services.platform.tokens import TokenService

    try:
        token = TokenService(get_settings()).mint(subject, role or ["employee"], agency, ttl, name)
    except ValidationFailed as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(token)


@client_cli.command("create")
def client_create(
    name: Annotated[
        str, typer.Argument(help="Who uses the key, e.g. 'HRIS of the Revenue Department'")
    ],
    agency: Annotated[
        str | None, typer.Option(help="Agency code: the key sees its whole subtree")
    ] = None,
    scope: Annotated[
        list[str], typer.Option("--scope", "-s", help="e.g. people:write, completions:write")
    ] = [],  # noqa: B006
) -> None:
    """Create an integration client and print its API key (shown once, stored only as a hash)."""
    from app.domain.errors import ValidationFailed
    from app.services.platform import clients

    url = _server_database()
    try:
        issued = _run_in_session(
            url,
            lambda s: clients.create_client(s, _operator(), name=name, agency=agency, scopes=scope),
        )
    except ValidationFailed as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        for e in exc.errors:
            typer.echo(f"  {e.pointer or '/'}: [{e.rule}] {e.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps({"id": str(issued.client.id), "api_key": issued.api_key}))


@xapi_cli.command("home-page")
def xapi_home_page(
    home_page: Annotated[
        str, typer.Argument(help="An account homePage, e.g. https://lms.rd.go.th")
    ],
    agency: Annotated[
        str | None,
        typer.Option(help="Agency whose HRIS external ids are account names there"),
    ] = None,
) -> None:
    """Register an account homePage: statements whose actor is an account there are matched to
    people by token subject, or with --agency by that agency's HRIS external id."""
    from app.domain.errors import ValidationFailed
    from app.services.learning import statements

    url = _server_database()
    try:
        report = _run_in_session(
            url, lambda s: statements.register_home_page(s, _operator(), home_page, agency)
        )
    except ValidationFailed as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(report))


@client_cli.command("revoke")
def client_revoke(client_id: Annotated[str, typer.Argument(help="The client's id")]) -> None:
    """Revoke a client's key; it is refused (401) from now on."""
    from app.domain.errors import NotFound
    from app.services.platform import clients

    url = _server_database()
    try:
        client = _run_in_session(
            url, lambda s: clients.revoke_client(s, _operator(), uuid.UUID(client_id))
        )
    except (NotFound, ValueError) as exc:
        typer.echo(f"error: no such client {client_id}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"revoked {client.id} at {client.revoked_at}")


@client_cli.command("list")
def client_list() -> None:
    """List integration clients (never their keys)."""
    from app.services.platform import clients

    url = _server_database()
    rows = _run_in_session(url, lambda s: clients.list_clients(s, _operator()))
    for c in rows:
        state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "active"
        typer.echo(f"{c.id}  {state:18}  {c.agency or '-':12}  {','.join(c.scopes):30}  {c.name}")


@contract_cli.command("export")
def contract_export(
    out: Annotated[
        Path, typer.Option(help="Folder to write openapi.json and schema.graphql")
    ] = REPO_ROOT / "openapi",
) -> None:
    """Write the OpenAPI document and the GraphQL schema (commit both)."""
    from app.contract import write_contract

    for path in write_contract(out):
        typer.echo(f"wrote {path}")


@report_cli.command("export")
def report_export(
    kind: Annotated[str, typer.Argument(help="people_readiness, plans or kpis")],
    agency: Annotated[str, typer.Option(help="The agency whose subtree is exported")],
    fiscal_year: Annotated[int, typer.Option(help="Fiscal year, Buddhist Era (e.g. 2568)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write")],
    format: Annotated[
        str | None, typer.Option(help="csv or xlsx (default: the file's ending)")
    ] = None,
) -> None:
    """Export an agency subtree's table for a fiscal year to a file, with a progress bar (as a
    central administrator, on the server's database)."""
    from app.domain.reporting.exports import ExportFormat, ExportKind
    from app.services.reporting import exports

    try:
        what = ExportKind(kind)
        fmt = ExportFormat(format or output.suffix.lstrip(".").lower())
    except ValueError:
        _refuse("the kind is people_readiness, plans or kpis; the format csv or xlsx")
    url = _server_database()
    actor = _operator()

    async def work(session: Any) -> int:
        p = await exports.prepare(session, actor, what, fmt, agency, fiscal_year)
        total = await exports.count(session, p)
        with typer.progressbar(
            length=total, label=f"{what.value} -> {output}", file=sys.stderr
        ) as bar:
            shown = 0

            async def progress(done: int) -> None:
                nonlocal shown
                bar.update(done - shown)
                shown = done

            if fmt is ExportFormat.XLSX:
                written = await exports.write_xlsx(session, p, output, progress)
            else:
                written = 0
                with output.open("wb") as out:

                    async def sink(chunk: bytes) -> None:
                        nonlocal written
                        out.write(chunk)
                        written += chunk.count(b"\n")
                        await progress(min(total, max(0, written - 1)))

                    await exports.write_csv(session, p, sink)
                written = max(0, written - 1)
            bar.update(total - shown)
        return written

    from app.domain.errors import ThaksaError

    try:
        rows = _run_in_session(url, work)
    except ThaksaError as exc:
        _refuse(exc.detail)
    typer.echo(f"wrote {rows} rows to {output}")


@fonts_cli.command("install")
def fonts_install(
    deb: Annotated[
        Path | None, typer.Option(help="Install from this fonts-tlwg-laksaman-otf .deb file")
    ] = None,
    optional: Annotated[
        bool, typer.Option(help="Say why in one line and exit 0 when the font cannot be had")
    ] = False,
) -> None:
    """Install Laksaman (fonts-tlwg-laksaman-otf, checksums verified) into THAKSA_FONTS_DIR."""
    from app.services.reporting import documents_fonts

    try:
        done = documents_fonts.install(deb=deb)
    except (documents_fonts.FontInstallFailed, OSError) as exc:
        message = (
            f"documents: the Thai font could not be installed ({exc}); PDF documents answer 503"
        )
        if optional:
            typer.echo(message, err=True)
            return
        _refuse(message)
    if done.source != "present":
        typer.echo(f"installed {documents_fonts.FAMILY} in {done.folder} (from {done.source})")


@fonts_cli.command("check")
def fonts_check() -> None:
    """Exit 1 with the reason when the documents' font is not installed."""
    from app.services.reporting import documents_fonts

    why = documents_fonts.missing()
    if why is not None:
        _refuse(why)
    typer.echo(f"{documents_fonts.FAMILY} is installed in {documents_fonts.fonts_dir()}")


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
