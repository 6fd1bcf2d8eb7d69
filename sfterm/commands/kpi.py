"""`sfterm kpi`: the KPI report of a running server, as a Rich table, JSON or CSV.

It asks the API (`GET /api/v1/kpis`) and prints what it answers, so the figures are the API's.
The server and the token come from `--server`/`--token`, else from the data directory's
server.json (the demo's tokens, by `--as` handle).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfterm.commands.common import add_data_dir, find_server

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sfterm.core.models import KpiReport

FORMATS = ("table", "json", "csv")


def add_parser(sub: Any) -> None:
    kpi = sub.add_parser(
        "kpi",
        help="print the KPIs: text/email preference, reply time, requests, contacts added",
        description="Print the KPI report of the running server (the figures of its API).",
    )
    when = kpi.add_mutually_exclusive_group()
    when.add_argument(
        "--period", choices=("today", "7d", "30d"), help="ending today (default: 30d)"
    )
    when.add_argument(
        "--from", dest="from_date", type=_day, metavar="YYYY-MM-DD", help="first day, inclusive"
    )
    kpi.add_argument(
        "--to", dest="to_date", type=_day, metavar="YYYY-MM-DD", help="last day, inclusive"
    )
    kpi.add_argument(
        "--scope",
        choices=("associate", "store", "retailer"),
        help="whose figures (default: by your level)",
    )
    kpi.add_argument(
        "--overnight",
        choices=("include", "exclude"),
        default="include",
        help="exclude: leave 22:00-10:00 store time out of reply times",
    )
    kpi.add_argument("--format", choices=FORMATS, default="table", help="output (default: table)")
    kpi.add_argument("--as", dest="handle", metavar="HANDLE", help="sign in as this demo associate")
    kpi.add_argument("--server", metavar="URL", help="the backend's URL (default: server.json)")
    kpi.add_argument("--token", metavar="T", help="a bearer token (default: server.json)")
    add_data_dir(kpi)
    kpi.set_defaults(run=run)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Target:
    url: str
    token: str


class Refused(Exception):
    """The command cannot go on; the message says why."""


def find_target(args: argparse.Namespace) -> Target:
    """The server and token: from the options, else from server.json."""
    url, token = args.server, args.token
    if url and token:
        return Target(url, token)
    info, looked = find_server(Path(args.data_dir) if args.data_dir else None)
    if info is None:
        where = " or ".join(str(p / "server.json") for p in looked)
        raise Refused(
            f"no running server found (no live {where}); "
            "start one with `sfterm demo` or `sfterm serve --demo`, or give --server and --token"
        )
    url = url or info.url
    if token is None:
        if not info.associates:
            raise Refused("server.json holds no demo tokens; give --token")
        handle = args.handle or next(iter(info.associates))
        if handle not in info.associates:
            known = ", ".join(sorted(info.associates))
            raise Refused(f"--as: no associate {handle!r} in server.json (known: {known})")
        token = info.associates[handle]
    return Target(url, token)


async def fetch_report(target: Target, args: argparse.Namespace) -> KpiReport:
    from sfterm.client.api import SftermClient

    async with SftermClient(target.url, target.token) as client:
        return await client.kpis(
            period=args.period,
            from_date=args.from_date,
            to_date=args.to_date,
            scope=args.scope,
            overnight=args.overnight,
        )


def run(args: argparse.Namespace) -> int:
    from sfterm.client.api import ApiError, Unreachable

    if args.to_date is not None and args.from_date is None:
        print("sfterm kpi: --to needs --from", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(fetch_report(find_target(args), args))
    except Refused as exc:
        print(f"sfterm kpi: {exc}", file=sys.stderr)
        return 1
    except ApiError as exc:
        print(f"sfterm kpi: the server refused ({exc.status}): {exc.message}", file=sys.stderr)
        return 1
    except Unreachable as exc:
        print(f"sfterm kpi: cannot reach the server: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(report_json(report))
    elif args.format == "csv":
        sys.stdout.write(report_csv(report))
    else:
        from rich.console import Console

        console = Console(highlight=False)
        for part in report_tables(report):
            console.print(part)
    return 0


# ---- formats ----------------------------------------------------------------------------------


def report_json(report: KpiReport) -> str:
    """The API's JSON, as it answered."""
    return report.model_dump_json(indent=2)


