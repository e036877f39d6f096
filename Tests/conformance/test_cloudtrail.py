"""kms-local serves CloudTrail: unmodified boto3 `cloudtrail.lookup_events` (and its paginator) reads
the events of the KMS calls it answered, on the same port (issue 12, item 6)."""
from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conformance_support import ACCOUNT, REGION, expect_error, utc_now, write_seed

APP_KEY, APP_SECRET = "AKIDAPP", "app-secret"
TOOL_KEY, TOOL_SECRET = "AKIDKMSLOCAL", "kms-local-secret"
APP_ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
PENDING = "0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{KEY}"
CREDENTIALS = ["--credentials", f"{APP_KEY}:{APP_SECRET}", "--credentials", f"{TOOL_KEY}:{TOOL_SECRET}",
               "--principal", f"{APP_KEY}={APP_ROLE}"]


def cloudtrail(server, retries: int = 1):
    config = Config(retries={"mode": "standard", "total_max_attempts": retries}, connect_timeout=5, read_timeout=10)
    return boto3.client("cloudtrail", region_name=REGION, endpoint_url=server.endpoint, aws_access_key_id=TOOL_KEY,
                        aws_secret_access_key=TOOL_SECRET, config=config)


def seed(tmp_path, **extra):
    keys = [{"id": KEY, "state": "Enabled"}, {"id": PENDING, "state": "PendingDeletion", "pendingWindowInDays": 7}]
    return str(write_seed(tmp_path / "seed.json", {"keys": keys, **extra}))


def by_resource(arn: str) -> list[dict]:
    return [{"AttributeKey": "ResourceName", "AttributeValue": arn}]


def test_failed_decrypt_on_a_disabled_key_shows_disabled_exception_with_the_principal(start_kms_local, tmp_path):
    server = start_kms_local("--seed", seed(tmp_path), *CREDENTIALS)
    app = server.client(APP_KEY, APP_SECRET)
    blob = app.encrypt(KeyId=KEY, Plaintext=b"secret")["CiphertextBlob"]
    server.client(TOOL_KEY, TOOL_SECRET).disable_key(KeyId=KEY)
    message = expect_error(lambda: app.decrypt(CiphertextBlob=blob), "DisabledException")
    assert message == f"{KEY_ARN} is disabled."

    events = cloudtrail(server).lookup_events(LookupAttributes=by_resource(KEY_ARN))["Events"]
    assert [e["EventName"] for e in events] == ["Decrypt", "DisableKey", "Encrypt"], "newest first"
    decrypt = events[0]
    assert isinstance(decrypt["EventTime"], dt.datetime)
    assert decrypt["EventSource"] == "kms.amazonaws.com"
    assert decrypt["AccessKeyId"] == APP_KEY
    assert decrypt["Resources"] == [{"ResourceType": "AWS::KMS::Key", "ResourceName": KEY_ARN}]
    record = json.loads(decrypt["CloudTrailEvent"])
    assert record["errorCode"] == "DisabledException"
    assert record["errorMessage"] == f"{KEY_ARN} is disabled."
    assert record["userIdentity"]["type"] == "AssumedRole"
    assert record["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"] == APP_ROLE
    assert record["userIdentity"]["arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/app/kms-local"
    assert record["resources"][0]["ARN"] == KEY_ARN
    assert record["eventID"] == decrypt["EventId"]
    assert record["readOnly"] is True and events[1]["ReadOnly"] == "false"
    assert "errorCode" not in json.loads(events[2]["CloudTrailEvent"])


def test_crypto_on_a_pending_key_is_invalid_state_pending_deletion(start_kms_local, tmp_path):
    server = start_kms_local("--seed", seed(tmp_path), *CREDENTIALS)
    app = server.client(APP_KEY, APP_SECRET)
    message = expect_error(lambda: app.generate_data_key(KeyId=PENDING, KeySpec="AES_256"), "KMSInvalidStateException")
    assert "is pending deletion" in message
    expect_error(lambda: app.encrypt(KeyId=PENDING, Plaintext=b"x"), "KMSInvalidStateException")
    events = cloudtrail(server).lookup_events(LookupAttributes=by_resource(PENDING))["Events"]
    assert [e["EventName"] for e in events] == ["Encrypt", "GenerateDataKey"]
    assert {json.loads(e["CloudTrailEvent"])["errorCode"] for e in events} == {"KMSInvalidStateException"}


def test_120_events_are_read_in_3_pages_by_the_paginator(start_kms_local, tmp_path):
    newest = utc_now().replace(microsecond=0) - dt.timedelta(hours=1)
    entry = {"eventName": "Decrypt", "eventTime": newest.strftime("%Y-%m-%dT%H:%M:%SZ"), "keyId": KEY,
             "errorCode": "DisabledException", "accessKeyId": APP_KEY, "count": 120, "intervalSeconds": 600}
    server = start_kms_local("--seed", seed(tmp_path, cloudtrailEvents=[entry]), *CREDENTIALS)
    pages = list(cloudtrail(server).get_paginator("lookup_events").paginate(LookupAttributes=by_resource(KEY_ARN)))
    assert [len(p["Events"]) for p in pages] == [50, 50, 20]
    events = [e for p in pages for e in p["Events"]]
    assert len({e["EventId"] for e in events}) == 120
    times = [e["EventTime"] for e in events]
    assert times == sorted(times, reverse=True)
    assert times[0] == newest and times[-1] == newest - dt.timedelta(seconds=600 * 119)
    assert "NextToken" in pages[0] and "NextToken" not in pages[-1]
    # A time range narrows the read; a token only works with the filters it came with.
    since = newest - dt.timedelta(seconds=600 * 9)
    narrowed = cloudtrail(server).lookup_events(LookupAttributes=by_resource(KEY_ARN), StartTime=since)
    assert len(narrowed["Events"]) == 10 and "NextToken" not in narrowed
    expect_error(lambda: cloudtrail(server).lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "Decrypt"}], NextToken=pages[0]["NextToken"]),
        "InvalidNextTokenException")


