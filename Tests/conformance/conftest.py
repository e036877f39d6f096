"""Fixtures: the kms-local binary as a subprocess on a free port, boto3 clients for it, and moto_server.

kms-local: $KMS_LOCAL_BIN or <repo>/.build/debug/kms-local (build it with `swift build --product kms-local`);
every test that needs it is skipped with the reason when it is missing.
moto: $KMS_MOTO_ENDPOINT (e.g. http://127.0.0.1:5000 of a running `moto_server`); differential tests are
skipped when it is not set.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conformance_support import KMSLocal, kms_local_binary, make_client  # noqa: E402


@pytest.fixture(scope="session")
def kms_local_bin() -> Path:
    binary = kms_local_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.skip(f"kms-local binary not found at {binary}: run `swift build --product kms-local` "
                    f"or set KMS_LOCAL_BIN")
    return binary


StartServer = Callable[..., KMSLocal]


def _factory(binary: Path, log_dir: Path) -> tuple[StartServer, list[KMSLocal]]:
    started: list[KMSLocal] = []

    def start(*args: str) -> KMSLocal:
        server = KMSLocal(binary, list(args), log_dir)
        started.append(server)
        return server

    return start, started


@pytest.fixture
def start_kms_local(kms_local_bin: Path, tmp_path: Path) -> Iterator[StartServer]:
    """Starts kms-local with the given arguments (plus --port 0); every server is stopped at teardown."""
    start, started = _factory(kms_local_bin, tmp_path / "logs")
    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def start_module_kms_local(kms_local_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Like start_kms_local, for servers shared by a module's tests."""
    start, started = _factory(kms_local_bin, tmp_path_factory.mktemp("logs"))
    yield start
    for server in started:
        server.stop()


@pytest.fixture
def kms_local(start_kms_local: StartServer) -> KMSLocal:
    """A fresh kms-local with default settings."""
    return start_kms_local()


@pytest.fixture
def kms_client_factory():
    """make_client(endpoint, access_key, secret_key, retries=1, validate=True) for any endpoint."""
    return make_client


@pytest.fixture(scope="session")
def moto_server() -> str:
    """Endpoint of a moto_server for differential tests ($KMS_MOTO_ENDPOINT); skips when unset."""
    endpoint = os.environ.get("KMS_MOTO_ENDPOINT")
    if not endpoint:
        pytest.skip("KMS_MOTO_ENDPOINT is not set (start `moto_server -p 5000` and set it to http://127.0.0.1:5000)")
    return endpoint.rstrip("/")
