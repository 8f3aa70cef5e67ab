"""Settings come from the environment; production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.production",
            "SECRET_KEY": "k3y-" + "x9Q7!mZp2#Lw8@vR4$tN6^bY1&cH5*jF0" * 2,
            "ALLOWED_HOSTS": "crm.example.com",
            "SDELKA_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = run_manage(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "config.production",
            "ALLOWED_HOSTS": "crm.example.com",
            "SDELKA_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_local_secret_is_generated_once_and_kept(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "SDELKA_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "-v0", "-c", code, env=env).stdout.strip()
    second = run_manage("shell", "-v0", "-c", code, env=env).stdout.strip()

    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_chooses_the_database(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    default = run_manage("shell", "-v0", "-c", code, env={"SDELKA_VAR_DIR": str(tmp_path)}).stdout.split()
    postgres = run_manage(
        "shell",
        "-v0",
        "-c",
        code,
        env={"SDELKA_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@db.example:5432/crm"},
    ).stdout.split()

    assert default == ["django.db.backends.sqlite3", str(tmp_path / "sdelka.sqlite3")]
    assert postgres == ["django.db.backends.postgresql", "crm"]
