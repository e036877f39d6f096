"""Every documented error name and HTTP status of reference tables 1.3 (store calls × ConnectionState) and
2.2 (key operations × key state), plus the protocol-level errors (sections 3.3, 4, 6).

Each case runs against its own kms-local at --time-scale 1 started from a seed that holds one CloudHSM
store in every ConnectionState (a seeded CONNECTING/DISCONNECTING store stays so for 600/120 real seconds),
so the cases are independent and deterministic.
"""
from __future__ import annotations

import json
import uuid

import pytest

from conformance_support import (
    ACCOUNT, REGION, expect_error, raw_request, store_state, write_seed,
)

STATES = ["DISCONNECTED", "CONNECTING", "CONNECTED", "FAILED", "DISCONNECTING"]
STORE = {state: f"cks-{index:017x}" for index, state in enumerate(STATES, start=1)}
STORE_WITH_KEYS = "cks-0000000000000000f"
STORE_KEY = "0000aaaa-1111-4222-8333-444455556666"
INVALID_STATE = "CustomKeyStoreInvalidStateException"


def _seed() -> dict:
    stores = []
    for index, state in enumerate(STATES, start=1):
        entry = {"id": STORE[state], "name": f"store-{state.lower()}", "type": "AWS_CLOUDHSM",
                 "clusterId": f"cluster-{index:011x}", "trustAnchorCertificate": "anchor",
                 "connectionState": state, "connectSeconds": 600, "disconnectSeconds": 120}
        if state == "FAILED":
            entry["connectionErrorCode"] = "NETWORK_ERRORS"
        stores.append(entry)
    stores.append({"id": STORE_WITH_KEYS, "name": "store-with-keys", "type": "AWS_CLOUDHSM",
                   "clusterId": "cluster-00000000fff", "trustAnchorCertificate": "anchor",
                   "connectionState": "DISCONNECTED"})
    return {"stores": stores, "keys": [{"id": STORE_KEY, "storeId": STORE_WITH_KEYS, "state": "Enabled"}]}


@pytest.fixture
def server(start_kms_local, tmp_path):
    seed = write_seed(tmp_path / "seed.json", _seed())
    return start_kms_local("--seed", str(seed), "--time-scale", "1")


@pytest.fixture
def kms(server):
    return server.client()


def arn(key_id: str) -> str:
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}"


# -- table 1.3: store calls in every ConnectionState -------------------------------------------------

CONNECT = {"DISCONNECTED": "CONNECTING", "CONNECTING": "CONNECTING", "CONNECTED": "CONNECTED",
           "FAILED": INVALID_STATE, "DISCONNECTING": INVALID_STATE}
DISCONNECT = {"DISCONNECTED": INVALID_STATE, "CONNECTING": "DISCONNECTING", "CONNECTED": "DISCONNECTING",
              "FAILED": "DISCONNECTING", "DISCONNECTING": INVALID_STATE}
DELETE = {"DISCONNECTED": None, "CONNECTING": INVALID_STATE, "CONNECTED": INVALID_STATE,
          "FAILED": INVALID_STATE, "DISCONNECTING": INVALID_STATE}
UPDATE_NAME = {"DISCONNECTED": None, "CONNECTING": INVALID_STATE, "CONNECTED": None,
               "FAILED": INVALID_STATE, "DISCONNECTING": INVALID_STATE}
UPDATE_PASSWORD = {"DISCONNECTED": None, "CONNECTING": INVALID_STATE, "CONNECTED": INVALID_STATE,
                   "FAILED": INVALID_STATE, "DISCONNECTING": INVALID_STATE}
CREATE_KEY = {"DISCONNECTED": INVALID_STATE, "CONNECTING": INVALID_STATE, "CONNECTED": None,
              "FAILED": INVALID_STATE, "DISCONNECTING": INVALID_STATE}


