"""--time-scale, --quotas, --fault-rate/--fault-seed, --latency, --seed and --state (SPEC kms-local;
reference sections 4, 6 and 7)."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import stat
import time

import pytest
from botocore.exceptions import ClientError, HTTPClientError

from conformance_support import (
    ACCOUNT, DAY, REGION, all_key_ids, error_of, expect_error, is_gone, iso, utc_now, wait_store_state,
    wait_until, write_seed,
)

# -- time scale --------------------------------------------------------------------------------------

WINDOW_SECONDS = 2.0
SCALE = 7 * DAY / WINDOW_SECONDS


def test_seven_day_window_passes_in_seconds_with_real_wall_clock_dates(start_kms_local):
    kms = start_kms_local("--time-scale", str(SCALE)).client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    before = utc_now()
    scheduled = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    after = utc_now()
    deletion = scheduled["DeletionDate"]
    assert deletion.tzinfo is not None
    low = before + dt.timedelta(seconds=WINDOW_SECONDS) - dt.timedelta(seconds=0.5)
    high = after + dt.timedelta(seconds=WINDOW_SECONDS) + dt.timedelta(seconds=0.5)
    assert low <= deletion <= high, \
        f"DeletionDate {deletion} should be the real wall-clock time now + 7 days / {SCALE:.0f} (~{WINDOW_SECONDS}s)"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["DeletionDate"] == deletion
    assert not is_gone(kms, key_id), "the key exists until its DeletionDate"
    wait_until(lambda: is_gone(kms, key_id), bool, WINDOW_SECONDS + 5, interval=0.05, what="deletion at DeletionDate")
    assert utc_now() >= deletion - dt.timedelta(seconds=0.25), "the key vanished before its DeletionDate"
    assert key_id not in all_key_ids(kms)


def test_connect_duration_is_scaled(start_kms_local, tmp_path):
    # A CloudHSM connect of 600 simulated seconds at scale 600 lasts about one real second.
    seed = write_seed(tmp_path / "seed.json", {"stores": [
        {"id": "cks-00000000000000001", "name": "slow", "type": "AWS_CLOUDHSM", "clusterId": "cluster-00000000001",
         "connectionState": "DISCONNECTED", "connectSeconds": 600, "disconnectSeconds": 600}]})
    kms = start_kms_local("--seed", str(seed), "--time-scale", "600").client()
    started = time.monotonic()
    kms.connect_custom_key_store(CustomKeyStoreId="cks-00000000000000001")
    seen = wait_store_state(kms, "cks-00000000000000001", "CONNECTED", timeout=6)
    elapsed = time.monotonic() - started
    assert seen[0] == "CONNECTING", f"a connect passes through CONNECTING, saw {seen}"
    assert 0.7 <= elapsed <= 4, f"600 s / 600 should take about 1 s, took {elapsed:.2f}s"


def test_advance_endpoint_moves_the_emulator_clock(start_kms_local):
    server = start_kms_local("--time-scale", "1")
    kms = server.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    server.advance(7 * DAY + 1)
    assert is_gone(kms, key_id), "after advancing past DeletionDate the key is deleted"


def test_deletion_lag_delays_the_removal(start_kms_local):
    server = start_kms_local("--time-scale", "1", "--deletion-lag", str(DAY))
    kms = server.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    server.advance(7 * DAY + 60)
    assert not is_gone(kms, key_id), "with --deletion-lag the key may outlive its DeletionDate (up to 24 h, 2.4)"
    server.advance(DAY)
    assert is_gone(kms, key_id)


# -- quotas -------------------------------------------------------------------------------------------

def _burst(call, count):
    outcomes = []
    for _ in range(count):
        try:
            call()
            outcomes.append("ok")
        except ClientError as error:
            outcomes.append((error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]))
    return outcomes


@pytest.mark.parametrize("operation", ["describe_custom_key_stores", "get_key_last_usage"])
def test_aws_quotas_throttle_beyond_the_per_operation_rate(start_kms_local, operation):
    kms = start_kms_local("--quotas", "aws").client()  # retries off: each throttle surfaces
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    call = {"describe_custom_key_stores": lambda: kms.describe_custom_key_stores(),
            "get_key_last_usage": lambda: kms.get_key_last_usage(KeyId=key_id)}[operation]
    outcomes = _burst(call, 20)  # 5 RPS quota (7)
    throttled = [o for o in outcomes if o != "ok"]
    assert throttled, f"20 rapid {operation} calls at a 5 RPS quota should be throttled: {outcomes}"
    assert set(throttled) == {("ThrottlingException", 400)}, f"throttling is ThrottlingException HTTP 400 (7): {throttled}"
    assert outcomes[:3] == ["ok"] * 3, "the first calls within the quota succeed"
    # Each quota is separate (7): ListKeys (500 RPS) is not affected.
    assert kms.list_keys()["Keys"]
    # The bucket refills: after a second the operation works again.
    time.sleep(1.1)
    call()


def test_aws_quota_multiplier_raises_the_rate(start_kms_local):
    kms = start_kms_local("--quotas", "aws×10").client()
    outcomes = _burst(lambda: kms.describe_custom_key_stores(), 20)
    assert outcomes == ["ok"] * 20, f"aws×10 allows 50 DescribeCustomKeyStores per second: {outcomes}"


def test_no_quotas_by_default(start_kms_local):
    kms = start_kms_local().client()
    assert _burst(lambda: kms.describe_custom_key_stores(), 30) == ["ok"] * 30


def test_throttled_calls_are_in_the_call_log(start_kms_local):
    server = start_kms_local("--quotas", "aws")
    kms = server.client()
    _burst(lambda: kms.describe_custom_key_stores(), 15)
    logged = [c for c in server.calls() if c["operation"] == "DescribeCustomKeyStores"]
    assert len(logged) == 15
    assert any(c["outcome"] == "error" and c.get("errorType") == "ThrottlingException" for c in logged)


# -- faults -------------------------------------------------------------------------------------------

def _retry_read(read, attempts=30):
    """Runs a read-only call until it gets through the injected faults (bounded)."""
    for _ in range(attempts):
        try:
            return read()
        except (ClientError, HTTPClientError):
            continue
    pytest.fail(f"a read-only call failed {attempts} times in a row under injected faults")


def test_fault_rate_injects_internal_errors_and_dropped_connections(start_kms_local):
    server = start_kms_local("--fault-rate", "0.5", "--fault-seed", "1")
    kms = server.client()
    for _ in range(20):  # bounded: each attempt fails with probability 0.5
        try:
            kms.create_key()
            break
        except (ClientError, HTTPClientError):
            continue
    # A dropped CreateKey still created its key; take the first key whichever way it was made.
    key_id = _retry_read(lambda: kms.list_keys()["Keys"][0]["KeyId"])
    start = server.last_seq()
    outcomes = {}
    for index in range(40):
        tag = f"fault-{index}"
        try:
            kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": tag, "TagValue": "v"}])
            outcomes[tag] = "ok"
        except ClientError as error:
            outcomes[tag] = (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"])
        except HTTPClientError:
            outcomes[tag] = "dropped"
    kinds = set(outcomes.values())
    assert "ok" in kinds, f"with rate 0.5 some calls succeed: {outcomes}"
    assert ("KMSInternalException", 500) in kinds, f"injected KMSInternalException answers HTTP 500 (6): {kinds}"
    assert "dropped" in kinds, f"some mutating calls are dropped (connection closed): {kinds}"
    assert kinds <= {"ok", "dropped", ("KMSInternalException", 500)}, f"unexpected outcomes: {kinds}"

    log = [c for c in server.calls(since=start) if c["operation"] == "TagResource"]
    assert len(log) == 40, f"the call log records every call, got {len(log)}"
    assert [c["outcome"] for c in log].count("dropped") == list(outcomes.values()).count("dropped"), \
        "each dropped connection shows as a 'dropped' outcome in the call log"

    # Dropped calls were applied before the connection was closed; read the tags back without faults
    # interfering (bounded retries of a read-only call).
    tags = _retry_read(lambda: {t["TagKey"] for t in kms.list_resource_tags(KeyId=key_id)["Tags"]})
    for tag, outcome in outcomes.items():
        if outcome in ("ok", "dropped"):
            assert tag in tags, f"{tag} ({outcome}) should have been applied"


def test_fault_seed_makes_faults_deterministic(start_kms_local):
    def run():
        server = start_kms_local("--fault-rate", "0.5", "--fault-seed", "7")
        kms = server.client()
        result = []
        for _ in range(20):
            try:
                kms.list_keys()
                result.append("ok")
            except ClientError as error:
                result.append(error.response["Error"]["Code"])
        server.stop()
        return result

    first, second = run(), run()
    assert first == second, "the same --fault-seed gives the same fault sequence"
    assert "ok" in first and "KMSInternalException" in first


# -- latency ------------------------------------------------------------------------------------------

def test_latency_delays_every_answer(start_kms_local):
    kms = start_kms_local("--latency", "300").client()
    kms.list_keys()  # warm the connection
    durations = []
    for _ in range(3):
        started = time.monotonic()
        kms.list_keys()
        durations.append(time.monotonic() - started)
    assert min(durations) >= 0.28, f"--latency 300 adds ~300 ms to each answer: {durations}"
    assert max(durations) < 3, f"latency should stay near 300 ms: {durations}"


# -- seed and state -----------------------------------------------------------------------------------

STORE = "cks-5eed0000000000001"
OTHER_STORE = "cks-5eed0000000000002"
KEYS = {
    "Enabled": "5eed0000-0000-4000-8000-000000000001",
    "Disabled": "5eed0000-0000-4000-8000-000000000002",
    "PendingDeletion": "5eed0000-0000-4000-8000-000000000003",
    "Unavailable": "5eed0000-0000-4000-8000-000000000004",
}
TRACKING = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
USED_AT = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.timezone.utc)
GRANTEE = f"arn:aws:iam::{ACCOUNT}:role/app"


def _rich_seed(deletion: dt.datetime) -> dict:
    return {
        "accountId": ACCOUNT, "region": REGION, "trackingStartDate": iso(TRACKING), "generatedKeys": 1000,
        "stores": [
            {"id": STORE, "name": "seeded-hsm", "type": "AWS_CLOUDHSM", "clusterId": "cluster-5eed0000001",
             "trustAnchorCertificate": "anchor", "connectionState": "CONNECTED"},
            {"id": OTHER_STORE, "name": "seeded-xks", "type": "EXTERNAL_KEY_STORE",
             "xksProxyUriEndpoint": "https://xks.seed.example.com", "xksProxyUriPath": "/kms/xks/v1",
             "xksProxyConnectivity": "PUBLIC_ENDPOINT", "xksProxyAccessKeyId": "ABCDE12345ABCDE12345",
             "connectionState": "DISCONNECTED"},
        ],
        "keys": [
            {"id": KEYS["Enabled"], "storeId": STORE, "state": "Enabled", "description": "seeded enabled",
             "creationDate": "2024-12-01T00:00:00Z", "aliases": ["alias/seeded-app"],
             "tags": [{"key": "team", "value": "payments"}],
             "grants": [{"granteePrincipal": GRANTEE, "operations": ["Decrypt", "Encrypt"]}],
             "lastUsage": {"operation": "Decrypt", "timestamp": iso(USED_AT), "requestId": "seeded-request"}},
            {"id": KEYS["Disabled"], "storeId": STORE, "state": "Disabled", "creationDate": "2025-03-01T00:00:00Z"},
            {"id": KEYS["PendingDeletion"], "storeId": STORE, "state": "PendingDeletion", "pendingWindowInDays": 30,
             "deletionDate": iso(deletion)},
            {"id": KEYS["Unavailable"], "storeId": OTHER_STORE, "state": "Enabled", "xksKeyId": "ext-1"},
        ],
    }


def test_seed_loads_stores_keys_aliases_grants_tags_and_usage(start_kms_local, tmp_path):
    deletion = (utc_now() + dt.timedelta(days=20)).replace(microsecond=0)
    seed = write_seed(tmp_path / "seed.json", _rich_seed(deletion))
    kms = start_kms_local("--seed", str(seed)).client()

    stores = {s["CustomKeyStoreId"]: s for s in kms.describe_custom_key_stores()["CustomKeyStores"]}
    assert set(stores) == {STORE, OTHER_STORE}
    assert stores[STORE]["ConnectionState"] == "CONNECTED" and stores[STORE]["CloudHsmClusterId"] == "cluster-5eed0000001"
    assert stores[OTHER_STORE]["XksProxyConfiguration"]["UriEndpoint"] == "https://xks.seed.example.com"

    ids = all_key_ids(kms)
    assert len(ids) == 1000 + len(KEYS), f"generatedKeys: 1000 plus the seeded keys, got {len(ids)}"
    assert set(KEYS.values()) <= set(ids)
    for state, key_id in KEYS.items():
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        assert meta["KeyState"] == state, f"seeded {key_id} should be {state}, is {meta['KeyState']}"
    pending = kms.describe_key(KeyId=KEYS["PendingDeletion"])["KeyMetadata"]
    assert pending["DeletionDate"] == deletion
    enabled = kms.describe_key(KeyId=KEYS["Enabled"])["KeyMetadata"]
    assert enabled["Description"] == "seeded enabled" and enabled["Origin"] == "AWS_CLOUDHSM"
    assert enabled["CreationDate"] == dt.datetime(2024, 12, 1, tzinfo=dt.timezone.utc)
    assert kms.describe_key(KeyId=KEYS["Unavailable"])["KeyMetadata"]["XksKeyConfiguration"] == {"Id": "ext-1"}

    assert [a["AliasName"] for a in kms.list_aliases(KeyId=KEYS["Enabled"])["Aliases"]] == ["alias/seeded-app"]
    grants = kms.list_grants(KeyId=KEYS["Enabled"])["Grants"]
    assert len(grants) == 1 and grants[0]["GranteePrincipal"] == GRANTEE
    assert kms.list_resource_tags(KeyId=KEYS["Enabled"])["Tags"] == [{"TagKey": "team", "TagValue": "payments"}]

    usage = kms.get_key_last_usage(KeyId=KEYS["Enabled"])
    assert usage["KeyLastUsage"]["Operation"] == "Decrypt" and usage["KeyLastUsage"]["Timestamp"] == USED_AT
    assert usage["TrackingStartDate"] == TRACKING, "TrackingStartDate is the later of tracking start and creation (5)"
    later = kms.get_key_last_usage(KeyId=KEYS["Disabled"])
    assert later["TrackingStartDate"] == dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
    assert later.get("KeyLastUsage") == {}


def test_invalid_seed_is_refused_with_a_message(kms_local_bin, tmp_path):
    import subprocess
    seed = tmp_path / "bad.json"
    seed.write_text(json.dumps({"seedVersion": 1, "keys": [{"id": "k", "storeId": "cks-missing"}]}))
    result = subprocess.run([str(kms_local_bin), "--port", "0", "--seed", str(seed)], capture_output=True, text=True,
                            timeout=15)
    assert result.returncode != 0, "a seed naming an unknown store is refused"
    assert "cks-missing" in result.stderr, f"the message names the offending entry: {result.stderr!r}"


def _populate(kms):
    store = kms.create_custom_key_store(
        CustomKeyStoreName="persisted", CloudHsmClusterId="cluster-0000persist", TrustAnchorCertificate="anchor",
        KeyStorePassword="kmsPswd1")["CustomKeyStoreId"]
    key_id = kms.create_key(Description="persisted key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/persisted", TargetKeyId=key_id)
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "keep", "TagValue": "me"}])
    doomed = kms.create_key()["KeyMetadata"]["KeyId"]
    deletion = kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=30)["DeletionDate"]
    return store, key_id, doomed, deletion


def _check_persisted(kms, store, key_id, doomed, deletion):
    assert kms.describe_custom_key_stores(CustomKeyStoreId=store)["CustomKeyStores"][0]["CustomKeyStoreName"] == "persisted"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "persisted key"
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=key_id)["Aliases"]] == ["alias/persisted"]
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "keep", "TagValue": "me"}]
    meta = kms.describe_key(KeyId=doomed)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion"
    assert abs((meta["DeletionDate"] - deletion).total_seconds()) < 0.01


def test_state_file_persists_across_a_restart(start_kms_local, tmp_path):
    state = tmp_path / "state.json"
    first = start_kms_local("--state", str(state))
    facts = _populate(first.client())
    assert first.stop() == 0, f"kms-local exits 0 on SIGTERM; stderr: {first.stderr_text()}"
    assert state.is_file(), "--state FILE is written"
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600, "the state file is private (mode 0600)"
    second = start_kms_local("--state", str(state))
    _check_persisted(second.client(), *facts)


def test_state_file_survives_kill_9(start_kms_local, tmp_path):
    state = tmp_path / "state.json"
    first = start_kms_local("--state", str(state))
    facts = _populate(first.client())
    doomed = facts[2]
    # The state is saved shortly after every change; give it a bounded moment, then kill hard.
    wait_until(lambda: state.is_file() and doomed in state.read_text() and "PendingDeletion" in state.read_text(),
               bool, 3.0, what="the state file to hold the latest change")
    first.stop(signal.SIGKILL)
    second = start_kms_local("--state", str(state))
    _check_persisted(second.client(), *facts)
