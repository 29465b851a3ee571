"""accord serve, accord db upgrade, accord token create, accord user create."""

from __future__ import annotations

import contextlib
import os

import typer

from accord.cli._app import app, handle_errors, stderr, stdout

db_app = typer.Typer(
    help="The registry database: create and upgrade its schema.", no_args_is_help=True
)
token_app = typer.Typer(help="API tokens for the registry server.", no_args_is_help=True)
user_app = typer.Typer(help="Users who log in to the registry's web pages.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")

DB_HELP = (
    "Database URL: sqlite:///PATH or postgresql://USER@HOST/DB (default: $ACCORD_DB, "
    "else a SQLite file in your data directory)."
)
ROLE_HELP = "viewer (reads), auditor (also records audits), admin (also signs off, manages)."


def open_registry(db: str | None, *, upgrade: bool = False) -> object:
    """The registry at ``db``, upgraded to the latest schema if asked, else checked."""
    from accord.core import missing_extra

    try:
        from accord.registry import Registry, check_schema
    except ModuleNotFoundError as exc:
        raise missing_extra(exc.name or "sqlalchemy", "server") from None
    registry = Registry(db)
    if upgrade:
        registry.upgrade()
    else:
        check_schema(registry.engine)
    return registry


@app.command()
@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Seed demo systems and audits (into a separate demo database unless --db is given).",
    ),
    workers: int = typer.Option(
        1, "--workers", help="Server processes (they share the database)."
    ),
    max_upload_mb: float = typer.Option(
        32, "--max-upload-mb", help="Largest request body accepted, in MiB."
    ),
    secure_cookies: bool = typer.Option(
        False, "--secure-cookies", help="Mark session cookies Secure (when served behind HTTPS)."
    ),
    threads: int = typer.Option(
        4,
        "--threads",
        min=1,
        help="Threads per process for the requests' database work (more for a remote "
        "PostgreSQL, whose queries wait on the network; fewer contend less for the CPU).",
    ),
) -> None:
    """Serve the registry: REST API under /api (OpenAPI at /openapi.json) and web pages."""
    from accord.core import missing_extra
    from accord.registry import Registry

    try:
        import uvicorn
    except ModuleNotFoundError:
        raise missing_extra("uvicorn", "server") from None
    if demo and db is None:
        from platformdirs import user_data_dir

        db = f"sqlite:///{user_data_dir('accord', appauthor=False)}/demo.sqlite3"
    registry = open_registry(db, upgrade=True)
    assert isinstance(registry, Registry)
    if demo:
        _seed_demo(registry)
    url = registry.engine.url.render_as_string(hide_password=False)
    registry.dispose()
    os.environ["ACCORD_DB"] = url
    os.environ["ACCORD_MAX_UPLOAD_BYTES"] = str(int(max_upload_mb * 1024 * 1024))
    os.environ["ACCORD_SECURE_COOKIES"] = "1" if secure_cookies else ""
    os.environ["ACCORD_THREADS"] = str(threads)
    stderr.print(
        f"accord registry on [bold]http://{host}:{port}/[/] "
        f"(database {registry.engine.url.render_as_string(hide_password=True)})"
    )
    uvicorn.run(
        "accord.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
    )


def _seed_demo(registry: object) -> None:
    from accord.cli._progress import RichProgress
    from accord.registry import ConflictError, Registry
    from accord.registry._demo import seed_demo

    assert isinstance(registry, Registry)
    with RichProgress(stderr) as progress:
        n = seed_demo(registry, progress=progress)
    if n:
        stderr.print(f"seeded the demo registry with {n} audits")
    with contextlib.suppress(ConflictError):
        registry.create_user("local:demo", "demo", "accord-demo", "admin")
    stderr.print("demo login: user [bold]demo[/], password [bold]accord-demo[/] (admin)")


@db_app.command("upgrade")
@handle_errors
def db_upgrade(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Create the registry's schema, or upgrade it to this version of accord."""
    from accord.registry import Registry, current_revision, describe_url

    registry = open_registry(db, upgrade=True)
    assert isinstance(registry, Registry)
    stderr.print(
        f"{describe_url(registry.engine)} is at revision {current_revision(registry.engine)}"
    )


@token_app.command("create")
@handle_errors
def token_create(
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    system: str | None = typer.Option(None, "--system", help="Limit the token to one system."),
    name: str | None = typer.Option(None, "--name", help="A name to recognise it by."),
    expires_days: int | None = typer.Option(
        None, "--expires-days", help="Expire after this many days (default: never)."
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create an API token and print it (once: only its hash is stored)."""
    from datetime import UTC, datetime, timedelta

    from accord.registry import Registry, local_principal

    registry = open_registry(db)
    assert isinstance(registry, Registry)
    who = local_principal()
    expires = (datetime.now(UTC) + timedelta(days=expires_days)) if expires_days else None
    token = registry.create_token(
        who.actor, name or f"{role}-token", role, system=system, expires_at=expires
    )
    stderr.print(
        f"created token {token.id} ({token.role}"
        f"{', system ' + token.system if token.system else ''}); store it now, it "
        "cannot be shown again:"
    )
    stdout.print(token.token, soft_wrap=True)


@user_app.command("create")
@handle_errors
def user_create(
    username: str = typer.Argument(..., help="The user name."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    system: str | None = typer.Option(None, "--system", help="Limit the user to one system."),
    password_stdin: bool = typer.Option(
        False,
        "--password-stdin",
        help="Read the password from standard input instead of prompting.",
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create a user who logs in to the web pages with a password (stored as a scrypt hash)."""
    import sys

    from accord.registry import Registry, local_principal

    registry = open_registry(db)
    assert isinstance(registry, Registry)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = registry.create_user(local_principal().actor, username, password, role, system=system)
    stderr.print(f"created user {user.username} ({user.role})")