@pytest.mark.parametrize("state", STATES)
def test_connect_custom_key_store_by_state(kms, state):
    outcome = CONNECT[state]
    if outcome == INVALID_STATE:
        expect_error(lambda: kms.connect_custom_key_store(CustomKeyStoreId=STORE[state]), INVALID_STATE,
                     context=f"ConnectCustomKeyStore on {state} (1.3)")
        assert store_state(kms, STORE[state]) == state, "a rejected connect changes nothing"
    else:
        response = kms.connect_custom_key_store(CustomKeyStoreId=STORE[state])
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert store_state(kms, STORE[state]) == outcome, f"ConnectCustomKeyStore on {state} should leave {outcome}"


@pytest.mark.parametrize("state", STATES)
def test_disconnect_custom_key_store_by_state(kms, state):
    outcome = DISCONNECT[state]
    if outcome == INVALID_STATE:
        expect_error(lambda: kms.disconnect_custom_key_store(CustomKeyStoreId=STORE[state]), INVALID_STATE,
                     context=f"DisconnectCustomKeyStore on {state} (1.3)")
        assert store_state(kms, STORE[state]) == state
    else:
        kms.disconnect_custom_key_store(CustomKeyStoreId=STORE[state])
        entry = kms.describe_custom_key_stores(CustomKeyStoreId=STORE[state])["CustomKeyStores"][0]
        assert entry["ConnectionState"] == outcome, f"DisconnectCustomKeyStore on {state} should leave {outcome}"
        assert "ConnectionErrorCode" not in entry, "ConnectionErrorCode is present only in FAILED (1.5)"


@pytest.mark.parametrize("state", STATES)
def test_delete_custom_key_store_by_state(kms, state):
    if DELETE[state] == INVALID_STATE:
        expect_error(lambda: kms.delete_custom_key_store(CustomKeyStoreId=STORE[state]), INVALID_STATE,
                     context=f"DeleteCustomKeyStore on {state} (1.3)")
        assert store_state(kms, STORE[state]) == state
    else:
        kms.delete_custom_key_store(CustomKeyStoreId=STORE[state])
        expect_error(lambda: kms.describe_custom_key_stores(CustomKeyStoreId=STORE[state]),
                     "CustomKeyStoreNotFoundException", context="after DeleteCustomKeyStore")


def test_delete_custom_key_store_holding_keys_is_has_cmks(kms):
    expect_error(lambda: kms.delete_custom_key_store(CustomKeyStoreId=STORE_WITH_KEYS),
                 "CustomKeyStoreHasCMKsException", context="DeleteCustomKeyStore on a DISCONNECTED store with keys (1.3)")


@pytest.mark.parametrize("state", STATES)
def test_update_custom_key_store_name_by_state(kms, state):
    call = lambda: kms.update_custom_key_store(CustomKeyStoreId=STORE[state], NewCustomKeyStoreName=f"renamed-{state}")
    if UPDATE_NAME[state] == INVALID_STATE:
        expect_error(call, INVALID_STATE, context=f"UpdateCustomKeyStore(name) on {state} (1.3)")
    else:
        call()
        entry = kms.describe_custom_key_stores(CustomKeyStoreId=STORE[state])["CustomKeyStores"][0]
        assert entry["CustomKeyStoreName"] == f"renamed-{state}"


@pytest.mark.parametrize("state", STATES)
def test_update_custom_key_store_password_by_state(kms, state):
    call = lambda: kms.update_custom_key_store(CustomKeyStoreId=STORE[state], KeyStorePassword="newPassword1")
    if UPDATE_PASSWORD[state] == INVALID_STATE:
        expect_error(call, INVALID_STATE, context=f"UpdateCustomKeyStore(password) on {state} (1.3 note 2)")
    else:
        call()


@pytest.mark.parametrize("state", STATES)
def test_create_key_in_store_by_state(kms, state):
    call = lambda: kms.create_key(CustomKeyStoreId=STORE[state], Origin="AWS_CLOUDHSM")
    if CREATE_KEY[state] == INVALID_STATE:
        expect_error(call, INVALID_STATE, context=f"CreateKey into a {state} store (1.3)")
    else:
        assert call()["KeyMetadata"]["CustomKeyStoreId"] == STORE[state]


