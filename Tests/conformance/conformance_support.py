"""Helpers shared by the kms-local conformance tests: the server process, clients, raw requests, polling.

Everything here is bounded: every wait has a deadline, every process is stopped at teardown.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / ".build" / "debug" / "kms-local"
ACCESS_KEY = "AKIDKMSLOCAL"
SECRET_KEY = "kms-local-secret"
REGION = "us-east-1"
ACCOUNT = "111122223333"
DAY = 86_400
READY = re.compile(r"kms-local listening on (http://\S+)")
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0

# A certificate-shaped string; kms-local never parses it, real KMS checks it against the cluster.
TRUST_ANCHOR = "-----BEGIN CERTIFICATE-----\nMIIDconformance\n-----END CERTIFICATE-----"
# XKS proxy credential shapes from the botocore model: AccessKeyId 20-30 of [A-Z2-7], secret 43-64.
XKS_ACCESS_KEY_ID = "ABCDE12345ABCDE12345"
XKS_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789+/="


def kms_local_binary() -> Path:
    """The kms-local binary the tests run: $KMS_LOCAL_BIN or <repo>/.build/debug/kms-local."""
    return Path(os.environ.get("KMS_LOCAL_BIN", str(DEFAULT_BIN)))


class KMSLocal:
    """One kms-local subprocess on a free port, with its endpoint and test routes."""

    def __init__(self, binary: Path, args: list[str], log_dir: Path):
        self.binary = binary
        self.args = list(args)
        log_dir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = log_dir / f"kms-local-{time.monotonic_ns()}.stderr"
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            [str(binary), "--port", "0", *self.args],
            stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL, text=True, bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        self.endpoint = self._await_ready()
        parsed = urllib.parse.urlsplit(self.endpoint)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _await_ready(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        seen: list[str] = []
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            match = READY.search(line)
            if match:
                return match.group(1)
        self.stop()
        raise AssertionError(
            f"kms-local {' '.join(self.args)} did not print 'kms-local listening on http://HOST:PORT' within "
            f"{START_TIMEOUT}s; stdout={seen!r} stderr={self.stderr_text()!r}")

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        """Stops the process (SIGTERM, then SIGKILL after a timeout) and returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        self._reader.join(timeout=STOP_TIMEOUT)
        if not self._stderr.closed:
            self._stderr.close()
        return self.process.returncode

    # -- clients -------------------------------------------------------------------------------

    def client(self, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY, **config: Any):
        return make_client(self.endpoint, access_key, secret_key, **config)

    # -- test routes (unsigned) -----------------------------------------------------------------

    def admin(self, method: str, path: str, body: Any = None) -> tuple[int, dict[str, str], Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"null")

    def calls(self, since: int = 0) -> list[dict[str, Any]]:
        status, _, body = self.admin("GET", f"/_kms_local/calls?since={since}")
        assert status == 200, f"GET /_kms_local/calls answered {status}"
        return body["calls"]

    def last_seq(self) -> int:
        calls = self.calls()
        return calls[-1]["seq"] if calls else 0

    def advance(self, seconds: float) -> None:
        status, _, body = self.admin("POST", "/_kms_local/advance", {"seconds": seconds})
        assert status == 200, f"POST /_kms_local/advance answered {status}: {body}"


def make_client(endpoint: str, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY, *,
                retries: int = 1, validate: bool = True, read_timeout: float = 10.0):
    """A boto3 KMS client; retries=1 means a single attempt (no retries) so errors surface as they are."""
    config = Config(
        retries={"mode": "standard", "total_max_attempts": retries},
        connect_timeout=5, read_timeout=read_timeout, parameter_validation=validate,
    )
    return boto3.client(
        "kms", region_name=REGION, endpoint_url=endpoint, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key, aws_session_token=None, config=config,
    )


# -- errors ------------------------------------------------------------------------------------

def error_of(call: Callable[[], Any]) -> tuple[str, int, str, ClientError]:
    """Runs a call that must fail; returns (error code, HTTP status, message, exception)."""
    with pytest.raises(ClientError) as info:
        call()
    error = info.value
    return (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"],
            error.response["Error"].get("Message", ""), error)


