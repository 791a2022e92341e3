"""The `ris3hub` command as a person runs it: a separate process, its data directory, its exit codes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, data_dir: Path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RIS3HUB_DATA_DIR")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "ris3hub.cli", *args, "--data-dir", str(data_dir)],
                          env=environment, capture_output=True, text=True, timeout=300)


def test_data_dir_holds_the_database_and_migrations_apply_on_start(tmp_path):
    result = run("manage", "showmigrations", "registry", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[X] 0001_initial" in result.stdout
    assert (tmp_path / "ris3hub.sqlite3").exists()


def test_settings_are_listed_with_help(tmp_path):
    result = run("settings", data_dir=tmp_path)
    assert result.returncode == 0
    assert "RIS3HUB_DATA_DIR" in result.stdout and "DATABASE_URL" in result.stdout


def test_import_of_a_missing_file_names_it_and_fails(tmp_path):
    result = run("import", "cordis", str(tmp_path / "nope.csv"), data_dir=tmp_path)
    assert result.returncode == 1
    assert "nope.csv: no such file or folder" in result.stderr


def test_unknown_import_kind_is_refused(tmp_path):
    result = run("import", "patents", "x.csv", data_dir=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'patents'" in result.stderr


@pytest.mark.parametrize("command", [["manage", "check"]])
def test_manage_passes_through_to_django(tmp_path, command):
    result = run(*command, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