@pytest.mark.parametrize("state", STATES)
def test_describe_custom_key_stores_in_every_state(kms, state):
    entry = kms.describe_custom_key_stores(CustomKeyStoreId=STORE[state])["CustomKeyStores"][0]
    assert entry["ConnectionState"] == state
    if state == "FAILED":
        assert entry["ConnectionErrorCode"] == "NETWORK_ERRORS"
    else:
        assert "ConnectionErrorCode" not in entry


@pytest.mark.parametrize("operation", ["connect", "disconnect", "delete", "describe", "update"])
def test_unknown_store_is_custom_key_store_not_found(kms, operation):
    unknown = "cks-00000000000000abc"
    calls = {
        "connect": lambda: kms.connect_custom_key_store(CustomKeyStoreId=unknown),
        "disconnect": lambda: kms.disconnect_custom_key_store(CustomKeyStoreId=unknown),
        "delete": lambda: kms.delete_custom_key_store(CustomKeyStoreId=unknown),
        "describe": lambda: kms.describe_custom_key_stores(CustomKeyStoreId=unknown),
        "update": lambda: kms.update_custom_key_store(CustomKeyStoreId=unknown, NewCustomKeyStoreName="x"),
    }
    expect_error(calls[operation], "CustomKeyStoreNotFoundException", context=f"{operation} on an unknown store")


def test_describe_custom_key_stores_unknown_name_is_not_found(kms):
    expect_error(lambda: kms.describe_custom_key_stores(CustomKeyStoreName="no-such-store"),
                 "CustomKeyStoreNotFoundException")


# -- table 2.2: key operations in every key state -------------------------------------------------------

KEY_STATES = ["Enabled", "Disabled", "PendingDeletion", "Unavailable"]
OK = None
KIS = "KMSInvalidStateException"
DIS = "DisabledException"
# operation → expected outcome per key state (Enabled, Disabled, PendingDeletion, Unavailable); a set means
# "either" where the reference table lists two errors.
TABLE_2_2 = {
    "DescribeKey": (OK, OK, OK, OK),
    "ListAliases": (OK, OK, OK, OK),
    "ListResourceTags": (OK, OK, OK, OK),
    "ListGrants": (OK, OK, OK, OK),
    "GetKeyLastUsage": (OK, OK, OK, OK),
    "DisableKey": (OK, OK, KIS, OK),
    "EnableKey": (OK, OK, KIS, OK),
    "ScheduleKeyDeletion": (OK, OK, KIS, OK),
    "CancelKeyDeletion": (KIS, KIS, OK, KIS),
    "TagResource": (OK, OK, KIS, OK),
    "CreateAlias": (OK, OK, KIS, OK),
    "CreateGrant": (OK, DIS, frozenset({DIS, KIS}), OK),
    "Encrypt": (OK, DIS, frozenset({DIS, KIS}), KIS),
    "Decrypt": (OK, DIS, frozenset({DIS, KIS}), KIS),
}
# Message templates of the key-state footnotes (2.2).
PHRASES = {
    ("DisabledException", "Disabled"): "is disabled.",
    ("KMSInvalidStateException", "PendingDeletion"): "is pending deletion",
    ("DisabledException", "PendingDeletion"): "is pending deletion",
    ("KMSInvalidStateException", "Unavailable"): "is unavailable.",
}


def _key_in_state(server, kms, state: str) -> tuple[str, bytes]:
    """A key of the CONNECTED store in the given state, with a ciphertext made while it was Enabled."""
    key_id = kms.create_key(CustomKeyStoreId=STORE["CONNECTED"], Origin="AWS_CLOUDHSM")["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"table 2.2")["CiphertextBlob"]
    if state == "Disabled":
        kms.disable_key(KeyId=key_id)
    elif state == "PendingDeletion":
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=30)
    elif state == "Unavailable":
        kms.disconnect_custom_key_store(CustomKeyStoreId=STORE["CONNECTED"])
        server.advance(3600)  # finish the 120 s disconnect without waiting
        assert store_state(kms, STORE["CONNECTED"]) == "DISCONNECTED"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == state
    return key_id, blob


