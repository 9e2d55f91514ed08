"""Fixtures: a dl-lsp server in a subprocess, driven by pytest-lsp under real client profiles.

pytest-lsp's fixture always hands out the client, so each ``*_client`` fixture starts a server
and a plain fixture on top of it initialises the session the test uses.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `tests.lsp.support` whether pytest runs as a module or not
    sys.path.insert(0, str(ROOT))

from tests.lsp.support import (  # noqa: E402
    INSTRUMENTED_SERVER,
    PROFILES,
    SERVER,
    Session,
    make_client,
    start_session,
)

REAL = ClientServerConfig(server_command=SERVER, client_factory=make_client)
INSTRUMENTED = ClientServerConfig(server_command=INSTRUMENTED_SERVER, client_factory=make_client)


@pytest_lsp.fixture(config=REAL, params=PROFILES)
async def profile_client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[None]:
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=REAL)
async def real_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=INSTRUMENTED)
async def instrumented_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    yield
    await lsp_client.shutdown_session()


@pytest_asyncio.fixture
async def session(profile_client: LanguageClient, tmp_path: Path) -> Session:
    """A server initialised by each client profile (VS Code, Neovim, Emacs)."""
    return await start_session(profile_client, profile_client.profile, tmp_path)  # type: ignore[attr-defined]


@pytest_asyncio.fixture
async def vscode(real_client: LanguageClient, tmp_path: Path) -> Session:
    """A server initialised by the VS Code profile (push diagnostics, UTF-16)."""
    return await start_session(real_client, "visual-studio-code", tmp_path)


@pytest_asyncio.fixture
async def neovim(real_client: LanguageClient, tmp_path: Path) -> Session:
    """A server initialised by the Neovim 0.11 profile (pull diagnostics, UTF-8)."""
    return await start_session(real_client, "neovim", tmp_path)


@pytest_asyncio.fixture
async def instrumented(instrumented_client: LanguageClient, tmp_path: Path) -> Session:
    """The instrumented server (slow extractor, raising rule) under the VS Code profile."""
    return await start_session(instrumented_client, "visual-studio-code", tmp_path)
