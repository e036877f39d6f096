"""External key store (XKS) lifecycle against kms-local, end to end with boto3 (reference sections 1-5, 2.7)."""
from __future__ import annotations

from conformance_support import XKS_ACCESS_KEY_ID, create_xks_store, expect_error, wait_store_state
from lifecycle_scenario import LIFECYCLE_SCALE, StoreKind, run_lifecycle

NAME = "conformance-xks"
HOST = "xks.conformance.example.com"


def _external_key_id(index: int) -> str:
    return f"external-key-{index:03d}"


def _check_store(entry):
    proxy = entry["XksProxyConfiguration"]
    assert proxy["Connectivity"] == "PUBLIC_ENDPOINT"
    assert proxy["AccessKeyId"] == XKS_ACCESS_KEY_ID, "DescribeCustomKeyStores shows the proxy AccessKeyId (10.2)"
    assert proxy["UriEndpoint"] == f"https://{HOST}"
    assert proxy["UriPath"] == "/example/kms/xks/v1"
    assert "RawSecretAccessKey" not in proxy, "the proxy secret is never returned"
    assert "CloudHsmClusterId" not in entry and "TrustAnchorCertificate" not in entry


def _check_key(meta, index):
    assert meta["XksKeyConfiguration"] == {"Id": _external_key_id(index)}, "XKS keys carry XksKeyConfiguration.Id (3.1)"
    assert "CloudHsmClusterId" not in meta


XKS = StoreKind(
    store_type="EXTERNAL_KEY_STORE", origin="EXTERNAL_KEY_STORE",
    create_store=lambda kms: create_xks_store(kms, NAME, HOST),
    create_key_args=lambda index: {"Origin": "EXTERNAL_KEY_STORE", "XksKeyId": _external_key_id(index)},
    check_store_entry=_check_store, check_key_metadata=_check_key,
)


def test_xks_store_lifecycle(start_kms_local):
    server = start_kms_local("--time-scale", str(LIFECYCLE_SCALE))
    run_lifecycle(server.client(), XKS, NAME)


def test_xks_external_key_id_cannot_back_two_kms_keys(start_kms_local):
    server = start_kms_local("--time-scale", str(LIFECYCLE_SCALE))
    kms = server.client()
    store_id = create_xks_store(kms, NAME, HOST)
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    wait_store_state(kms, store_id, "CONNECTED")
    kms.create_key(CustomKeyStoreId=store_id, Origin="EXTERNAL_KEY_STORE", XksKeyId="shared-external-key")
    expect_error(
        lambda: kms.create_key(CustomKeyStoreId=store_id, Origin="EXTERNAL_KEY_STORE", XksKeyId="shared-external-key"),
        "XksKeyAlreadyInUseException", context="one KMS key per external key (9)")


def test_xks_proxy_uri_is_unique_per_account_and_region(start_kms_local):
    kms = start_kms_local().client()
    create_xks_store(kms, NAME, HOST)
    expect_error(lambda: create_xks_store(kms, "another-name", HOST), "XksProxyUriInUseException",
                 context="endpoint+path unique per account/Region (9)")
