"""Deployment files: what can be checked without building the image.

Docker cannot build here (no daemon, no registry), so these tests check that
the Dockerfile, compose.yaml and the systemd unit fit the code they deploy:
the image installs every package of the project and runs as a non-root user,
its HEALTHCHECK command asks the real HTTP server's health route, compose's
settings are settings ClaimWatch has (and valid ones), and the unit starts a
real subcommand with the hardening it promises."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import sys
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from fnmatch import fnmatch
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from bot.cli import COMMANDS, build_parser
from bot.config import Settings, load_settings
from bot.http import HttpServer
from bot.runtime import Services, http_server
from tests.conftest import ROOT

# --------------------------------------------------------------------------- Dockerfile


@dataclass(frozen=True)
class Instruction:
    name: str  # upper case: FROM, RUN, ...
    args: str


def dockerfile_stages(path: Path) -> list[list[Instruction]]:
    """The instructions of each build stage (continuation lines joined)."""
    lines: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    stages: list[list[Instruction]] = []
    for line in lines:
        name, _, args = line.partition(" ")
        ins = Instruction(name.upper(), args.strip())
        if ins.name == "FROM":
            stages.append([])
        stages[-1].append(ins)
    return stages


def exec_form(args: str) -> list[str]:
    """A JSON-array (exec form) argument; shell form is refused."""
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


def env_of(stage: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for ins in stage:
        if ins.name == "ENV":
            for word in shlex.split(ins.args):
                key, _, value = word.partition("=")
                env[key] = value
    return env


@pytest.fixture(scope="module")
def stages() -> list[list[Instruction]]:
    return dockerfile_stages(ROOT / "Dockerfile")


def final(stages: list[list[Instruction]]) -> list[Instruction]:
    return stages[-1]


def last(stage: list[Instruction], name: str) -> Instruction:
    found = [ins for ins in stage if ins.name == name]
    assert found, f"the final stage has no {name}"
    return found[-1]


def test_the_image_is_python_311_slim_and_runs_as_a_user_it_creates(
    stages: list[list[Instruction]],
) -> None:
    assert [stage[0].args.split()[0] for stage in stages] == ["python:3.11-slim"] * len(stages)
    stage = final(stages)
    user = last(stage, "USER").args
    name, _, group = user.partition(":")
    assert name not in {"root", "0", ""} and group not in {"root", "0"}, user
    # the user exists: a RUN in the final stage creates it with that uid (or name)
    creates = [i.args for i in stage if i.name == "RUN" and "useradd" in i.args]
    assert creates and (f"--uid {name}" in creates[0] or f" {name}" in creates[0]), creates
    # nothing runs after the switch as root again, and the command comes after it
    at = max(i for i, ins in enumerate(stage) if ins.name == "USER")
    assert not [ins for ins in stage[at:] if ins.name == "RUN"]
    assert [ins.name for ins in stage[at:]].count("CMD") == 1


def test_the_image_installs_the_project_with_its_model(stages: list[list[Instruction]]) -> None:
    """pip installs the project from its own files, so every runtime dependency
    (the spaCy model package included) is in the image; the build loads the model."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    assert any(dep.startswith("en-core-web-sm") for dep in project["project"]["dependencies"])
    build = [ins for stage in stages for ins in stage]
    copied: list[str] = []
    for ins in build:
        if ins.name == "COPY" and not ins.args.startswith("--from"):
            copied += ins.args.split()[:-1]
    for package in packages:
        assert package in copied, f"the image does not copy the package {package}/"
    assert "pyproject.toml" in copied
    assert project["project"]["readme"] in copied  # setuptools reads it at install
    runs = " ".join(ins.args for ins in build if ins.name == "RUN")
    assert re.search(r"pip install \.(\s|$)", runs), runs
    assert "load('en_core_web_sm')" in runs
    # what is copied is in the build context: it exists and .dockerignore keeps it
    ignored = dockerignore()
    for source in copied:
        assert (ROOT / source).exists(), source
        assert not is_ignored(source, ignored), f".dockerignore leaves out {source}"


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def is_ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; ``!`` re-includes."""
    out = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        bare = pattern.lstrip("!").removeprefix("**/")
        parts = path.split("/")
        if any(fnmatch("/".join(parts[: i + 1]), bare) for i in range(len(parts))) or fnmatch(
            parts[-1], bare
        ):
            out = not negate
    return out


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = dockerignore()
    for path in (".env", ".env.production", "claimwatch.db", ".venv", ".git", "tests"):
        assert is_ignored(path, ignored), path
    assert not is_ignored(".env.example", ignored)
    assert not is_ignored("bot/cli.py", ignored)


def test_the_image_settings_are_real_settings_and_the_database_is_on_the_volume(
    stages: list[list[Instruction]],
) -> None:
    stage = final(stages)
    env = env_of(stage)
    ours = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "PIP")) and k != "PATH"}
    unknown = [k for k in ours if k.lower() not in Settings.model_fields]
    assert not unknown, f"the Dockerfile sets settings that do not exist: {unknown}"
    settings = load_settings(_env_file=None, **{k.lower(): v for k, v in ours.items()})
    assert settings.database_url.startswith("sqlite:///")
    db_dir = str(Path(settings.database_url.removeprefix("sqlite:///")).parent)
    volumes = exec_form(last(stage, "VOLUME").args)
    assert db_dir in volumes
    assert last(stage, "WORKDIR").args == db_dir  # a relative sqlite path lands there too
    # the HTTP server listens beyond the container's loopback, on the port it exposes
    assert settings.http_host == "0.0.0.0"
    assert last(stage, "EXPOSE").args.split("/")[0] == str(settings.http_port)


def test_the_image_runs_claimwatch_run(stages: list[list[Instruction]]) -> None:
    stage = final(stages)
    command = exec_form(last(stage, "ENTRYPOINT").args) + exec_form(last(stage, "CMD").args)
    assert command == ["claimwatch", "run"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "claimwatch" in project["project"]["scripts"]
    assert build_parser().parse_args(command[1:]).command in COMMANDS


# --------------------------------------------------------------------------- HEALTHCHECK


def healthcheck_command(stages: list[list[Instruction]]) -> list[str]:
    args = last(final(stages), "HEALTHCHECK").args
    _, cmd = args.split("CMD", 1)
    command = exec_form(cmd.strip())
    assert command[0] == "python"  # the venv's python is first on PATH in the image
    return [sys.executable, *command[1:]]


async def run_probe(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    full = {k: v for k, v in os.environ.items() if not k.upper().startswith("HTTP_")}
    full.update(env)
    full["http_proxy"] = full["HTTP_PROXY"] = "http://127.0.0.1:9"  # must be ignored
    proc = await asyncio.create_subprocess_exec(
        *command,
        env=full,
        cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, err.decode()


@pytest.fixture
async def live(services: Services) -> AsyncIterator[HttpServer]:
    server = http_server(services)
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


async def test_the_healthcheck_asks_the_services_health_route(
    stages: list[list[Instruction]], live: HttpServer
) -> None:
    command = healthcheck_command(stages)
    image_env = env_of(final(stages))
    env = {"HTTP_HOST": image_env["HTTP_HOST"], "HTTP_PORT": str(live.port)}
    code, err = await run_probe(command, env)
    assert code == 0, err
    await live.stop()
    code, err = await run_probe(command, env)
    assert code == 1 and "/healthz did not answer" in err


async def test_the_healthcheck_fails_when_the_service_says_it_is_unwell(
    stages: list[list[Instruction]], settings: Settings
) -> None:
    async def broken() -> dict[str, Any]:
        raise ConnectionError("database gone")

    server = HttpServer(settings, health=broken)
    port = await server.start("127.0.0.1", 0)
    try:
        code, err = await run_probe(healthcheck_command(stages), {"http_port": str(port)})
    finally:
        await server.stop()
    assert code == 1 and "answered 503" in err


async def test_the_healthcheck_path_is_a_route_the_server_has(settings: Settings) -> None:
    from bot.healthcheck import HEALTH_PATH

    server = HttpServer(settings)
    paths = {r.resource.canonical for r in server.app.router.routes() if r.resource}
    assert HEALTH_PATH in paths
    assert isinstance(server.app, web.Application)


# --------------------------------------------------------------------------- compose


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


_VAR = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}")


def substitute(value: str, values: dict[str, str]) -> str:
    return _VAR.sub(lambda m: values[m.group(1)], value)


def test_compose_runs_two_instances_on_postgres_with_real_settings() -> None:
    services = compose()["services"]
    ours = {name: s for name, s in services.items() if s.get("build")}
    assert len(ours) == 2, "compose should run two ClaimWatch instances"
    dbs = [name for name, s in services.items() if str(s.get("image", "")).startswith("postgres:")]
    assert len(dbs) == 1
    db = services[dbs[0]]
    assert "healthcheck" in db
    ports: list[str] = []
    for name, service in ours.items():
        assert service["build"] == "."  # this repository's Dockerfile
        assert service["env_file"] == ".env" or service["env_file"] == [".env"]
        assert service["depends_on"][dbs[0]]["condition"] == "service_healthy"
        env = service["environment"]
        unknown = [k for k in env if k.lower() not in Settings.model_fields]
        assert not unknown, f"{name} sets settings that do not exist: {unknown}"
        values = {k: substitute(str(v), {"POSTGRES_PASSWORD": "pw"}) for k, v in env.items()}
        settings = load_settings(_env_file=None, **{k.lower(): v for k, v in values.items()})
        assert settings.database_url.startswith("postgresql://")
        assert f"@{dbs[0]}:5432/" in settings.database_url
        db_env = db["environment"]
        assert settings.database_url == (
            f"postgresql://{db_env['POSTGRES_USER']}:pw@{dbs[0]}:5432/{db_env['POSTGRES_DB']}"
        )
        assert settings.http_host == "0.0.0.0"
        [mapping] = service["ports"]
        host_side, _, container = str(mapping).rpartition(":")
        assert container == str(settings.http_port)
        ports.append(host_side)
    assert len(set(ports)) == 2, "each instance needs its own host port"


def test_compose_variables_are_documented() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    names = set(_VAR.findall(text))
    assert names == {"POSTGRES_PASSWORD"}
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" in guide


# --------------------------------------------------------------------------- systemd

UNIT = ROOT / "deploy" / "claimwatch.service"


def unit_entries() -> list[tuple[str, str, str]]:
    """(section, key, value) in order; repeated keys stay repeated."""
    out: list[tuple[str, str, str]] = []
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.append((section, key.strip(), value.strip()))
    return out


def unit_values(key: str) -> list[str]:
    return [v for s, k, v in unit_entries() if s == "Service" and k == key]


def test_the_unit_starts_a_real_subcommand() -> None:
    [start] = unit_values("ExecStart")
    argv = shlex.split(start)
    assert Path(argv[0]).name == "claimwatch"
    args = build_parser().parse_args(argv[1:])
    assert args.command == "run" and args.command in COMMANDS


def test_the_unit_is_hardened_and_writes_only_its_state_directory() -> None:
    def one(key: str) -> str:
        values = unit_values(key)
        assert values, f"the unit has no {key}="
        return values[-1]

    assert one("NoNewPrivileges") == "yes"
    assert one("ProtectSystem") == "strict"
    assert one("Restart") == "on-failure"
    assert one("EnvironmentFile").lstrip("-").startswith("/etc/")
    assert one("DynamicUser") == "yes" or one("User") not in {"root", "0"}
    state = one("StateDirectory")
    state_dir = f"/var/lib/{state}"
    env = dict(v.partition("=")[::2] for v in unit_values("Environment"))
    unknown = [k for k in env if k.lower() not in Settings.model_fields]
    assert not unknown, f"the unit sets settings that do not exist: {unknown}"
    settings = load_settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    db_file = settings.database_url.removeprefix("sqlite:///")
    assert db_file.startswith(state_dir + "/"), "the SQLite file must be in the state directory"
    assert one("WorkingDirectory") == state_dir  # a relative sqlite path lands there too


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    binary = Path(sys.executable).parent / "claimwatch"
    assert binary.exists(), "the venv's claimwatch script"
    unit = tmp_path / "claimwatch.service"
    unit.write_text(
        UNIT.read_text(encoding="utf-8").replace("/opt/claimwatch/bin/claimwatch", str(binary)),
        encoding="utf-8",
    )
    import subprocess

    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stderr


# --------------------------------------------------------------------------- --version


async def test_version_comes_from_the_package_metadata() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "--version",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert out.decode().strip() == f"claimwatch {project['project']['version']}"
    assert version("claimwatch") == project["project"]["version"]


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8080/healthz"),
        ({"HTTP_HOST": "0.0.0.0", "HTTP_PORT": "9000"}, "http://127.0.0.1:9000/healthz"),
        ({"http_host": "::", "http_port": "81"}, "http://[::1]:81/healthz"),
        ({"HTTP_HOST": "10.1.2.3"}, "http://10.1.2.3:8080/healthz"),
    ],
)
def test_the_probe_asks_where_the_service_listens(env: dict[str, str], url: str) -> None:
    """The service's own settings, read the way it reads them (names in any case)."""
    from bot.healthcheck import probe_url

    assert probe_url(env) == url