def _operation(kms, name: str, key_id: str, blob: bytes):
    return {
        "DescribeKey": lambda: kms.describe_key(KeyId=key_id),
        "ListAliases": lambda: kms.list_aliases(KeyId=key_id),
        "ListResourceTags": lambda: kms.list_resource_tags(KeyId=key_id),
        "ListGrants": lambda: kms.list_grants(KeyId=key_id),
        "GetKeyLastUsage": lambda: kms.get_key_last_usage(KeyId=key_id),
        "DisableKey": lambda: kms.disable_key(KeyId=key_id),
        "EnableKey": lambda: kms.enable_key(KeyId=key_id),
        "ScheduleKeyDeletion": lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7),
        "CancelKeyDeletion": lambda: kms.cancel_key_deletion(KeyId=key_id),
        "TagResource": lambda: kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "k", "TagValue": "v"}]),
        "CreateAlias": lambda: kms.create_alias(AliasName="alias/table-2-2", TargetKeyId=key_id),
        "CreateGrant": lambda: kms.create_grant(KeyId=key_id, GranteePrincipal=f"arn:aws:iam::{ACCOUNT}:role/r",
                                                Operations=["Decrypt"]),
        "Encrypt": lambda: kms.encrypt(KeyId=key_id, Plaintext=b"x"),
        "Decrypt": lambda: kms.decrypt(CiphertextBlob=blob),
    }[name]


@pytest.mark.parametrize("state", KEY_STATES)
@pytest.mark.parametrize("operation", list(TABLE_2_2))
def test_key_operation_by_key_state(server, kms, operation, state):
    key_id, blob = _key_in_state(server, kms, state)
    expected = TABLE_2_2[operation][KEY_STATES.index(state)]
    call = _operation(kms, operation, key_id, blob)
    if expected is OK:
        response = call()
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
        return
    codes = set(expected) if isinstance(expected, frozenset) else {expected}
    message = expect_error(call, codes, context=f"{operation} on a {state} key (2.2)")
    assert arn(key_id) in message, f"the message names the key ARN (2.2 templates): {message!r}"
    phrase = "is not pending deletion" if operation == "CancelKeyDeletion" else None
    for code in codes:
        phrase = phrase or PHRASES.get((code, state))
    if phrase:
        assert phrase in message, f"{operation} on {state}: message {message!r} should contain {phrase!r}"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == state, "a rejected call changes nothing"


# -- section 4: the waiting period ----------------------------------------------------------------------

@pytest.mark.parametrize("days", [6, 31, 0, 365])
def test_schedule_key_deletion_window_outside_7_to_30_is_validation_exception(start_kms_local, days):
    kms = start_kms_local().client(validate=False)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    expect_error(lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=days), "ValidationException",
                 context=f"PendingWindowInDays={days}")
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled", "a rejected schedule changes nothing"


@pytest.mark.parametrize("days", [7, 30])
def test_schedule_key_deletion_window_bounds_are_accepted(start_kms_local, days):
    kms = start_kms_local().client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    assert kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=days)["PendingWindowInDays"] == days


def test_schedule_key_deletion_defaults_to_30_days(start_kms_local):
    kms = start_kms_local().client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    assert kms.schedule_key_deletion(KeyId=key_id)["PendingWindowInDays"] == 30


# -- unknown keys, markers, operations, bodies ---------------------------------------------------------

def test_unknown_key_is_not_found(kms):
    key_id = str(uuid.uuid4())
    message = expect_error(lambda: kms.describe_key(KeyId=key_id), "NotFoundException")
    assert arn(key_id) in message, f"NotFoundException text is \"Key '<arn>' does not exist\" (2.5): {message!r}"
    for call in [lambda: kms.enable_key(KeyId=key_id), lambda: kms.schedule_key_deletion(KeyId=key_id),
                 lambda: kms.get_key_last_usage(KeyId=key_id), lambda: kms.list_grants(KeyId=key_id)]:
        expect_error(call, "NotFoundException")


def test_unknown_alias_is_not_found(kms):
    expect_error(lambda: kms.describe_key(KeyId="alias/does-not-exist"), "NotFoundException")


@pytest.mark.parametrize("listing", ["ListKeys", "ListAliases", "DescribeCustomKeyStores", "ListGrants",
                                     "ListResourceTags"])
