"""The README tells the truth: its settings table is SETTINGS, its CLI table lists every command."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from registry.cli import app
from registry.config import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->(.*?)<!-- {name}:end -->", README, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def test_settings_table_is_exactly_the_settings() -> None:
    rows = [line for line in _section("settings").splitlines() if line.startswith("| `")]
    expected = [f"| `{s.env}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    assert rows == expected


def _commands() -> set[str]:
    root = get_command(app)
    names: set[str] = set()
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        if sub:
            names.update(f"{name} {s}" for s in sub)
        else:
            names.add(name)
    return names


def test_cli_table_lists_every_command() -> None:
    documented = set(re.findall(r"\| `registry ([a-z]+(?: [a-z]+)?)", _section("cli")))
    assert documented == _commands()
