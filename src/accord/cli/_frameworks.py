"""accord frameworks: browse the catalog of AI governance frameworks and its crosswalk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli._app import app, handle_errors, split_csv, stdout

frameworks_app = typer.Typer(
    help="Browse the catalog of AI governance frameworks, their crosswalk and themes.",
    no_args_is_help=True,
)
app.add_typer(frameworks_app, name="frameworks")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
FrameworkFilter = Annotated[
    list[str] | None, typer.Option("--framework", "-f", help="Limit to these frameworks.")
]
MARK = {
    "primary": "[green]primary[/]",
    "secondary": "[yellow]secondary[/]",
    "unverified": "[red]unverified[/]",
}


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _print_items(title: str, items: list[Any]) -> None:
    table = Table(title=title)
    for col in ("id", "title", "summary"):
        table.add_column(col)
    for it in items:
        table.add_row(it.id, it.title, it.summary)
    stdout.print(table)


@frameworks_app.command("list")
@handle_errors
def list_frameworks(as_json: JsonFlag = False) -> None:
    """List the frameworks in the catalog."""
    from accord.governance import load_catalog

    cat = load_catalog()
    rows: list[dict[str, Any]] = []
    for fw in cat.frameworks.values():
        verified = sum(it.verification == "primary" for it in fw.items)
        rows.append(
            {
                "id": fw.id,
                "short_name": fw.short_name,
                "issuer": fw.issuer,
                "adopted": fw.adopted.isoformat(),
                "binding": fw.binding,
                "status": fw.status,
                "items": len(fw.items),
                "primary": verified,
                "unverified": sum(it.verification == "unverified" for it in fw.items),
            }
        )
    if as_json:
        _print_json(rows)
        return
    table = Table(
        title=f"{len(rows)} frameworks, {sum(r['items'] for r in rows)} items, "
        f"{len(cat.links)} crosswalk links"
    )
    for col in ("id", "name", "adopted", "binding", "items", "checked against text"):
        table.add_column(col, justify="right" if col in ("items",) else "left")
    for r in rows:
        table.add_row(
            r["id"],
            r["short_name"],
            r["adopted"],
            r["binding"],
            str(r["items"]),
            f"{r['primary']}/{r['items']}",
        )
    stdout.print(table)


@frameworks_app.command("show")
@handle_errors
def show(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A framework id (EUAIA) or an item id (EUAIA:Art10(2)(f))."
        ),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Show a framework with its items, or one item with its links and evidence."""
    from accord.governance import load_catalog

    cat = load_catalog()
    if ":" not in ident:
        fw = cat.framework(ident)
        if as_json:
            _print_json(fw.model_dump(mode="json"))
            return
        stdout.print(f"[bold]{fw.title}[/]")
        stdout.print(
            f"{fw.issuer} - {fw.jurisdiction} - {fw.instrument_type}, binding: "
            f"{fw.binding}, status: {fw.status}"
        )
        stdout.print(
            f"adopted {fw.adopted}"
            + (f", in force {fw.in_force}" if fw.in_force else "")
            + f", version {fw.version}"
        )
        stdout.print(
            f"citation checked: {MARK[fw.verification]}"
            + (f"  {fw.official_url}" if fw.official_url else "")
        )
        for note in fw.notes:
            stdout.print(f"[dim]note:[/] {note}")
        if fw.application_dates:
            dates = Table(title="Application dates", show_header=False)
            for d in fw.application_dates:
                dates.add_row(d.date.isoformat(), d.what, MARK[d.verification])
            stdout.print(dates)
        table = Table(title=f"{len(fw.items)} items")
        for col in ("id", "title", "themes", "checked"):
            table.add_column(col)
        for it in fw.items:
            depth = 0
            parent = it.parent
            while parent:
                depth += 1
                parent = cat.item(parent).parent
            table.add_row(
                "  " * depth + it.ref,
                it.title,
                ",".join(it.themes + it.tags),
                MARK[it.verification],
            )
        stdout.print(table)
        return
    it = cat.item(ident)
    links = cat.links_of(it.id)
    checks = cat.checks_for(it.id)
    questions = cat.questions_for(it.id)
    if as_json:
        _print_json(
            {
                **it.model_dump(mode="json"),
                "links": [ln.model_dump() for ln in links],
                "checks": [c.id for c in checks],
                "questions": [q.id for q in questions],
            }
        )
        return
    fw = cat.framework(it.framework)
    source = next(s for s in fw.sources if s.id == it.source)
    stdout.print(f"[bold]{it.id}[/] {it.title}")
    stdout.print(it.summary)
    stdout.print(
        f"themes: {', '.join(it.themes + it.tags)}"
        + (f"; duty holder: {it.duty_holder}" if it.duty_holder else "")
        + (f"; applies from {it.applies_from}" if it.applies_from else "")
    )
    stdout.print(
        f"checked: {MARK[it.verification]} against {source.title}"
        + (f" ({source.url})" if source.url else "")
    )
    if it.note:
        stdout.print(f"[dim]note:[/] {it.note}")
    if links:
        table = Table(title="Crosswalk")
        for col in ("match", "item", "rationale"):
            table.add_column(col)
        for ln in links:
            table.add_row(ln.match, f"{ln.target} {cat.item(ln.target).title}", ln.rationale)
        stdout.print(table)
    if checks:
        stdout.print("evidenced by checks: " + ", ".join(c.id for c in checks))
    if questions:
        stdout.print("process checks: " + ", ".join(q.id for q in questions))


