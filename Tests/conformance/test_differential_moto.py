"""The same boto3 scenario against moto_server and kms-local: compare response SHAPES (members, types),
never values. Where moto departs from AWS (reference section 11), kms-local must follow AWS; each such
assertion says so. Needs $KMS_MOTO_ENDPOINT (see conftest.py).
"""
from __future__ import annotations

import json
import uuid
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from conformance_support import ACCOUNT, REGION, expect_error, make_client

MODEL = botocore.session.get_session().get_service_model("kms")

# Members moto returns that AWS (and kms-local) leave out, with the reason.
MOTO_ONLY = {
    ("CreateKey", "KeyMetadata.SigningAlgorithms"): "AWS lists SigningAlgorithms only for SIGN_VERIFY keys",
    ("DescribeKey", "KeyMetadata.SigningAlgorithms"): "AWS lists SigningAlgorithms only for SIGN_VERIFY keys",
}


def _client_with_raw_capture(endpoint: str):
    # moto accepts any credentials; kms-local needs its own, which make_client uses by default.
    kms = make_client(endpoint)
    raw: dict[str, tuple[int, bytes]] = {}

    def capture(http_response, model, **_):
        raw[model.name] = (http_response.status_code, http_response.content)

    kms.meta.events.register("after-call.kms", capture)
    return kms, raw


def _scenario(kms) -> dict[str, dict[str, Any]]:
    """The shared scenario; returns each operation's parsed answer without ResponseMetadata."""
    out: dict[str, dict[str, Any]] = {}

    def run(name, call):
        response = call()
        response.pop("ResponseMetadata", None)
        out[name] = response
        return response

    key_id = run("CreateKey", lambda: kms.create_key(Description="differential"))["KeyMetadata"]["KeyId"]
    run("DescribeKey", lambda: kms.describe_key(KeyId=key_id))
    run("ListKeys", lambda: kms.list_keys())
    run("ScheduleKeyDeletion", lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7))
    run("CancelKeyDeletion", lambda: kms.cancel_key_deletion(KeyId=key_id))
    run("EnableKey", lambda: kms.enable_key(KeyId=key_id))
    run("DisableKey", lambda: kms.disable_key(KeyId=key_id))
    alias = f"alias/differential-{uuid.uuid4().hex[:8]}"
    run("CreateAlias", lambda: kms.create_alias(AliasName=alias, TargetKeyId=key_id))
    run("ListAliases", lambda: kms.list_aliases(KeyId=key_id))
    run("TagResource", lambda: kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "a", "TagValue": "b"}]))
    run("ListResourceTags", lambda: kms.list_resource_tags(KeyId=key_id))
    out["_key_id"] = {"KeyId": key_id}
    return out


def _shape(value: Any, path: str = "") -> dict[str, str]:
    """Flattens a parsed answer into {member path: type name}; list elements merge under `path[]`."""
    if isinstance(value, dict):
        shape: dict[str, str] = {}
        for key, member in value.items():
            shape.update(_shape(member, f"{path}.{key}" if path else key))
        return shape or {path: "dict"}
    if isinstance(value, list):
        shape = {path: "list"}
        for item in value:
            shape.update(_shape(item, f"{path}[]"))
        return shape
    return {path: type(value).__name__}


@pytest.fixture(scope="module")
def runs(moto_server, start_module_kms_local):
    kms_local = start_module_kms_local()
    moto_client, moto_raw = _client_with_raw_capture(moto_server)
    local_client, local_raw = _client_with_raw_capture(kms_local.endpoint)
    return {
        "moto": (_scenario(moto_client), moto_raw, moto_client),
        "local": (_scenario(local_client), local_raw, local_client),
    }


