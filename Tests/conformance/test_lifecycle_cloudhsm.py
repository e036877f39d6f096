"""CloudHSM key store lifecycle against kms-local, end to end with boto3 (reference sections 1-5)."""
from __future__ import annotations

from conformance_support import TRUST_ANCHOR, create_cloudhsm_store, expect_error
from lifecycle_scenario import LIFECYCLE_SCALE, StoreKind, run_lifecycle

NAME = "conformance-hsm"
CLUSTER = "cluster-1a23b4cdefg"


def _check_store(entry):
    assert entry["CloudHsmClusterId"] == CLUSTER
    assert entry["TrustAnchorCertificate"] == TRUST_ANCHOR
    assert "XksProxyConfiguration" not in entry, "CloudHSM stores have no XksProxyConfiguration"


def _check_key(meta, index):
    assert meta["CloudHsmClusterId"] == CLUSTER, "CloudHSM keys carry their store's CloudHsmClusterId (3.1)"
    assert "XksKeyConfiguration" not in meta


CLOUDHSM = StoreKind(
    store_type="AWS_CLOUDHSM", origin="AWS_CLOUDHSM",
    create_store=lambda kms: create_cloudhsm_store(kms, NAME, CLUSTER),
    create_key_args=lambda index: {"Origin": "AWS_CLOUDHSM"},
    check_store_entry=_check_store, check_key_metadata=_check_key,
)


def test_cloudhsm_store_lifecycle(start_kms_local):
    server = start_kms_local("--time-scale", str(LIFECYCLE_SCALE))
    run_lifecycle(server.client(), CLOUDHSM, NAME)


def test_cloudhsm_store_rejects_a_second_store_on_the_same_cluster(start_kms_local):
    kms = start_kms_local().client()
    create_cloudhsm_store(kms, "first", CLUSTER)
    expect_error(lambda: create_cloudhsm_store(kms, "second", CLUSTER), "CloudHsmClusterInUseException",
                 context="one CloudHSM key store per cluster (9)")


def test_cloudhsm_store_same_request_for_disconnected_store_returns_existing_id(start_kms_local):
    kms = start_kms_local().client()
    first = create_cloudhsm_store(kms, NAME, CLUSTER)
    assert create_cloudhsm_store(kms, NAME, CLUSTER) == first, \
        "re-sending CreateCustomKeyStore for a disconnected CloudHSM store returns its id (1.5 [HSM-CREATE])"