def test_lookups_are_throttled_beyond_2_per_second_under_aws_quotas(start_kms_local, tmp_path):
    server = start_kms_local("--seed", seed(tmp_path), "--quotas", "aws", *CREDENTIALS)
    client = cloudtrail(server)
    codes = []
    for _ in range(10):  # 10 calls would need 4 s to pass unthrottled
        try:
            client.lookup_events(MaxResults=1)
            codes.append("ok")
        except ClientError as error:
            codes.append(error.response["Error"]["Code"])
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert codes[:2] == ["ok", "ok"], "a burst of 2 is allowed"
    assert "ThrottlingException" in codes
    logged = [c for c in server.calls() if c["operation"] == "LookupEvents"]
    assert [c.get("errorType") == "ThrottlingException" for c in logged] == [c != "ok" for c in codes]


def test_the_lag_hides_a_fresh_event_until_it_passes(start_kms_local, tmp_path):
    server = start_kms_local("--seed", seed(tmp_path), "--cloudtrail-lag", "600", *CREDENTIALS)
    server.client(APP_KEY, APP_SECRET).encrypt(KeyId=KEY, Plaintext=b"x")
    client = cloudtrail(server)
    assert client.lookup_events(LookupAttributes=by_resource(KEY_ARN))["Events"] == []
    server.advance(601)
    assert [e["EventName"] for e in client.lookup_events(LookupAttributes=by_resource(KEY_ARN))["Events"]] == ["Encrypt"]


def test_read_only_event_name_and_access_key_filters(start_kms_local, tmp_path):
    server = start_kms_local("--seed", seed(tmp_path), *CREDENTIALS)
    server.client(APP_KEY, APP_SECRET).encrypt(KeyId=KEY, Plaintext=b"x")
    tool = server.client(TOOL_KEY, TOOL_SECRET)
    tool.disable_key(KeyId=KEY)
    tool.describe_key(KeyId=KEY)
    client = cloudtrail(server)

    def names(key: str, value: str) -> list[str]:
        return [e["EventName"] for e in client.lookup_events(
            LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}])["Events"]]

    assert names("ReadOnly", "false") == ["DisableKey"]
    assert names("ReadOnly", "true") == ["DescribeKey", "Encrypt"]
    assert names("EventName", "Encrypt") == ["Encrypt"]
    assert names("AccessKeyId", TOOL_KEY) == ["DescribeKey", "DisableKey"]
    expect_error(lambda: client.lookup_events(LookupAttributes=[
        {"AttributeKey": "EventName", "AttributeValue": "a"}, {"AttributeKey": "ReadOnly", "AttributeValue": "true"}]),
        "InvalidLookupAttributesException")
    later = utc_now() + dt.timedelta(hours=1)
    expect_error(lambda: client.lookup_events(StartTime=later, EndTime=later - dt.timedelta(hours=2)),
                 "InvalidTimeRangeException")