def report_rows(report: KpiReport) -> list[tuple[str, str]]:
    """Every figure as `metric, value` (raw numbers: seconds, ratios; empty for none)."""

    def raw(value: object) -> str:
        return "" if value is None else str(value)

    period = report.period
    rows = [
        ("period.name", period.name.value),
        ("period.first_day", period.first_day.isoformat()),
        ("period.last_day", period.last_day.isoformat()),
        ("period.timezone", period.timezone),
        ("scope", report.scope.value),
        ("scope_label", report.scope_label),
        ("total_requests", str(report.total_requests)),
    ]
    pref = report.preference
    rows += [
        ("preference.text", raw(pref and pref.text)),
        ("preference.email", raw(pref and pref.email)),
        ("preference.total", raw(pref and pref.total)),
        ("preference.ratio", raw(pref and pref.ratio)),
        ("preference.unavailable", raw(report.preference_unavailable)),
    ]
    reply = report.reply_time
    rows += [
        ("reply_time.mean_seconds", raw(reply.mean_seconds)),
        ("reply_time.median_seconds", raw(reply.median_seconds)),
        ("reply_time.answered", str(reply.answered)),
        ("reply_time.awaiting_reply", str(reply.awaiting_reply)),
        ("reply_time.overnight_excluded", str(reply.overnight_excluded).lower()),
    ]
    for group, counts in (
        ("by_channel", report.by_channel),
        ("by_source", report.by_source),
        ("by_kind", report.by_kind),
    ):
        rows += [(f"{group}.{key}", str(value)) for key, value in counts.items()]
    rows.append(("contacts_added", str(report.contacts_added)))
    for day in report.daily:
        stamp = day.date.isoformat()
        rows += [
            (f"daily.{stamp}.text", str(day.text)),
            (f"daily.{stamp}.email", str(day.email)),
            (f"daily.{stamp}.mean_reply_seconds", raw(day.mean_reply_seconds)),
        ]
    return rows


def report_csv(report: KpiReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "value"))
    writer.writerows(report_rows(report))
    return out.getvalue()


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())


def report_tables(report: KpiReport) -> list[RenderableType]:
    """The figures with how each was computed, then the daily series."""
    from rich.table import Table
    from rich.text import Text

    from sfterm.core.kpis import describe_duration, describe_ratio

    period = report.period
    title = (
        f"KPIs — {report.scope_label} — {period.first_day.isoformat()} to "
        f"{period.last_day.isoformat()} ({period.timezone})"
    )
    figures = Table(title=Text(title), title_justify="left")
    figures.add_column("Figure")
    figures.add_column("Value", justify="right")
    figures.add_column("How it is computed")
    pref = report.preference
    if pref is None:
        figures.add_row("Text/email preference", "—", Text(report.preference_unavailable or ""))
    else:
        figures.add_row(
            "Text/email preference",
            describe_ratio(pref.ratio),
            f"{pref.text} text ÷ {pref.total} requests ({pref.text} text + {pref.email} email)",
        )
    reply = report.reply_time
    night = "excluded" if reply.overnight_excluded else "included"
    basis = (
        f"over {reply.answered} answered; {reply.awaiting_reply} awaiting reply; "
        f"22:00–10:00 {night}"
    )
    figures.add_row("Reply time (mean)", describe_duration(reply.mean_seconds), basis)
    figures.add_row("Reply time (median)", describe_duration(reply.median_seconds), basis)
    figures.add_row("Requests", str(report.total_requests), _counts(report.by_channel))
    figures.add_row("  by source", "", _counts(report.by_source))
    figures.add_row("  by kind", "", _counts(report.by_kind))
    figures.add_row("Contacts added", str(report.contacts_added), "created by hand (not imports)")

    daily = Table(title="Day by day", title_justify="left")
    daily.add_column("Date")
    daily.add_column("Text", justify="right")
    daily.add_column("Email", justify="right")
    daily.add_column("Mean reply", justify="right")
    for day in report.daily:
        daily.add_row(
            day.date.isoformat(),
            str(day.text),
            str(day.email),
            describe_duration(day.mean_reply_seconds),
        )
    return [figures, daily]
