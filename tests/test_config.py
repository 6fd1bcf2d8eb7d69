"""Where data and config live: platformdirs by default, SFTERM_* variables and the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sfterm.config import ServerSettings, default_data_dir, load_config_file, outbox_path


def test_the_data_dir_follows_sfterm_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SFTERM_DATA_DIR", str(tmp_path / "here"))
    assert default_data_dir() == tmp_path / "here"
    assert ServerSettings.from_env().resolved_database_url.endswith(
        str(tmp_path / "here/sfterm.db")
    )


def test_without_the_variable_it_is_the_platform_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SFTERM_DATA_DIR", raising=False)
    assert default_data_dir().name == "sfterm"


def test_config_file_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[server]\ngateway_url = "http://127.0.0.1:9/gw"\n', encoding="utf-8")
    monkeypatch.setenv("SFTERM_CONFIG", str(config))
    monkeypatch.delenv("SFTERM_GATEWAY_URL", raising=False)
    settings = ServerSettings.from_env()
    assert settings.gateway_url == "http://127.0.0.1:9/gw"
    assert not settings.bundled_gateway
    monkeypatch.setenv("SFTERM_GATEWAY_URL", "http://127.0.0.1:10/gw")
    assert ServerSettings.from_env().gateway_url == "http://127.0.0.1:10/gw"


def test_a_broken_config_file_names_itself(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[server\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"config\.toml"):
        load_config_file(config)


def test_the_outbox_is_kept_per_server_and_associate_in_the_state_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SFTERM_STATE_DIR", str(tmp_path / "state"))
    path = outbox_path("http://127.0.0.1:8765", 3)
    assert path == tmp_path / "state" / "outbox" / "127.0.0.1-8765-a3.json"
    assert outbox_path("https://shop.example.com/", 3).name == "shop.example.com-a3.json"
    monkeypatch.delenv("SFTERM_STATE_DIR")
    assert outbox_path("http://127.0.0.1:8765", 3).parent.parent.name == "sfterm"
