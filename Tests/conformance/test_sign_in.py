"""boto3 is the reference for finding credentials: the same config files and environment make boto3
and `decommission` resolve the same identity (access key id) through a deterministic STS / SSO fake,
and kms-local, given those temporary credentials with their session token, accepts decommission's
KMS call. boto3 runs in a subprocess so HOME (the SSO token cache) and the environment are its own."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conformance_support import REPO
from sign_in_fake import SignInFake, secret_of, token_of

DECOMMISSION = Path(os.environ.get("DECOMMISSION_BIN", str(REPO / ".build" / "debug" / "decommission")))
START_URL = "https://corp.awsapps.com/start"

BOTO3_SCRIPT = """
import sys, boto3
profile = sys.argv[1] or None
session = boto3.Session(profile_name=profile)
session.client("kms")  # as the AWS CLI: credential providers use the last client's Region
credentials = session.get_credentials()
print(credentials.get_frozen_credentials().access_key if credentials else "NONE")
"""

CONFIG = f"""
[profile base]
region = us-east-1

[profile first]
role_arn = arn:aws:iam::111122223333:role/first
source_profile = base

[profile chained]
role_arn = arn:aws:iam::444455556666:role/second
source_profile = first
role_session_name = conformance

[profile from-env]
role_arn = arn:aws:iam::111122223333:role/ci
credential_source = Environment

[profile web]
web_identity_token_file = {{token_file}}
role_arn = arn:aws:iam::111122223333:role/web

[profile role-from-web]
role_arn = arn:aws:iam::111122223333:role/after-web
source_profile = web

[profile legacy-sso]
sso_start_url = {START_URL}
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = Admin

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[profile role-from-sso]
role_arn = arn:aws:iam::444455556666:role/kms-owner
source_profile = dev

[sso-session corp]
sso_start_url = {START_URL}
sso_region = eu-west-1
"""

CREDENTIALS = """
[base]
aws_access_key_id = AKIDBASEFILE
aws_secret_access_key = base-file-secret
"""

ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "environment-secret"}
WEB_ENV = {"AWS_WEB_IDENTITY_TOKEN_FILE": "{token_file}", "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/env-web",
           "AWS_ROLE_SESSION_NAME": "ci-run"}

# (name, profile given as --profile / profile_name, extra environment)
SCENARIOS = [
    ("environment keys win over AWS_PROFILE", None, {**ENV_KEYS, "AWS_PROFILE": "chained"}),
    ("--profile skips environment keys", "chained", ENV_KEYS),
    ("credential_source Environment", "from-env", ENV_KEYS),
    ("web identity from the environment", None, WEB_ENV),
    ("web identity profile as a role source", "role-from-web", {}),
    ("legacy SSO profile", "legacy-sso", {}),
    ("sso-session profile", "dev", {}),
    ("role sourced from an sso-session profile", "role-from-sso", {}),
    ("sso-session token refreshed first", "dev", {"_refresh": "1"}),
]


@pytest.fixture
def decommission_bin() -> Path:
    if not (DECOMMISSION.is_file() and os.access(DECOMMISSION, os.X_OK)):
        pytest.skip(f"decommission binary not found at {DECOMMISSION}: run `swift build`")
    return DECOMMISSION


@pytest.fixture
def fake():
    server = SignInFake()
    yield server
    server.stop()


def write_sso_cache(home: Path, fake: SignInFake, refresh: bool) -> None:
    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    soon = datetime.now(timezone.utc) + (timedelta(minutes=5) if refresh else timedelta(hours=8))
    expires = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
    session = {"startUrl": START_URL, "region": "eu-west-1", "accessToken": "session-access", "expiresAt": expires,
               "refreshToken": "refresh-1", "clientId": "client-1", "clientSecret": "client-secret",
               "registrationExpiresAt": "2099-01-01T00:00:00Z"}
    legacy = {"startUrl": START_URL, "region": "eu-west-1", "accessToken": "legacy-access", "expiresAt": expires}
    (cache / (hashlib.sha1(b"corp").hexdigest() + ".json")).write_text(json.dumps(session))
    (cache / (hashlib.sha1(START_URL.encode()).hexdigest() + ".json")).write_text(json.dumps(legacy))
    fake.valid_sso_tokens.update({"session-access", "legacy-access"})


def make_environment(home: Path, fake: SignInFake, extra: dict[str, str]) -> dict[str, str]:
    token_file = home / "web-identity-token"
    token_file.write_text("eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.conformance")
    (home / "config").write_text(CONFIG.replace("{token_file}", str(token_file)))
    (home / "credentials").write_text(CREDENTIALS)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(home / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": fake.endpoint,
        "AWS_ENDPOINT_URL_SSO": fake.endpoint, "AWS_ENDPOINT_URL_SSO_OIDC": fake.endpoint,
    }
    for name, value in extra.items():
        if not name.startswith("_"):
            environment[name] = value.replace("{token_file}", str(token_file))
    return environment


def boto3_access_key(environment: dict[str, str], profile: str | None) -> str:
    result = subprocess.run([sys.executable, "-c", BOTO3_SCRIPT, profile or ""], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("name,profile,extra", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_boto3_and_decommission_resolve_the_same_identity(name, profile, extra, fake, decommission_bin,
                                                          start_kms_local, tmp_path):
    write_sso_cache(tmp_path, fake, refresh="_refresh" in extra)
    environment = make_environment(tmp_path, fake, extra)
    expected = boto3_access_key(environment, profile)
    static = {"AKIDENVIRONMENT": "environment-secret", "AKIDBASEFILE": "base-file-secret"}
    accepted = f"{expected}:{static[expected]}" if expected in static else \
        f"{expected}:{secret_of(expected)}:{token_of(expected)}"
    if "_refresh" in extra:
        assert ("CreateToken", "refresh-1") in fake.calls
        # boto3 saved its refreshed token; put the near-expiry one back so decommission refreshes too.
        cache = tmp_path / ".aws" / "sso" / "cache"
        for file in cache.iterdir():
            file.unlink()
        cache.rmdir()
        write_sso_cache(tmp_path, fake, refresh=True)
        fake.calls.clear()

    kms = start_kms_local("--credentials", accepted)
    arguments = [str(decommission_bin), "list-key-stores", "--verbose", "--endpoint-url", kms.endpoint]
    if profile:
        arguments += ["--profile", profile]
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    keys = re.findall(r"^credentials: .*, access key ([^,\s]+)", result.stderr, re.MULTILINE)
    assert keys == [expected], result.stderr
    for secret in ("environment-secret", "base-file-secret", secret_of(expected), token_of(expected),
                   "session-access", "legacy-access", "refresh-1", "client-secret", "conformance\n"):
        assert secret not in result.stderr and secret not in result.stdout
    if "_refresh" in extra:
        assert ("CreateToken", "refresh-1") in fake.calls
        saved = json.loads((tmp_path / ".aws" / "sso" / "cache" / (hashlib.sha1(b"corp").hexdigest() + ".json"))
                           .read_text())
        assert saved["accessToken"] == "refreshed-refresh-1"
        assert saved["clientSecret"] == "client-secret"
        mode = (tmp_path / ".aws" / "sso" / "cache" / (hashlib.sha1(b"corp").hexdigest() + ".json")).stat().st_mode
        assert mode & 0o777 == 0o600