@frameworks_app.command("search")
@handle_errors
def search(
    text: Annotated[str, typer.Argument(help="Words that must all appear.")],
    framework: FrameworkFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """Search items by id, title and summary."""
    from accord.governance import load_catalog

    cat = load_catalog()
    wanted = {cat.framework(f).id for f in split_csv(framework)}
    hits = [it for it in cat.search(text) if not wanted or it.framework in wanted]
    if as_json:
        _print_json([it.model_dump(mode="json") for it in hits])
        return
    _print_items(f"{len(hits)} items match {text!r}", hits)


@frameworks_app.command("crosswalk")
@handle_errors
def crosswalk(
    source: Annotated[str, typer.Option("--from", help="Framework id to map from.")],
    target: Annotated[str, typer.Option("--to", help="Framework id to map to.")],
    as_json: JsonFlag = False,
) -> None:
    """Show the item-to-item links between two frameworks."""
    from accord.governance import load_catalog

    cat = load_catalog()
    links = cat.crosswalk(source, target)
    if as_json:
        _print_json([ln.model_dump() for ln in links])
        return
    a, b = cat.framework(source), cat.framework(target)
    table = Table(title=f"{a.short_name} -> {b.short_name}: {len(links)} links")
    for col in ("from", "match", "to", "rationale"):
        table.add_column(col)
    for ln in links:
        table.add_row(
            f"{ln.source}\n{cat.item(ln.source).title}",
            ln.match,
            f"{ln.target}\n{cat.item(ln.target).title}",
            ln.rationale,
        )
    stdout.print(table)
    if not links:
        stdout.print(
            "No direct links. Related items may be reached through a common theme: "
            "see 'accord frameworks consensus THEME'."
        )


@frameworks_app.command("theme")
@handle_errors
def theme(
    name: Annotated[
        str,
        typer.Argument(
            help="A theme id (FAIR, PRIV, TRANS, ACCT, SAFE, HUMAN, INCL, SUST, COOP, RIGHTS) "
            "or the RISK tag."
        ),
    ],
    framework: FrameworkFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """List the items of every framework on one theme."""
    from accord.governance import load_catalog

    cat = load_catalog()
    th = cat.theme(name)
    items = cat.items_with_theme(th.id, split_csv(framework) or None)
    if as_json:
        _print_json(
            {"theme": th.model_dump(), "items": [it.model_dump(mode="json") for it in items]}
        )
        return
    _print_items(f"{th.title}: {len(items)} items", items)


@frameworks_app.command("consensus")
@handle_errors
def consensus_cmd(
    name: Annotated[str, typer.Argument(help="A theme id, e.g. FAIR.")],
    as_json: JsonFlag = False,
) -> None:
    """Compare, side by side, how each framework treats one theme, and where they differ."""
    from accord.governance._consensus import consensus

    c = consensus(name)
    if as_json:
        _print_json(c.model_dump(mode="json"))
        return
    stdout.print(f"[bold]{c.theme_title}[/] across {len(c.stances)} frameworks")
    table = Table(title="Side by side")
    for col in ("framework", "binding", "items", "what it asks"):
        table.add_column(col)
    for s in c.stances:
        if not s.items:
            continue
        shown = "; ".join(f"{i.id.split(':', 1)[1]} {i.title}" for i in s.items[:4])
        more = f" (+{len(s.items) - 4} more)" if len(s.items) > 4 else ""
        table.add_row(s.short_name, s.binding, str(len(s.items)), shown + more)
    stdout.print(table)
    stdout.print(
        "[bold]Common ground[/] (items joined by exact, close, broader or narrower links):"
    )
    for g in c.common_ground:
        stdout.print(
            f"  - {len(g.frameworks)} frameworks: "
            + "; ".join(f"{i.id} {i.title}" for i in g.items)
        )
    stdout.print("[bold]Differences[/]")
    stdout.print(f"  silent on this theme: {', '.join(c.silent) or 'none'}")
    stdout.print(
        f"  binding: {', '.join(c.binding) or 'none'}; voluntary: "
        f"{', '.join(c.voluntary) or 'none'}"
    )
    if c.unique:
        stdout.print(
            "  matched by no other framework: "
            + "; ".join(f"{i.id} {i.title}" for i in c.unique[:12])
            + (f" (+{len(c.unique) - 12} more)" if len(c.unique) > 12 else "")
        )


@frameworks_app.command("matrix")
@handle_errors
def matrix(
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML page.")] = Path(
        "frameworks-matrix.html"
    ),
    as_json: JsonFlag = False,
) -> None:
    """Write an HTML page charting the themes x frameworks matrix."""
    from accord.governance._consensus import theme_matrix

    if as_json:
        _print_json(theme_matrix())
        return
    from accord.report._frameworks import render_matrix_page

    out.write_text(render_matrix_page(), encoding="utf-8")
    stdout.print(f"wrote [bold]{out}[/]")
