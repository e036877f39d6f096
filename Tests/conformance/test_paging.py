"""Pagination as AWS does it (reference section 3.3): Limit + Marker in, NextMarker + Truncated out."""
from __future__ import annotations

import pytest

from conformance_support import ACCOUNT, expect_error, write_seed

KEY = "11111111-2222-4333-8444-555555555555"
N_GENERATED = 23
N_ITEMS = 7  # aliases, grants and tags on KEY
N_STORES = 4


@pytest.fixture(scope="module")
def server(start_module_kms_local, tmp_path_factory):
    stores = [{"id": f"cks-{i:017x}", "name": f"paging-{i}", "type": "AWS_CLOUDHSM",
               "clusterId": f"cluster-{i:011x}", "connectionState": "CONNECTED"} for i in range(1, N_STORES + 1)]
    key = {
        "id": KEY, "aliases": [f"alias/paging-{i}" for i in range(N_ITEMS)],
        "grants": [{"granteePrincipal": f"arn:aws:iam::{ACCOUNT}:role/r{i}", "operations": ["Decrypt"]}
                   for i in range(N_ITEMS)],
        "tags": [{"key": f"tag-{i}", "value": str(i)} for i in range(N_ITEMS)],
    }
    seed = write_seed(tmp_path_factory.mktemp("paging") / "seed.json",
                      {"stores": stores, "keys": [key], "generatedKeys": N_GENERATED})
    return start_module_kms_local("--seed", str(seed))


@pytest.fixture(scope="module")
def kms(server):
    return server.client()


# (operation, request arguments, items key, item identity, expected count, documented Limit range)
LISTINGS = {
    "list_keys": ({}, "Keys", lambda k: k["KeyId"], N_GENERATED + 1, (1, 1000)),
    "list_aliases": ({"KeyId": KEY}, "Aliases", lambda a: a["AliasName"], N_ITEMS, (1, 100)),
    "list_grants": ({"KeyId": KEY}, "Grants", lambda g: g["GrantId"], N_ITEMS, (1, 100)),
    "list_resource_tags": ({"KeyId": KEY}, "Tags", lambda t: t["TagKey"], N_ITEMS, (1, 50)),
    "describe_custom_key_stores": ({}, "CustomKeyStores", lambda s: s["CustomKeyStoreId"], N_STORES, (1, 1000)),
}


def _check_page(page, items_key, limit):
    assert len(page[items_key]) <= limit, f"a page holds at most Limit={limit} items"
    truncated = page.get("Truncated")
    assert isinstance(truncated, bool), "Truncated is always present"
    assert ("NextMarker" in page) == truncated, \
        f"NextMarker is present only when Truncated is true (3.3): Truncated={truncated}, NextMarker={page.get('NextMarker')!r}"


@pytest.mark.parametrize("operation", list(LISTINGS))
@pytest.mark.parametrize("limit", [1, 3])
def test_manual_marker_loop_visits_every_item_once(kms, operation, limit):
    args, items_key, identity, expected, _ = LISTINGS[operation]
    call = getattr(kms, operation)
    seen, marker, pages = [], None, 0
    for _ in range(expected + 5):  # bounded: a correct server needs at most `expected` pages
        page = call(**args, Limit=limit, **({"Marker": marker} if marker else {}))
        pages += 1
        _check_page(page, items_key, limit)
        seen += [identity(item) for item in page[items_key]]
        if not page["Truncated"]:
            break
        marker = page["NextMarker"]
    else:
        pytest.fail(f"{operation} still Truncated after {pages} pages")
    assert len(seen) == len(set(seen)), f"{operation}: no item appears twice across pages"
    assert len(seen) == expected, f"{operation}: expected {expected} items, got {len(seen)}"
    assert pages > 1, f"{operation} with Limit={limit} should need several pages"


@pytest.mark.parametrize("operation", list(LISTINGS))
def test_single_page_without_limit_is_not_truncated(kms, operation):
    args, items_key, identity, expected, _ = LISTINGS[operation]
    page = getattr(kms, operation)(**args)
    _check_page(page, items_key, 1000)
    assert page["Truncated"] is False and len(page[items_key]) == expected


@pytest.mark.parametrize("operation", list(LISTINGS))
def test_boto3_paginator_collects_everything(kms, operation):
    args, items_key, identity, expected, _ = LISTINGS[operation]
    assert kms.can_paginate(operation), f"botocore has a paginator for {operation}"
    seen = []
    pages = 0
    for page in kms.get_paginator(operation).paginate(**args, PaginationConfig={"PageSize": 2, "MaxItems": 1000}):
        pages += 1
        _check_page(page, items_key, 2)
        seen += [identity(item) for item in page[items_key]]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == expected
    assert pages == -(-expected // 2), f"{operation}: {expected} items in pages of 2 take {-(-expected // 2)} pages"


def test_unfiltered_list_aliases_pages_through_every_seeded_alias(kms):
    # Unfiltered, AWS also lists AWS-managed alias/aws/… aliases (3.3), so count only ours.
    seen, marker = [], None
    for _ in range(100):
        page = kms.list_aliases(Limit=2, **({"Marker": marker} if marker else {}))
        _check_page(page, "Aliases", 2)
        seen += [a["AliasName"] for a in page["Aliases"]]
        if not page["Truncated"]:
            break
        marker = page["NextMarker"]
    else:
        pytest.fail("ListAliases still Truncated after 100 pages")
    assert len(seen) == len(set(seen))
    assert sorted(n for n in seen if n.startswith("alias/paging-")) == sorted(f"alias/paging-{i}" for i in range(N_ITEMS))


def test_default_page_sizes(kms):
    # ListKeys default 100 (we have fewer); ListAliases default 50; ListResourceTags default 50 (3.3).
    assert len(kms.list_keys()["Keys"]) == N_GENERATED + 1


@pytest.mark.parametrize("operation", list(LISTINGS))
def test_limit_outside_documented_range_is_validation_exception(server, operation):
    kms = server.client(validate=False)  # let out-of-model values reach the server
    args, _, _, _, (low, high) = LISTINGS[operation]
    for limit in (low - 1, high + 1):
        expect_error(lambda: getattr(kms, operation)(**args, Limit=limit), "ValidationException",
                     context=f"{operation} Limit={limit}, documented range {low}-{high} (3.3)")


@pytest.mark.parametrize("operation", list(LISTINGS))
def test_limit_at_documented_bounds_is_accepted(kms, operation):
    args, items_key, _, _, (low, high) = LISTINGS[operation]
    for limit in (low, high):
        assert len(getattr(kms, operation)(**args, Limit=limit)[items_key]) <= limit


def test_marker_from_another_listing_is_rejected(kms):
    marker = kms.list_keys(Limit=1)["NextMarker"]
    expect_error(lambda: kms.list_aliases(Marker=marker), "InvalidMarkerException",
                 context="a ListKeys marker passed to ListAliases")


def test_list_aliases_filtered_by_key(kms):
    page = kms.list_aliases(KeyId=KEY, Limit=100)
    assert sorted(a["AliasName"] for a in page["Aliases"]) == sorted(f"alias/paging-{i}" for i in range(N_ITEMS))
    assert all(a["TargetKeyId"] == KEY for a in page["Aliases"])


def test_list_keys_entries_hold_key_id_and_arn(kms):
    entry = kms.list_keys(Limit=1)["Keys"][0]
    assert set(entry) == {"KeyId", "KeyArn"}, "ListKeys entries hold only KeyId and KeyArn (3.2)"
    assert entry["KeyArn"].endswith(":key/" + entry["KeyId"])
