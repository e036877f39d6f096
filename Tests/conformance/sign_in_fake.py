"""A deterministic fake of STS (AssumeRole, AssumeRoleWithWebIdentity), the IAM Identity Center portal
(GetRoleCredentials) and SSO-OIDC (CreateToken) on loopback, for comparing boto3 with decommission.

Every answer is derived from the request (the signing access key and role, the web identity token,
the bearer token), so two clients that resolve the same chain get the same access key id."""
from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def derived_key(*parts: str) -> str:
    return "ASIA" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16].upper()


def secret_of(key: str) -> str:
    return "secret-" + key.lower()


def token_of(key: str) -> str:
    return "token-" + key.lower()


class _Handler(BaseHTTPRequestHandler):
    server: "SignInFake.Server"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: str, content_type: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        token = self.headers.get("x-amz-sso_bearer_token", "")
        self.server.fake.record("GetRoleCredentials", token)
        if url.path != "/federation/credentials" or token not in self.server.fake.valid_sso_tokens:
            self._send(401, json.dumps({"message": "Session token not found or invalid"}),
                       "application/json")
            return
        key = derived_key("sso", token, query.get("account_id", ""), query.get("role_name", ""))
        expiration = int((datetime.now(timezone.utc) + timedelta(hours=1)).timestamp() * 1000)
        body = {"roleCredentials": {"accessKeyId": key, "secretAccessKey": secret_of(key),
                                    "sessionToken": token_of(key), "expiration": expiration}}
        self._send(200, json.dumps(body), "application/json")

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/token":
            body = json.loads(data)
            self.server.fake.record("CreateToken", body.get("refreshToken", ""))
            new = "refreshed-" + body["refreshToken"]
            self.server.fake.valid_sso_tokens.add(new)
            self._send(200, json.dumps({"accessToken": new, "expiresIn": 28800, "tokenType": "Bearer"}),
                       "application/json")
            return
        form = dict(urllib.parse.parse_qsl(data.decode()))
        action = form.get("Action", "")
        if action == "AssumeRole":
            match = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", ""))
            signer = match.group(1) if match else ""
            key = derived_key("role", signer, form.get("RoleArn", ""))
        elif action == "AssumeRoleWithWebIdentity":
            key = derived_key("web", form.get("WebIdentityToken", ""), form.get("RoleArn", ""))
        else:
            self._send(400, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>", "text/xml")
            return
        self.server.fake.record(action, form.get("RoleArn", ""))
        expiration = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        xml = (f"<{action}Response><{action}Result><Credentials><AccessKeyId>{key}</AccessKeyId>"
               f"<SecretAccessKey>{secret_of(key)}</SecretAccessKey><SessionToken>{token_of(key)}</SessionToken>"
               f"<Expiration>{expiration}</Expiration></Credentials></{action}Result>"
               f"<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></{action}Response>")
        self._send(200, xml, "text/xml")


class SignInFake:
    """The fake server on a free loopback port; `calls` records (operation, detail) pairs."""

    class Server(ThreadingHTTPServer):
        fake: "SignInFake"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.valid_sso_tokens: set[str] = set()
        self._lock = threading.Lock()
        self._server = SignInFake.Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def record(self, operation: str, detail: str) -> None:
        with self._lock:
            self.calls.append((operation, detail))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
