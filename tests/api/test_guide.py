"""Every example of the consumer's guide (``docs/api-guide.md``) runs, and answers as it says.

Each ```console block's ``$ `` commands, and each ```bash block as one script, run
in bash with the real ``curl`` and ``jq`` against a live server with the demo
content (``tests/api/live.py``), the response cache on as in ``make run``. curl
reads a ``.curlrc`` made here: it connects every ``*.localhost:8000`` URL to the
live server (the examples stay as a reader copies them) and writes each
response's status to stderr. A command's status must be its ``# -> NNN``
comment (in a bash block, every request's), and every line printed under it in
the guide (``# prints:`` in a bash block) must appear in what it printed (in any
order: headers come in any).
``<!-- guide-settings: NAME=value ... -->`` before a block overrides settings
for it (the rate limit). ``TOKEN`` holds a Czech editor's API token.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.api.live import LiveServer

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api-guide.md"
BLOCK = re.compile(
    r"(?:<!-- guide-settings: (?P<settings>[^>]*) -->\n)?"
    r"```(?P<kind>console|bash)\n(?P<body>.*?)```",
    re.DOTALL,
)
STATUS = re.compile(r"#\s*->\s*(\d{3})\s*$")
MARK = "@@guide-command@@"


@dataclass
class Command:
    script: str
    status: str
    shows: list[str] = field(default_factory=list)
    every_request: bool = False


@dataclass
class Example:
    line: int
    commands: list[Command]
    settings: dict[str, int | str]


def examples() -> list[Example]:
    text = GUIDE.read_text()
    found = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start("body")) + 1
        settings = {}
        for pair in (match["settings"] or "").split():
            name, value = pair.split("=", 1)
            settings[name] = int(value) if value.isdigit() else value
        body = match["body"]
        if match["kind"] == "bash":
            statuses = re.findall(r"^# -> (\d{3})\s*$", body, re.MULTILINE)
            shows = re.findall(r"^# prints: (.*)$", body, re.MULTILINE)
            assert len(statuses) == 1, f"guide line {line}: a bash block needs one '# -> NNN'"
            commands = [Command(body, statuses[0], shows, every_request=True)]
        else:
            commands = console_commands(body, line)
        found.append(Example(line, commands, settings))
    return found


def console_commands(body: str, line: int) -> list[Command]:
    commands: list[Command] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        current = lines[index]
        if not current.startswith("$ "):
            assert commands, f"guide line {line + index}: output before any command"
            if current.strip() and current.strip() not in ("...", "…"):
                commands[-1].shows.append(current.strip())
            index += 1
            continue
        script = [current[2:]]
        while script[-1].endswith("\\"):
            index += 1
            script.append(lines[index])
        status = STATUS.search(script[-1])
        assert status, f"guide line {line + index}: a command without '# -> NNN'"
        assert "curl" in "\n".join(script), f"guide line {line + index}: not a curl example"
        commands.append(Command("\n".join(script), status[1]))
        index += 1
    return commands


EXAMPLES = examples()


@pytest.fixture(scope="module")
def tools():
    missing = [tool for tool in ("curl", "jq", "bash") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the guide's examples need {', '.join(missing)}: apt-get install curl jq")


@pytest.fixture
def server(db, tools):
    cache.clear()
    with override_settings(API_RESPONSE_CACHE_SECONDS=300), LiveServer() as live:
        yield live
    cache.clear()


def run(example: Example, server: LiveServer, directory: Path, token: str) -> None:
    (directory / ".curlrc").write_text(
        # (a value beginning with ":" must be quoted in curl's config)
        f'connect-to = "::127.0.0.1:{server.port}"\n'
        'write-out = "%{stderr}HTTP %{http_code}\\n"\n'
    )
    script = "".join(
        f"echo {MARK}; echo {MARK} >&2\n{command.script}\n" for command in example.commands
    )
    environ = {**os.environ, "CURL_HOME": str(directory), "TOKEN": token}
    environ.pop("XDG_CONFIG_HOME", None)
    cache.clear()  # counters of the rate limit start afresh
    with override_settings(**example.settings):
        done = subprocess.run(  # noqa: S603 (bash runs the guide's own examples)
            [shutil.which("bash"), "-c", script],
            cwd=directory,
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
        )
    outputs = done.stdout.split(MARK + "\n")[1:]
    errors = done.stderr.split(MARK + "\n")[1:]
    assert len(outputs) == len(example.commands), done.stderr
    for command, output, error in zip(example.commands, outputs, errors, strict=True):
        where = f"guide line {example.line}: {command.script.splitlines()[0][:120]}"
        statuses = re.findall(r"^HTTP (\d{3})$", error, re.MULTILINE)
        assert statuses, f"{where}: no request answered\n{error}"
        if command.every_request:
            assert set(statuses) == {command.status}, f"{where}: answered {statuses}\n{error}"
        else:
            assert statuses[-1] == command.status, f"{where}: answered {statuses[-1]}\n{output}"
        for shown in command.shows:
            assert shown in output, f"{where}: does not print {shown!r}; it printed:\n{output}"


def test_the_guide_has_examples_of_every_section():
    lines = [command.script for example in EXAMPLES for command in example.commands]
    for path in ("sync/", "lang=all", "If-None-Match", "If-Modified-Since", "preview/"):
        assert any(path in script for script in lines), path
    statuses = {command.status for example in EXAMPLES for command in example.commands}
    assert statuses >= {"200", "304", "400", "401", "404", "405", "429"}


def test_every_example_of_the_guide_runs_as_it_says(server, tmp_path, api_token):
    """One live server for all examples (in the order a reader meets them)."""
    for example in EXAMPLES:
        run(example, server, tmp_path, api_token)