OPERATIONS = ["CreateKey", "DescribeKey", "ListKeys", "ScheduleKeyDeletion", "CancelKeyDeletion", "EnableKey",
              "DisableKey", "CreateAlias", "ListAliases", "TagResource", "ListResourceTags"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_same_member_types_as_moto(runs, operation):
    moto_shape = _shape(runs["moto"][0][operation])
    local_shape = _shape(runs["local"][0][operation])
    for path in sorted(set(moto_shape) & set(local_shape)):
        assert moto_shape[path] == local_shape[path], \
            f"{operation} {path}: moto {moto_shape[path]} vs kms-local {local_shape[path]}"
    missing = {p for p in set(moto_shape) - set(local_shape) if (operation, p) not in MOTO_ONLY}
    # Timestamps such as CreationDate on alias entries are AWS members moto omits; the reverse matters:
    assert not missing, f"{operation}: moto returns members kms-local lacks: {sorted(missing)}"


def _check_wire(value: Any, shape, path: str) -> None:
    """Checks a raw JSON value against the botocore model shape: known members only, no nulls, JSON types."""
    assert value is not None, f"{path} is null; absent optional members are omitted, not null (6)"
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), f"{path} should be an object"
        unknown = set(value) - set(shape.members)
        assert not unknown, f"{path} has members the KMS model does not define: {sorted(unknown)}"
        for name, member in value.items():
            _check_wire(member, shape.members[name], f"{path}.{name}")
    elif kind == "list":
        assert isinstance(value, list), f"{path} should be an array"
        for index, item in enumerate(value):
            _check_wire(item, shape.member, f"{path}[{index}]")
    elif kind == "timestamp":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), \
            f"{path} should be epoch seconds as a JSON number (6), got {value!r}"
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), f"{path} should be an integer"
    elif kind == "boolean":
        assert isinstance(value, bool), f"{path} should be a boolean"
    elif kind in ("string", "blob"):
        assert isinstance(value, str), f"{path} should be a string"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_kms_local_wire_body_matches_the_kms_model(runs, operation):
    status, body = runs["local"][1][operation]
    assert status == 200
    output = MODEL.operation_model(operation).output_shape
    if output is None or not output.members:
        # Operations without output (EnableKey, DisableKey, CreateAlias, TagResource): AWS sends an empty body
        # (6); moto sends the text `null` or `{}`.
        assert body in (b"", b"{}"), f"{operation} answers an empty body, got {body!r}"
        return
    _check_wire(json.loads(body), output, operation)


def test_moto_departures_in_raw_bodies_are_not_copied(runs):
    # moto emits "NextMarker": null and null KeyMetadata members; AWS omits absent members (6, 11).
    for operation in ("ListKeys", "ListResourceTags", "DescribeKey"):
        local = json.loads(runs["local"][1][operation][1])
        assert "null" not in json.dumps(local), f"kms-local {operation} must not emit null members (moto does): {local}"
        assert "NextMarker" not in local or local.get("Truncated") is True


def test_schedule_key_deletion_output_follows_aws_not_moto(runs):
    local = runs["local"][0]["ScheduleKeyDeletion"]
    key_id = runs["local"][0]["_key_id"]["KeyId"]
    # moto 5.x answers only KeyId (as given) + DeletionDate (11); AWS adds KeyState, PendingWindowInDays and
    # answers the key ARN (4).
    assert local["KeyId"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}", "AWS answers the key ARN (moto echoes the id)"
    assert local["KeyState"] == "PendingDeletion", "AWS includes KeyState (moto omits it)"
    assert local["PendingWindowInDays"] == 7, "AWS includes PendingWindowInDays (moto omits it)"


def test_cancel_key_deletion_answers_the_arn_not_the_input(runs):
    local = runs["local"][0]["CancelKeyDeletion"]
    key_id = runs["local"][0]["_key_id"]["KeyId"]
    assert local["KeyId"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}", \
        "CancelKeyDeletion answers the key ARN (4); moto echoes the input id (11)"


@pytest.fixture
def pending_keys(runs):
    """A PendingDeletion key on each side."""
    result = {}
    for side in ("moto", "local"):
        kms = runs[side][2]
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        result[side] = (kms, key_id)
    return result


def _moto_outcome(call) -> str:
    try:
        call()
        return "success"
    except ClientError as error:
        return error.response["Error"]["Code"]


