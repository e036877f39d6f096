"""The operator's plain boto3 runbook (../shared/baselines/boto3_runbook.py) completes against a seeded
kms-local with a large time scale, and afterwards the store is gone. Skipped where ../shared is absent."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conformance_support import (
    ACCESS_KEY, DAY, REGION, REPO, SECRET_KEY, all_key_ids, expect_error, is_gone, write_seed,
)

RUNBOOK = REPO.parent / "shared" / "baselines" / "boto3_runbook.py"
STORE = "cks-0000000000000b00c"
STORE_KEYS = [f"b00c0000-0000-4000-8000-{i:012x}" for i in range(12)]
OTHER_KEYS = 200
SCALE = 7 * DAY / 2.0  # a 7-day window lasts 2 s


@pytest.fixture
def runbook():
    if not RUNBOOK.is_file():
        pytest.skip(f"baseline runbook not found at {RUNBOOK} (only present next to the project's shared folder)")
    return RUNBOOK


def test_runbook_decommissions_a_seeded_store(runbook, start_kms_local, tmp_path):
    states = ["Enabled", "Disabled", "PendingDeletion"]
    keys = [{"id": key, "storeId": STORE, "state": states[i % 3], "pendingWindowInDays": 7}
            if states[i % 3] == "PendingDeletion" else {"id": key, "storeId": STORE, "state": states[i % 3]}
            for i, key in enumerate(STORE_KEYS)]
    seed = write_seed(tmp_path / "seed.json", {
        "generatedKeys": OTHER_KEYS,
        "stores": [{"id": STORE, "name": "runbook", "type": "AWS_CLOUDHSM", "clusterId": "cluster-00000000b00c",
                    "connectionState": "CONNECTED"}],
        "keys": keys,
    })
    server = start_kms_local("--seed", str(seed), "--time-scale", str(SCALE))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    result = subprocess.run(
        [sys.executable, str(runbook), "run", "--key-store", STORE, "--endpoint-url", server.endpoint,
         "--region", REGION, "--pending-window-days", "7", "--poll-seconds", "0.2"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 0, f"runbook failed: stdout={result.stdout!r} stderr={result.stderr[-3000:]!r}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["keysInStore"] == len(STORE_KEYS)
    assert summary["keysScanned"] == len(STORE_KEYS) + OTHER_KEYS

    kms = server.client()
    expect_error(lambda: kms.describe_custom_key_stores(CustomKeyStoreId=STORE), "CustomKeyStoreNotFoundException",
                 context="the store is gone after the runbook")
    assert all(is_gone(kms, key) for key in STORE_KEYS)
    assert len(all_key_ids(kms)) == OTHER_KEYS, "keys outside the store are untouched"

    calls = server.calls()
    scheduled = {c["target"] for c in calls if c["operation"] == "ScheduleKeyDeletion" and c["outcome"] == "ok"}
    assert len(scheduled) == len(STORE_KEYS) - len(STORE_KEYS) // 3, "already pending keys are not rescheduled"
    operations = [c["operation"] for c in calls if c["outcome"] == "ok"]
    assert operations.index("DisconnectCustomKeyStore") < operations.index("DeleteCustomKeyStore")