def test_bad_marker_is_invalid_marker_exception(kms, listing):
    calls = {
        "ListKeys": lambda: kms.list_keys(Marker="not-a-marker"),
        "ListAliases": lambda: kms.list_aliases(Marker="not-a-marker"),
        "DescribeCustomKeyStores": lambda: kms.describe_custom_key_stores(Marker="not-a-marker"),
        "ListGrants": lambda: kms.list_grants(KeyId=STORE_KEY, Marker="not-a-marker"),
        "ListResourceTags": lambda: kms.list_resource_tags(KeyId=STORE_KEY, Marker="not-a-marker"),
    }
    expect_error(calls[listing], "InvalidMarkerException", context=f"{listing} with a made-up Marker (3.3)")


def _error_body(status, headers, body):
    assert headers.get("x-amzn-requestid"), "every answer carries x-amzn-RequestId (6)"
    document = json.loads(body)
    assert set(document) >= {"__type", "message"}, f"error body is {{'__type', 'message'}} (6), got {document}"
    return status, document["__type"].split("#")[-1]


def test_unknown_operation_is_unknown_operation_exception(server):
    status, error = _error_body(*raw_request(server, b"{}", "TrentService.NoSuchOperation"))
    assert (error, status) == ("UnknownOperationException", 400)


def test_malformed_json_is_serialization_exception(server):
    status, error = _error_body(*raw_request(server, b"{not json", "TrentService.ListKeys"))
    assert (error, status) == ("SerializationException", 400)


def test_missing_required_member_is_validation_exception(server):
    status, error = _error_body(*raw_request(server, b"{}", "TrentService.DescribeKey"))
    assert (error, status) == ("ValidationException", 400)


def test_client_errors_are_http_400_with_aws_error_body(server):
    body = json.dumps({"KeyId": str(uuid.uuid4())}).encode()
    status, headers, raw = raw_request(server, body, "TrentService.DescribeKey")
    assert _error_body(status, headers, raw) == (400, "NotFoundException")
    assert headers.get("content-type", "").startswith("application/x-amz-json-1.1")


# -- FAILED and its repair (1.2, 1.5) ------------------------------------------------------------------

def test_failed_connect_is_repaired_by_disconnect_then_connect(start_kms_local, tmp_path):
    store = "cks-0000000000000fa11"
    seed = write_seed(tmp_path / "seed.json", {"stores": [
        {"id": store, "name": "will-fail", "type": "AWS_CLOUDHSM", "clusterId": "cluster-0000000fa11",
         "connectionState": "DISCONNECTED", "nextConnectFailure": "USER_LOGGED_IN"}]})
    server = start_kms_local("--seed", str(seed), "--time-scale", "1")
    kms = server.client()
    kms.connect_custom_key_store(CustomKeyStoreId=store)
    assert store_state(kms, store) == "CONNECTING"
    server.advance(3600)
    entry = kms.describe_custom_key_stores(CustomKeyStoreId=store)["CustomKeyStores"][0]
    assert (entry["ConnectionState"], entry.get("ConnectionErrorCode")) == ("FAILED", "USER_LOGGED_IN")
    expect_error(lambda: kms.connect_custom_key_store(CustomKeyStoreId=store), INVALID_STATE,
                 context="to leave FAILED you must disconnect first (1.2)")
    kms.disconnect_custom_key_store(CustomKeyStoreId=store)
    server.advance(3600)
    assert store_state(kms, store) == "DISCONNECTED"
    kms.connect_custom_key_store(CustomKeyStoreId=store)
    server.advance(3600)
    entry = kms.describe_custom_key_stores(CustomKeyStoreId=store)["CustomKeyStores"][0]
    assert entry["ConnectionState"] == "CONNECTED" and "ConnectionErrorCode" not in entry


# -- server errors are HTTP 500 (6) ------------------------------------------------------------------

def test_kms_internal_exception_is_http_500(start_kms_local):
    kms = start_kms_local("--fault-rate", "1", "--fault-seed", "3").client()
    for call in (kms.list_keys, kms.describe_custom_key_stores):
        expect_error(call, "KMSInternalException", status=500, context="an injected server fault")
