"""SigV4 authentication errors and the x-amzn-RequestId header (SPEC kms-local; reference section 6)."""
from __future__ import annotations

import json

import pytest

from conformance_support import ACCESS_KEY, SECRET_KEY, error_of, make_client, raw_request


@pytest.fixture(scope="module")
def server(start_module_kms_local):
    return start_module_kms_local("--credentials", f"{ACCESS_KEY}:{SECRET_KEY}", "--credentials", "AKIDSECOND:second-secret")


def _type_of(body: bytes) -> str:
    return json.loads(body)["__type"].split("#")[-1]


def test_valid_signature_is_accepted(server):
    assert server.client().list_keys()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_every_configured_credential_is_accepted(server):
    assert "Keys" in server.client("AKIDSECOND", "second-secret").list_keys()


def test_wrong_secret_is_invalid_signature_exception(server):
    code, status, message, _ = error_of(lambda: server.client(ACCESS_KEY, "not-the-secret").list_keys())
    assert (code, status) == ("InvalidSignatureException", 400), message
    assert "not-the-secret" not in message and SECRET_KEY not in message, "error messages never contain secrets"


def test_unknown_access_key_is_unrecognized_client_exception(server):
    code, status, message, _ = error_of(lambda: server.client("AKIDUNKNOWN", SECRET_KEY).list_keys())
    assert (code, status) == ("UnrecognizedClientException", 400), message


def test_signature_over_a_different_body_is_rejected(server):
    # Sign one body, send another: the payload hash no longer matches.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import http.client

    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.ListKeys"}
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=b"{}", headers=headers)
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "kms", "us-east-1").add_auth(request)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("POST", "/", body=b'{"Limit": 1}', headers=dict(request.prepare().headers))
        response = connection.getresponse()
        status, body = response.status, response.read()
    finally:
        connection.close()
    assert (_type_of(body), status) == ("InvalidSignatureException", 400)


def test_unsigned_request_is_missing_authentication_token(server):
    status, headers, body = raw_request(server, b"{}", "TrentService.ListKeys", sign=False)
    assert _type_of(body) == "MissingAuthenticationTokenException"
    # AWS's common-errors page gives 403 for MissingAuthenticationToken; JSON services also answer 400.
    assert status in (400, 403), f"unsigned request should be a client error, got HTTP {status}"
    assert headers.get("x-amzn-requestid")


def test_request_id_on_every_answer(server):
    kms = server.client()
    answers = []
    answers.append(kms.list_keys()["ResponseMetadata"])
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    answers.append(kms.describe_key(KeyId=key_id)["ResponseMetadata"])
    answers.append(kms.disable_key(KeyId=key_id)["ResponseMetadata"])  # empty-body answer
    answers.append(error_of(lambda: kms.cancel_key_deletion(KeyId=key_id))[3].response["ResponseMetadata"])
    answers.append(error_of(lambda: server.client(ACCESS_KEY, "wrong").list_keys())[3].response["ResponseMetadata"])
    answers.append(error_of(lambda: server.client("AKIDNOPE", "x").list_keys())[3].response["ResponseMetadata"])
    ids = [meta.get("RequestId") for meta in answers]
    assert all(ids), f"every boto3 answer has a RequestId from x-amzn-RequestId: {ids}"
    raw = [
        raw_request(server, b"{}", "TrentService.ListKeys", sign=False),
        raw_request(server, b"{}", "TrentService.NoSuchOperation"),
        raw_request(server, b"{broken", "TrentService.ListKeys"),
        raw_request(server, b"{}", None),
        raw_request(server, b"", None, sign=False, method="GET", path="/_kms_local/health"),
    ]
    raw_ids = [headers.get("x-amzn-requestid") for _, headers, _ in raw]
    assert all(raw_ids), f"raw answers all carry x-amzn-RequestId: {raw_ids}"
    every = ids + raw_ids
    assert len(set(every)) == len(every), "request ids are unique"


def test_empty_output_operations_answer_200(server):
    kms = server.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    body = json.dumps({"KeyId": key_id}).encode()
    status, headers, raw = raw_request(server, body, "TrentService.DisableKey")
    assert status == 200 and raw in (b"", b"{}"), f"DisableKey answers 200 with an empty body (6), got {status} {raw!r}"
