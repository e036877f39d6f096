"""The whole custom key store lifecycle (reference sections 1-5), shared by the CloudHSM and XKS tests.

Run under a large --time-scale so that a 7-day waiting period lasts LIFECYCLE_WINDOW seconds.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Callable

from conformance_support import (
    ACCOUNT, DAY, REGION, all_alias_names, all_key_ids, expect_error, is_gone, key_state, utc_now,
    wait_store_state, wait_until,
)

# 7 days pass in LIFECYCLE_WINDOW seconds; long enough that the steps between scheduling and the end of
# the window (a few dozen fast calls) never race the deletion, short enough to keep the suite fast.
LIFECYCLE_WINDOW = 6.0
LIFECYCLE_SCALE = 7 * DAY / LIFECYCLE_WINDOW
GRANTEE = f"arn:aws:iam::{ACCOUNT}:role/conformance-app"


@dataclass
class StoreKind:
    """What differs between a CloudHSM and an external key store in the scenario."""
    store_type: str
    origin: str
    create_store: Callable[[Any], str]
    create_key_args: Callable[[int], dict[str, Any]]
    check_store_entry: Callable[[dict[str, Any]], None]
    check_key_metadata: Callable[[dict[str, Any], int], None]


def key_arn(key_id: str) -> str:
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}"


def assert_recent(moment: dt.datetime, what: str, slack: float = 60.0) -> None:
    delta = abs((moment - utc_now()).total_seconds())
    assert delta < slack, f"{what} {moment.isoformat()} should be a real wall-clock time close to now (off by {delta:.1f}s)"


def connect(kms, store_id: str) -> list[str]:
    started = time.monotonic()
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    assert time.monotonic() - started < 5, "ConnectCustomKeyStore must only start the connect and return quickly"
    seen = wait_store_state(kms, store_id, "CONNECTED")
    assert set(seen) <= {"DISCONNECTED", "CONNECTING", "CONNECTED"} and seen[-1] == "CONNECTED", \
        f"connect should pass through CONNECTING to CONNECTED, saw {seen}"
    assert "DISCONNECTED" not in seen, f"the state must leave DISCONNECTED as soon as Connect returns, saw {seen}"
    return seen


def disconnect(kms, store_id: str) -> list[str]:
    kms.disconnect_custom_key_store(CustomKeyStoreId=store_id)
    seen = wait_store_state(kms, store_id, "DISCONNECTED")
    assert set(seen) <= {"DISCONNECTING", "DISCONNECTED"}, f"disconnect should pass through DISCONNECTING, saw {seen}"
    return seen


def run_lifecycle(kms, kind: StoreKind, name: str) -> None:
    # -- create: a new store is DISCONNECTED -----------------------------------------------------
    store_id = kind.create_store(kms)
    assert store_id.startswith("cks-"), f"store ids look like cks-…, got {store_id}"
    entry = kms.describe_custom_key_stores(CustomKeyStoreId=store_id)["CustomKeyStores"][0]
    assert entry["CustomKeyStoreId"] == store_id
    assert entry["CustomKeyStoreName"] == name
    assert entry["CustomKeyStoreType"] == kind.store_type
    assert entry["ConnectionState"] == "DISCONNECTED", "CreateCustomKeyStore leaves the store DISCONNECTED (1.2)"
    assert "ConnectionErrorCode" not in entry, "ConnectionErrorCode appears only in FAILED (1.5)"
    assert_recent(entry["CreationDate"], "store CreationDate")
    kind.check_store_entry(entry)
    by_name = kms.describe_custom_key_stores(CustomKeyStoreName=name)["CustomKeyStores"]
    assert [s["CustomKeyStoreId"] for s in by_name] == [store_id]

    # -- CreateKey into a DISCONNECTED store fails ------------------------------------------------
    expect_error(lambda: kms.create_key(**kind.create_key_args(0), CustomKeyStoreId=store_id),
                 "CustomKeyStoreInvalidStateException", context="CreateKey into a DISCONNECTED store (1.3)")

    # -- connect: CONNECTING → CONNECTED ----------------------------------------------------------
    connect(kms, store_id)

    # -- keys in the store ------------------------------------------------------------------------
    keys = []
    for index in range(3):
        meta = kms.create_key(**kind.create_key_args(index), CustomKeyStoreId=store_id,
                              Description=f"{name} key {index}")["KeyMetadata"]
        assert meta["CustomKeyStoreId"] == store_id
        assert meta["Origin"] == kind.origin
        assert meta["KeyState"] == "Enabled" and meta["Enabled"] is True
        assert meta["KeySpec"] == "SYMMETRIC_DEFAULT" and meta["KeyUsage"] == "ENCRYPT_DECRYPT"
        assert meta["MultiRegion"] is False and meta["KeyManager"] == "CUSTOMER"
        assert meta["Arn"] == key_arn(meta["KeyId"]) and meta["AWSAccountId"] == ACCOUNT
        assert "DeletionDate" not in meta
        assert_recent(meta["CreationDate"], "key CreationDate")
        kind.check_key_metadata(meta, index)
        keys.append(meta["KeyId"])
    k1, k2, k3 = keys
    assert {k1, k2, k3} <= set(all_key_ids(kms)), "ListKeys lists the new keys"

    # -- aliases, grants, tags -------------------------------------------------------------------
    alias = f"alias/{name}-k1"
    kms.create_alias(AliasName=alias, TargetKeyId=k1)
    listed = kms.list_aliases(KeyId=k1)["Aliases"]
    assert [(a["AliasName"], a["TargetKeyId"]) for a in listed] == [(alias, k1)]
    assert listed[0]["AliasArn"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:{alias}"
    assert kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"] == k1, "DescribeKey accepts an alias name"

    grant = kms.create_grant(KeyId=k1, GranteePrincipal=GRANTEE, Operations=["Encrypt", "Decrypt"])
    assert grant["GrantId"] and grant["GrantToken"]
    grants = kms.list_grants(KeyId=k1)["Grants"]
    assert [g["GrantId"] for g in grants] == [grant["GrantId"]]
    assert grants[0]["GranteePrincipal"] == GRANTEE and sorted(grants[0]["Operations"]) == ["Decrypt", "Encrypt"]
    assert grants[0]["KeyId"] in (k1, key_arn(k1))

    kms.tag_resource(KeyId=k1, Tags=[{"TagKey": "team", "TagValue": "crypto"}, {"TagKey": "app", "TagValue": name}])
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=k1)["Tags"]}
    assert tags == {"team": "crypto", "app": name}

    # -- usage: nothing yet, then Encrypt/Decrypt shows ------------------------------------------
    unused = kms.get_key_last_usage(KeyId=k1)
    assert unused.get("KeyLastUsage") == {}, f"an unused key has an empty KeyLastUsage object (5), got {unused.get('KeyLastUsage')!r}"
    assert unused["TrackingStartDate"] >= unused["KeyCreationDate"], "TrackingStartDate is never before the key's creation (5)"
    assert abs((unused["KeyCreationDate"] - kms.describe_key(KeyId=k1)["KeyMetadata"]["CreationDate"]).total_seconds()) < 0.01
    assert unused["KeyId"] in (k1, key_arn(k1))

    encrypted = kms.encrypt(KeyId=k1, Plaintext=b"conformance")
    assert encrypted["KeyId"] == key_arn(k1) and encrypted["CiphertextBlob"]
    decrypted = kms.decrypt(CiphertextBlob=encrypted["CiphertextBlob"])
    assert decrypted["Plaintext"] == b"conformance" and decrypted["KeyId"] == key_arn(k1)
    decrypt_request_id = decrypted["ResponseMetadata"]["RequestId"]

    usage = kms.get_key_last_usage(KeyId=k1)
    last = usage["KeyLastUsage"]
    assert last["Operation"] == "Decrypt", f"the last successful use was Decrypt, got {last}"
    assert_recent(last["Timestamp"], "KeyLastUsage.Timestamp")
    assert last.get("KmsRequestId") == decrypt_request_id, "KmsRequestId names the Decrypt request"
    assert usage["TrackingStartDate"] <= last["Timestamp"]
    assert kms.get_key_last_usage(KeyId=k2).get("KeyLastUsage") == {}, "usage is tracked per key"

    # -- disconnect: keys become Unavailable -----------------------------------------------------
    kms.disable_key(KeyId=k2)
    assert key_state(kms, k2) == "Disabled"
    disconnect(kms, store_id)
    for key in keys:
        meta = kms.describe_key(KeyId=key)["KeyMetadata"]
        assert meta["KeyState"] == "Unavailable" and meta["Enabled"] is False, \
            f"keys of a disconnected store are Unavailable (2.3); {key} is {meta['KeyState']}"
    expect_error(lambda: kms.encrypt(KeyId=k1, Plaintext=b"x"), "KMSInvalidStateException",
                 context="Encrypt with an Unavailable key (2.2)")
    expect_error(lambda: kms.decrypt(CiphertextBlob=encrypted["CiphertextBlob"]), "KMSInvalidStateException",
                 context="Decrypt with an Unavailable key (2.2)")
    expect_error(lambda: kms.create_key(**kind.create_key_args(5), CustomKeyStoreId=store_id),
                 "CustomKeyStoreInvalidStateException", context="CreateKey into a DISCONNECTED store")
    # Viewing and managing still work (2.2 Unavailable column).
    assert kms.list_aliases(KeyId=k1)["Aliases"] and kms.list_grants(KeyId=k1)["Grants"]
    assert kms.list_resource_tags(KeyId=k1)["Tags"]
    assert kms.get_key_last_usage(KeyId=k1)["KeyLastUsage"]["Operation"] == "Decrypt"

    # Enable/Disable on Unavailable are accepted; the state shows Unavailable until reconnect (2.3).
    kms.disable_key(KeyId=k1)
    kms.enable_key(KeyId=k2)
    assert key_state(kms, k1) == "Unavailable" and key_state(kms, k2) == "Unavailable"

    # -- reconnect restores each key's (requested) state -----------------------------------------
    connect(kms, store_id)
    assert key_state(kms, k1) == "Disabled", "DisableKey while Unavailable takes effect on reconnect (2.3)"
    assert key_state(kms, k2) == "Enabled", "EnableKey while Unavailable takes effect on reconnect (2.3)"
    assert key_state(kms, k3) == "Enabled", "an untouched key returns to its previous state (2.3)"
    kms.enable_key(KeyId=k1)
    assert kms.decrypt(CiphertextBlob=encrypted["CiphertextBlob"])["Plaintext"] == b"conformance"

    # -- schedule, reschedule, cancel --------------------------------------------------------------
    before = utc_now()
    scheduled = kms.schedule_key_deletion(KeyId=k1, PendingWindowInDays=7)
    assert scheduled["KeyId"] == key_arn(k1), "ScheduleKeyDeletion answers the key ARN (4)"
    assert scheduled["KeyState"] == "PendingDeletion" and scheduled["PendingWindowInDays"] == 7
    expected = before + dt.timedelta(seconds=LIFECYCLE_WINDOW)
    assert abs((scheduled["DeletionDate"] - expected).total_seconds()) < 2.0, \
        f"DeletionDate {scheduled['DeletionDate']} should be about now + 7 days / time scale ({expected})"
    meta = kms.describe_key(KeyId=k1)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion" and meta["Enabled"] is False
    assert meta["DeletionDate"] == scheduled["DeletionDate"]
    assert meta.get("PendingDeletionWindowInDays") == 7
    message = expect_error(lambda: kms.schedule_key_deletion(KeyId=k1, PendingWindowInDays=7),
                           "KMSInvalidStateException", context="ScheduleKeyDeletion on PendingDeletion (4)")
    assert "is pending deletion" in message, f"message should say the key is pending deletion: {message}"
    expect_error(lambda: kms.encrypt(KeyId=k1, Plaintext=b"x"), {"DisabledException", "KMSInvalidStateException"},
                 context="Encrypt with a PendingDeletion key (2.2)")
    expect_error(lambda: kms.enable_key(KeyId=k1), "KMSInvalidStateException", context="EnableKey on PendingDeletion")

    cancelled = kms.cancel_key_deletion(KeyId=k1)
    assert cancelled["KeyId"] == key_arn(k1), "CancelKeyDeletion answers the key ARN (4)"
    meta = kms.describe_key(KeyId=k1)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled", f"CancelKeyDeletion leaves the key Disabled (2.4), got {meta['KeyState']}"
    assert "DeletionDate" not in meta

    schedules = {key: kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)["DeletionDate"] for key in keys}
    assert all(key_state(kms, key) == "PendingDeletion" for key in keys)

    # -- the store cannot be deleted while it holds keys, connected or not ------------------------
    expect_error(lambda: kms.delete_custom_key_store(CustomKeyStoreId=store_id),
                 {"CustomKeyStoreInvalidStateException", "CustomKeyStoreHasCMKsException"},
                 context="DeleteCustomKeyStore on a CONNECTED store holding keys (1.3, open question 3)")
    disconnect(kms, store_id)
    assert all(key_state(kms, key) == "PendingDeletion" for key in keys), \
        "pending-deletion keys stay PendingDeletion while the store is disconnected (2.3)"
    expect_error(lambda: kms.delete_custom_key_store(CustomKeyStoreId=store_id), "CustomKeyStoreHasCMKsException",
                 context="DeleteCustomKeyStore while keys pending deletion remain (1.3)")
    # A CloudHSM store stays connected through the waiting period (2.6); do the same for both kinds.
    connect(kms, store_id)
    assert all(key_state(kms, key) == "PendingDeletion" for key in keys)

    # -- the waiting period ends: keys are gone ----------------------------------------------------
    latest = max(schedules.values())
    timeout = max(0.0, (latest - utc_now()).total_seconds()) + 5.0
    wait_until(lambda: [is_gone(kms, key) for key in keys], all, timeout, interval=0.1,
               what="every key to answer NotFoundException after its DeletionDate")
    assert utc_now() >= min(schedules.values()) - dt.timedelta(seconds=0.5), "keys must not vanish before DeletionDate"
    message = expect_error(lambda: kms.describe_key(KeyId=k1), "NotFoundException", context="DescribeKey after deletion")
    assert key_arn(k1) in message, f"NotFoundException text names the key ARN (2.5): {message}"
    remaining = set(all_key_ids(kms))
    assert not remaining & set(keys), "deleted keys disappear from ListKeys (2.5)"
    assert alias not in all_alias_names(kms), "aliases are deleted with their key (2.4)"
    for call, what in [
        (lambda: kms.list_aliases(KeyId=k1), "ListAliases"),
        (lambda: kms.list_grants(KeyId=k1), "ListGrants"),
        (lambda: kms.list_resource_tags(KeyId=k1), "ListResourceTags"),
        (lambda: kms.get_key_last_usage(KeyId=k1), "GetKeyLastUsage"),
        (lambda: kms.schedule_key_deletion(KeyId=k1, PendingWindowInDays=7), "ScheduleKeyDeletion"),
        (lambda: kms.cancel_key_deletion(KeyId=k1), "CancelKeyDeletion"),
    ]:
        expect_error(call, "NotFoundException", context=f"{what} on a deleted key (2.5)")

    # -- disconnect, delete the store, verify it is gone ------------------------------------------
    disconnect(kms, store_id)
    kms.delete_custom_key_store(CustomKeyStoreId=store_id)
    expect_error(lambda: kms.describe_custom_key_stores(CustomKeyStoreId=store_id),
                 "CustomKeyStoreNotFoundException", context="DescribeCustomKeyStores after DeleteCustomKeyStore")
    expect_error(lambda: kms.describe_custom_key_stores(CustomKeyStoreName=name),
                 "CustomKeyStoreNotFoundException", context="DescribeCustomKeyStores by name after delete")
    listed = kms.describe_custom_key_stores()["CustomKeyStores"]
    assert store_id not in [s["CustomKeyStoreId"] for s in listed]