def expect_error(call: Callable[[], Any], code: str | set[str], status: int = 400, context: str = "") -> str:
    """Asserts a call fails with the given AWS error name(s) and HTTP status; returns the message."""
    codes = {code} if isinstance(code, str) else set(code)
    got, got_status, message, _ = error_of(call)
    where = f" ({context})" if context else ""
    assert got in codes, f"expected {sorted(codes)} HTTP {status}{where}, got {got} HTTP {got_status}: {message}"
    assert got_status == status, f"{got}{where}: expected HTTP {status}, got {got_status}"
    return message


# -- polling -----------------------------------------------------------------------------------

def wait_until(probe: Callable[[], Any], done: Callable[[Any], bool], timeout: float, interval: float = 0.05,
               what: str = "condition") -> tuple[Any, list[Any]]:
    """Polls probe() until done(value) or the deadline; returns (last value, every value seen)."""
    deadline = time.monotonic() + timeout
    seen: list[Any] = []
    while True:
        value = probe()
        seen.append(value)
        if done(value):
            return value, seen
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value {value!r}")
        time.sleep(interval)


def store_state(kms, store_id: str) -> str:
    return kms.describe_custom_key_stores(CustomKeyStoreId=store_id)["CustomKeyStores"][0]["ConnectionState"]


def wait_store_state(kms, store_id: str, target: str, timeout: float = 10.0) -> list[str]:
    """Polls DescribeCustomKeyStores until the store reaches target; returns the distinct states seen in order."""
    _, seen = wait_until(lambda: store_state(kms, store_id), lambda s: s == target, timeout,
                         what=f"store {store_id} to reach {target}")
    distinct: list[str] = []
    for state in seen:
        if not distinct or distinct[-1] != state:
            distinct.append(state)
    return distinct


def key_state(kms, key_id: str) -> str:
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]


def is_gone(kms, key_id: str) -> bool:
    try:
        kms.describe_key(KeyId=key_id)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] == "NotFoundException":
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400, "NotFoundException must be HTTP 400"
            return True
        raise


def all_key_ids(kms) -> list[str]:
    ids: list[str] = []
    for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1000}):
        ids += [k["KeyId"] for k in page["Keys"]]
    return ids


def all_alias_names(kms, **kwargs: Any) -> list[str]:
    names: list[str] = []
    for page in kms.get_paginator("list_aliases").paginate(**kwargs):
        names += [a["AliasName"] for a in page["Aliases"]]
    return names


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- stores ------------------------------------------------------------------------------------

def create_cloudhsm_store(kms, name: str, cluster: str) -> str:
    return kms.create_custom_key_store(
        CustomKeyStoreName=name, CloudHsmClusterId=cluster, TrustAnchorCertificate=TRUST_ANCHOR,
        KeyStorePassword="kmsPswd1",
    )["CustomKeyStoreId"]


def create_xks_store(kms, name: str, host: str) -> str:
    return kms.create_custom_key_store(
        CustomKeyStoreName=name, CustomKeyStoreType="EXTERNAL_KEY_STORE",
        XksProxyUriEndpoint=f"https://{host}", XksProxyUriPath="/example/kms/xks/v1",
        XksProxyConnectivity="PUBLIC_ENDPOINT",
        XksProxyAuthenticationCredential={"AccessKeyId": XKS_ACCESS_KEY_ID, "RawSecretAccessKey": XKS_SECRET},
    )["CustomKeyStoreId"]


def write_seed(path: Path, seed: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"seedVersion": 1, **seed}, indent=2))
    return path


# -- raw HTTP ----------------------------------------------------------------------------------

def raw_request(server: KMSLocal, body: bytes, target: str | None = "TrentService.ListKeys", *,
                sign: bool = True, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY,
                method: str = "POST", path: str = "/") -> tuple[int, dict[str, str], bytes]:
    """Sends one request with http.client, optionally SigV4-signed by botocore; returns (status, headers, body)."""
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target is not None:
        headers["X-Amz-Target"] = target
    if sign:
        request = AWSRequest(method=method, url=server.endpoint + path, data=body, headers=headers)
        SigV4Auth(Credentials(access_key, secret_key), "kms", REGION).add_auth(request)
        headers = dict(request.prepare().headers)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        # Header names are case-insensitive; keep them lower-cased for lookups.
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()
