"""Validates plan files against plans/plan.schema.json (JSON Schema 2020-12).

Checks every `*.json` plan the Swift tests copied into $DECOMMISSION_PLAN_ARTIFACTS, plus the
committed example plans/example-cloudhsm.json. Skipped when the variable is unset.

    DECOMMISSION_PLAN_ARTIFACTS=/tmp/plans swift test --filter Plan
    DECOMMISSION_PLAN_ARTIFACTS=/tmp/plans python -m pytest Tests/conformance/test_plan_schema.py
"""

import json
import os
import pathlib

import pytest

jsonschema = pytest.importorskip("jsonschema")

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "plans" / "plan.schema.json"
EXAMPLE_PATH = ROOT / "plans" / "example-cloudhsm.json"
ARTIFACTS = os.environ.get("DECOMMISSION_PLAN_ARTIFACTS")

pytestmark = pytest.mark.skipif(not ARTIFACTS, reason="DECOMMISSION_PLAN_ARTIFACTS is not set")


def _plans():
    paths = []
    if ARTIFACTS:
        paths += sorted(pathlib.Path(ARTIFACTS).glob("*.json"))
    if EXAMPLE_PATH.exists():
        paths.append(EXAMPLE_PATH)
    return paths


def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_valid_2020_12():
    _validator()


def test_there_are_plans_to_check():
    assert _plans(), f"no *.json plans in {ARTIFACTS} and no {EXAMPLE_PATH.name}"


@pytest.mark.parametrize("path", _plans(), ids=lambda p: p.name)
def test_plan_matches_schema(path):
    plan = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(_validator().iter_errors(plan), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


@pytest.mark.parametrize("path", _plans(), ids=lambda p: p.name)
def test_step_dependencies_name_earlier_steps(path):
    plan = json.loads(path.read_text(encoding="utf-8"))
    seen = set()
    for step in plan["steps"]:
        assert set(step["dependsOn"]) <= seen, f"{path.name}: {step['id']} depends on a later or unknown step"
        seen.add(step["id"])


def test_schema_rejects_a_tampered_fingerprint_and_unknown_status():
    validator = _validator()
    plan = json.loads(_plans()[0].read_text(encoding="utf-8"))
    plan["fingerprint"] = "XYZ"
    assert not validator.is_valid(plan)
    plan = json.loads(_plans()[0].read_text(encoding="utf-8"))
    plan["steps"][0]["status"] = "succeeded"
    assert not validator.is_valid(plan)
