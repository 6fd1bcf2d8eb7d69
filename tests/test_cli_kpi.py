"""`sfterm kpi`: the table, JSON and CSV of the API's report, against a real server."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from sfterm.cli import main
from sfterm.client.api import SftermClient
from sfterm.commands.kpi import report_csv, report_json, report_tables
from sfterm.core.models import (
    KpiDay,
    KpiPeriod,
    KpiPeriodName,
    KpiReport,
    KpiScope,
    Preference,
    ReplyTime,
)
from sfterm.server_file import read_server_file
from tests.support.clock import FakeClock
from tests.support.forms import storefront_form
from tests.support.live import live_server


def sample(preference: bool = True) -> KpiReport:
    return KpiReport(
        period=KpiPeriod(
            name=KpiPeriodName.CUSTOM,
            first_day=date(2026, 10, 31),
            last_day=date(2026, 11, 1),
            timezone="America/Toronto",
            start=datetime(2026, 10, 31, 4, tzinfo=UTC),
            end=datetime(2026, 11, 2, 5, tzinfo=UTC),
        ),
        scope=KpiScope.ASSOCIATE,
        scope_label="Camille Roy",
        total_requests=5,
        preference=Preference(text=3, email=2, total=5, ratio=0.6) if preference else None,
        preference_unavailable=None if preference else "the retailer does not offer text",
        reply_time=ReplyTime(
            mean_seconds=30300.0,
            median_seconds=42300.0,
            answered=3,
            awaiting_reply=2,
            overnight_excluded=False,
        ),
        by_channel={"email": 2, "text": 3},
        by_source={"connect_widget": 0, "storefront": 3, "footer": 2},
        by_kind={"contact_me": 3, "appointment": 1, "personal_shopper": 1},
        contacts_added=1,
        daily=[
            KpiDay(date=date(2026, 10, 31), text=3, email=1, mean_reply_seconds=1800.0),
            KpiDay(date=date(2026, 11, 1), text=0, email=1, mean_reply_seconds=None),
        ],
    )


def rendered(report: KpiReport) -> str:
    console = Console(record=True, width=140, color_system=None)
    for part in report_tables(report):
        console.print(part)
    return console.export_text()


def test_the_table_shows_each_figure_with_its_counts() -> None:
    text = rendered(sample())
    assert "Camille Roy" in text and "2026-10-31 to 2026-11-01" in text
    assert "60.0 %" in text
    assert "3 text ÷ 5 requests (3 text + 2 email)" in text
    assert "8 h 25 min" in text  # mean 30,300 s
    assert "11 h 45 min" in text  # median 42,300 s
    assert "over 3 answered; 2 awaiting reply; 22:00–10:00 included" in text
    assert "connect widget 0, storefront 3, footer 2" in text
    assert "30 min" in text and "—" in text  # the daily series


def test_the_table_gives_the_reason_when_the_preference_is_withheld() -> None:
    text = rendered(sample(preference=False))
    assert "the retailer does not offer text" in text


def test_csv_is_one_metric_per_row_with_raw_numbers() -> None:
    rows = dict(csv.reader(io.StringIO(report_csv(sample()))))
    assert rows["metric"] == "value"
    assert rows["preference.ratio"] == "0.6"
    assert rows["preference.text"] == "3" and rows["preference.email"] == "2"
    assert rows["reply_time.mean_seconds"] == "30300.0"
    assert rows["reply_time.awaiting_reply"] == "2"
    assert rows["by_source.footer"] == "2"
    assert rows["daily.2026-10-31.mean_reply_seconds"] == "1800.0"
    assert rows["daily.2026-11-01.mean_reply_seconds"] == ""
    withheld = dict(csv.reader(io.StringIO(report_csv(sample(preference=False)))))
    assert withheld["preference.ratio"] == ""
    assert withheld["preference.unavailable"] == "the retailer does not offer text"


def test_json_is_the_report_itself() -> None:
    report = sample()
    assert KpiReport.model_validate_json(report_json(report)) == report


# ---- against a real server --------------------------------------------------------------------


async def _cli(*argv: str) -> int:
    return await asyncio.to_thread(main, ["kpi", *argv])


async def test_every_format_prints_the_apis_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    async with live_server(tmp_path, clock=clock, bundled_gateway=False) as running:
        url = running.info.url
        async with httpx.AsyncClient(base_url=url) as http:
            for form in (
                storefront_form(channel="email", phone=None),
                storefront_form(channel="email", phone=None, kind="appointment"),
                storefront_form(),
            ):
                assert (await http.post("/api/v1/public/requests", json=form)).status_code == 201
        info = read_server_file(tmp_path)
        assert info is not None
        async with SftermClient(url, info.associates["camille"]) as client:
            clock.advance(minutes=45)
            await client.send_email(1, "Hello", "We have it.")
            api = await client.kpis(period="7d")

        capsys.readouterr()
        assert await _cli("--data-dir", str(tmp_path), "--period", "7d", "--format", "json") == 0
        assert KpiReport.model_validate_json(capsys.readouterr().out) == api

        assert await _cli("--data-dir", str(tmp_path), "--period", "7d", "--format", "csv") == 0
        rows = dict(csv.reader(io.StringIO(capsys.readouterr().out)))
        assert rows["preference.ratio"] == str(1 / 3)
        assert rows["reply_time.mean_seconds"] == "2700.0"
        assert rows["reply_time.awaiting_reply"] == "2"

        assert await _cli("--data-dir", str(tmp_path), "--period", "7d", "--as", "camille") == 0
        table = capsys.readouterr().out
        assert "33.3 %" in table and "45 min" in table and "Camille Roy" in table

        token = info.associates["priya"]
        assert (
            await _cli("--server", url, "--token", token, "--format", "json", "--scope", "store")
            == 0
        )
        assert json.loads(capsys.readouterr().out)["scope_label"].startswith("Toronto")

        assert await _cli("--data-dir", str(tmp_path), "--scope", "retailer") == 1
        err = capsys.readouterr().err
        assert "403" in err and "retailer" in err

        assert await _cli("--data-dir", str(tmp_path), "--as", "nobody") == 1
        assert "nobody" in capsys.readouterr().err


def test_without_a_server_it_says_how_to_start_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kpi", "--data-dir", str(tmp_path)]) == 1
    assert "sfterm serve" in capsys.readouterr().err


def test_to_without_from_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kpi", "--data-dir", str(tmp_path), "--to", "2026-11-01"]) == 2
    assert "--from" in capsys.readouterr().err


def test_a_bad_date_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["kpi", "--from", "2026-13-01"])
    assert stopped.value.code == 2
    assert "2026-13-01" in capsys.readouterr().err