def test_disable_key_on_pending_deletion_is_rejected_unlike_moto(pending_keys):
    moto_kms, moto_key = pending_keys["moto"]
    kms, key_id = pending_keys["local"]
    moto = _moto_outcome(lambda: moto_kms.disable_key(KeyId=moto_key))
    expect_error(lambda: kms.disable_key(KeyId=key_id), "KMSInvalidStateException",
                 context=f"AWS rejects DisableKey on PendingDeletion (2.2); moto answered {moto}")
    expect_error(lambda: kms.enable_key(KeyId=key_id), "KMSInvalidStateException",
                 context="AWS rejects EnableKey on PendingDeletion (2.2); moto silently changes the state")
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_second_schedule_is_rejected_unlike_moto(pending_keys):
    moto_kms, moto_key = pending_keys["moto"]
    kms, key_id = pending_keys["local"]
    moto = _moto_outcome(lambda: moto_kms.schedule_key_deletion(KeyId=moto_key, PendingWindowInDays=8))
    expect_error(lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=8), "KMSInvalidStateException",
                 context=f"AWS rejects ScheduleKeyDeletion on PendingDeletion (4); moto answered {moto} (re-schedules)")


def test_cancel_on_a_key_not_pending_is_rejected_unlike_moto(runs):
    moto_kms = runs["moto"][2]
    kms = runs["local"][2]
    moto_key = moto_kms.create_key()["KeyMetadata"]["KeyId"]
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    moto = _moto_outcome(lambda: moto_kms.cancel_key_deletion(KeyId=moto_key))
    expect_error(lambda: kms.cancel_key_deletion(KeyId=key_id), "KMSInvalidStateException",
                 context=f"AWS rejects CancelKeyDeletion on an Enabled key (2.2); moto answered {moto} (sets Disabled)")
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_window_outside_7_to_30_is_rejected_unlike_moto(runs, moto_server):
    moto_kms = make_client(moto_server, validate=False)
    local = runs["local"][2]
    kms = make_client(local.meta.endpoint_url, validate=False)
    moto_key = moto_kms.create_key()["KeyMetadata"]["KeyId"]
    moto = _moto_outcome(lambda: moto_kms.schedule_key_deletion(KeyId=moto_key, PendingWindowInDays=3))
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    expect_error(lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=3), "ValidationException",
                 context=f"AWS rejects a window outside 7-30 (4); moto answered {moto} with DeletionDate null")


def test_list_keys_honours_limit_unlike_moto(runs):
    kms = runs["local"][2]
    for _ in range(3):
        kms.create_key()
    page = kms.list_keys(Limit=1)
    assert len(page["Keys"]) == 1 and page["Truncated"] is True and page["NextMarker"], \
        "AWS honours Limit/Marker (3.3); moto ignores both (11)"


def test_not_found_is_http_400_on_both(runs):
    for side in ("moto", "local"):
        kms = runs[side][2]
        expect_error(lambda: kms.describe_key(KeyId=str(uuid.uuid4())), "NotFoundException",
                     context=f"{side}: NotFoundException is HTTP 400")


def test_get_key_last_usage_exists_unlike_moto(runs):
    kms = runs["local"][2]
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    answer = kms.get_key_last_usage(KeyId=key_id)
    assert {"KeyId", "KeyCreationDate", "TrackingStartDate"} <= set(answer), \
        "GetKeyLastUsage exists in AWS (5); moto does not implement it (11)"


def test_list_aliases_without_key_id_includes_aws_managed_aliases_like_moto(runs):
    # AWS lists AWS-managed `alias/aws/…` aliases (and predefined ones without TargetKeyId) in an
    # unfiltered ListAliases (3.3); moto does the same.
    moto_names = [a["AliasName"] for a in runs["moto"][2].list_aliases(Limit=100)["Aliases"]]
    assert any(name.startswith("alias/aws/") for name in moto_names)
    local_names = []
    kms = runs["local"][2]
    for page in kms.get_paginator("list_aliases").paginate():
        local_names += [a["AliasName"] for a in page["Aliases"]]
    assert any(name.startswith("alias/aws/") for name in local_names), \
        "an unfiltered ListAliases includes AWS-managed alias/aws/… aliases (3.3), as moto does"
