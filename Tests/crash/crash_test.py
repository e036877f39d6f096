#!/usr/bin/env python3
"""Crash test: `kill -9` `decommission apply` at random moments; `apply --resume` must converge.

Starts the built `kms-local` with a CONNECTED CloudHSM store (eight keys, one of them already
pending deletion, plus a few ordinary keys), a large time scale and injected faults; makes a plan
with the built `decommission`; then runs `apply` again and again, killing it with SIGKILL after a
seeded random delay, and checks after every kill that the plan file is still valid JSON. Then it
resumes without killing until the plan completes and checks, from kms-local's call log and
state, that the decommission was orderly:

- the store and every key of it are gone (list-key-stores and the kms-local state file);
- at most one ScheduleKeyDeletion was applied per key, none for the key pending before the plan,
  and none was ever sent to a key already pending deletion (a change whose answer was lost is
  reconciled from live state, never resent blindly);
- every ScheduleKeyDeletion came before the DisconnectCustomKeyStore, and the
  DeleteCustomKeyStore after it;
- every step of the plan is done, matching kms-local;
- the plan observes (its keys disabled first) and guards each DeletionDate with CloudTrail
  sweeps: the end of observation was checked, guard checks were recorded, and no kill ever lost a
  key's checkpointed sweep (each step's last check, from `status --output json`, only moves
  forward from one kill to the next).

Python 3 standard library only. Binaries: <repo>/.build/debug/{kms-local,decommission}, or
KMS_LOCAL_BIN / DECOMMISSION_BIN. Prints `crash test: N kills, M resumes, passed` and exits 0,
or prints the failures and exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STORE_ID = "cks-c0ffee000000000a1"
CLUSTER_ID = "cluster-1a23b4cdefg"
ACCOUNT_ID = "111122223333"
REGION = "us-east-1"
WEEK_SECONDS = 7 * 86_400
# Exit codes of `decommission` (SPEC.md).
EXIT_DONE, EXIT_FAILED, EXIT_WAITING = 0, 1, 75


class CrashTestFailure(Exception):
    """A check failed; the message says which."""


def key_id(n: int) -> str:
    return f"c0ffee{n:02x}-0000-4000-8000-{n:012x}"


STORE_KEYS = [key_id(n) for n in range(1, 9)]
PRE_PENDING_KEY = STORE_KEYS[-1]


def iso(date: datetime) -> str:
    return date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_seed(now: datetime, pre_pending_in: float) -> dict:
    keys = []
    for index, kid in enumerate(STORE_KEYS):
        key = {"id": kid, "storeId": STORE_ID, "creationDate": iso(now - timedelta(days=90)),
               "description": f"crash-test key {index + 1}"}
        if kid == PRE_PENDING_KEY:
            key.update(state="PendingDeletion", pendingWindowInDays=7,
                       deletionDate=iso(now + timedelta(seconds=pre_pending_in)))
        else:
            key["state"] = "Disabled" if index % 3 == 2 else "Enabled"
        keys.append(key)
    return {
        "seedVersion": 1, "accountId": ACCOUNT_ID, "region": REGION,
        "trackingStartDate": iso(now - timedelta(days=400)), "generatedKeys": 4,
        "stores": [{
            "id": STORE_ID, "name": "crash-test-hsm", "type": "AWS_CLOUDHSM", "clusterId": CLUSTER_ID,
            "trustAnchorCertificate": "-----BEGIN CERTIFICATE-----crash-----END CERTIFICATE-----",
            "connectionState": "CONNECTED", "creationDate": iso(now - timedelta(days=365)),
        }],
        "keys": keys,
    }


class KMSLocal:
    """The kms-local process: started with a seed and state file, stopped with SIGTERM (saves state)."""

    def __init__(self, binary: str, work: Path, args: argparse.Namespace, now: datetime):
        self.work = work
        self.state_file = work / "kms-local-state.json"
        seed_file = work / "seed.json"
        seed_file.write_text(json.dumps(make_seed(now, args.pre_pending_seconds), indent=2))
        self.log_path = work / "kms-local.out"
        self.log = open(self.log_path, "w")
        command = [binary, "--port", "0", "--seed", str(seed_file), "--state", str(self.state_file),
                   "--time-scale", str(args.time_scale), "--fault-rate", str(args.fault_rate),
                   "--fault-seed", str(args.seed), "--latency", str(args.latency_ms)]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.endpoint = self._wait_ready()

    def _wait_ready(self) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = self.log_path.read_text()
            for line in text.splitlines():
                if line.startswith("kms-local listening on "):
                    return line.split(" on ", 1)[1].strip()
            if self.process.poll() is not None:
                raise CrashTestFailure(f"kms-local exited with {self.process.returncode}: {text.strip()}")
            time.sleep(0.05)
        raise CrashTestFailure("kms-local did not print its listening line within 20 s")

    def calls(self) -> list[dict]:
        with urllib.request.urlopen(self.endpoint + "/_kms_local/calls", timeout=10) as response:
            return json.load(response)["calls"]

    def stop(self) -> dict | None:
        """Stops kms-local (SIGTERM saves the state file) and returns the saved state."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self.state_file.exists():
            return json.loads(self.state_file.read_text())
        return None


class Decommission:
    """Runs the decommission binary against kms-local with the well-known test credentials."""

    def __init__(self, binary: str, endpoint: str, work: Path):
        self.binary = binary
        self.endpoint = endpoint
        self.work = work
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "NO_COLOR": "1",
            "AWS_ACCESS_KEY_ID": "AKIDKMSLOCAL", "AWS_SECRET_ACCESS_KEY": "kms-local-secret",
            "AWS_CONFIG_FILE": str(work / "no-aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(work / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def command(self, *args: str) -> list[str]:
        # --rate-scale 20: LookupEvents at 40/s, so an observation or guard sweep fits between kills
        # (kms-local enforces no quota here).
        return [self.binary, *args, "--endpoint-url", self.endpoint, "--region", REGION, "--no-color", "--rate-scale", "20"]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), env=self.env, cwd=self.work, capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen:
        out = open(self.work / "apply.out", "ab")
        try:
            return subprocess.Popen(self.command(*args), env=self.env, cwd=self.work, stdout=out, stderr=subprocess.STDOUT)
        finally:
            out.close()


def read_plan(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CrashTestFailure(f"plan file {path} does not parse as JSON after a kill: {error}") from error


def plan_status(cli: "Decommission", plan_path: Path) -> dict:
    """The plan as the tool reads it (`status --output json`: the plan with its journal replayed),
    so the crash test keeps no copy of the journal's rules."""
    result = cli.run("status", str(plan_path), "--output", "json")
    if result.returncode != 0:
        raise CrashTestFailure(f"status {plan_path} exited {result.returncode}: {result.stderr.strip()}")
    return json.loads(result.stdout)


def progress_after_kill(cli: "Decommission", plan_path: Path) -> str:
    """Names where a kill landed: the steps left running, else the phase."""
    steps = plan_status(cli, plan_path)["steps"]
    running = sorted({step["action"] for step in steps if step["status"] == "running"})
    if running:
        return "mid " + "+".join(running)
    done = {step["action"] for step in steps if step["status"] in ("done", "skipped")}
    for action in ("delete-store", "disconnect-store", "rescan-before-disconnect", "schedule-deletion", "observe", "disable-key", "preflight-rescan"):
        if action in done:
            return "after " + action
    return "before any step"


def evidence_marks(cli: "Decommission", plan_path: Path) -> dict[str, str]:
    """Each step's last checkpointed CloudTrail check (its window end), as the tool reads the plan."""
    steps = plan_status(cli, plan_path)["steps"]
    return {step["id"]: step["evidence"]["windowEnd"] for step in steps if step.get("evidence")}


def check_marks_kept(before: dict[str, str], after: dict[str, str], failures: list[str]) -> None:
    """A kill must never lose a finished sweep: every checkpointed check survives, never moving back."""
    for step_id, window_end in before.items():
        if step_id not in after:
            failures.append(f"after a kill, step {step_id} lost its CloudTrail check (window end {window_end})")
        elif after[step_id] < window_end:
            failures.append(f"after a kill, step {step_id}'s CloudTrail check moved back from {window_end} to {after[step_id]}")


def plan_has_started(cli: "Decommission", plan_path: Path) -> bool:
    """Asks the tool whether the plan has started, so the rule has one copy."""
    return bool(plan_status(cli, plan_path)["hasStarted"])


def apply_arguments(cli: "Decommission", plan_path: Path, fingerprint: str) -> list[str]:
    # A plan killed before its approval was written has not started: approve it again.
    if plan_has_started(cli, plan_path):
        return ["apply", str(plan_path), "--resume", "--wait"]
    return ["apply", str(plan_path), "--approve", fingerprint]


MUTATING_OPERATIONS = ("ScheduleKeyDeletion", "DisableKey", "DisconnectCustomKeyStore", "DeleteCustomKeyStore", "ConnectCustomKeyStore")


def check_call_log(calls: list[dict], failures: list[str]) -> dict[str, int]:
    """Checks the order and uniqueness rules on kms-local's call log; returns, for the summary, how
    many calls were logged and how many of them were applied, per operation that changes KMS."""
    by_seq = sorted(calls, key=lambda call: call["seq"])
    applied = lambda call: call["outcome"] in ("ok", "dropped")  # noqa: E731 (a one-line predicate)
    counts = {"calls": len(by_seq)}
    for call in by_seq:
        if call["operation"] in MUTATING_OPERATIONS and applied(call):
            counts[call["operation"]] = counts.get(call["operation"], 0) + 1
    per_key: dict[str, list[dict]] = {}
    for call in by_seq:
        if call.get("target"):
            per_key.setdefault(call["target"].rsplit("/", 1)[-1], []).append(call)

    for kid in STORE_KEYS:
        history = per_key.get(kid, [])
        schedules = [call for call in history if call["operation"] == "ScheduleKeyDeletion"]
        if kid == PRE_PENDING_KEY:
            if schedules:
                failures.append(f"ScheduleKeyDeletion sent for {kid}, pending deletion before the plan: {schedules}")
            continue
        applied_schedules = [call for call in schedules if applied(call)]
        if len(applied_schedules) != 1:
            failures.append(f"key {kid}: {len(applied_schedules)} applied ScheduleKeyDeletion calls, expected exactly 1")
            continue
        first_applied = applied_schedules[0]["seq"]
        for call in schedules:
            if call["seq"] <= first_applied:
                continue
            previous = [c for c in history if c["seq"] < call["seq"]][-1]
            failures.append(f"ScheduleKeyDeletion #{call['seq']} sent for {kid} after it was already pending deletion "
                            f"(applied at #{first_applied}; previous call for the key: {previous})")

    disconnects = [call for call in by_seq if call["operation"] == "DisconnectCustomKeyStore" and applied(call)]
    deletes = [call for call in by_seq if call["operation"] == "DeleteCustomKeyStore" and applied(call)]
    connects = [call for call in by_seq if call["operation"] == "ConnectCustomKeyStore"]
    if connects:
        failures.append(f"unexpected ConnectCustomKeyStore calls: {connects}")
    if not disconnects:
        failures.append("no applied DisconnectCustomKeyStore in the call log")
        return counts
    disconnect = disconnects[0]["seq"]
    late = [call for call in by_seq if call["operation"] == "ScheduleKeyDeletion" and call["seq"] > disconnect]
    if late:
        failures.append(f"ScheduleKeyDeletion after the DisconnectCustomKeyStore #{disconnect}: {late}")
    for kid in STORE_KEYS:
        gone = [c for c in per_key.get(kid, []) if c["operation"] == "DescribeKey" and c.get("errorType") == "NotFoundException"]
        if not gone or gone[0]["seq"] > disconnect:
            failures.append(f"key {kid} was not seen deleted (NotFoundException) before the disconnect #{disconnect}")
    if len(deletes) != 1:
        failures.append(f"{len(deletes)} applied DeleteCustomKeyStore calls, expected exactly 1")
    elif deletes[0]["seq"] < disconnect:
        failures.append(f"DeleteCustomKeyStore #{deletes[0]['seq']} before the DisconnectCustomKeyStore #{disconnect}")
    early_deletes = [call for call in by_seq if call["operation"] == "DeleteCustomKeyStore" and call["seq"] < disconnect]
    if early_deletes:
        failures.append(f"DeleteCustomKeyStore sent before the disconnect: {early_deletes}")
    return counts


def run(args: argparse.Namespace) -> int:
    kms_local_bin = os.environ.get("KMS_LOCAL_BIN", str(REPO / ".build/debug/kms-local"))
    decommission_bin = os.environ.get("DECOMMISSION_BIN", str(REPO / ".build/debug/decommission"))
    for binary in (kms_local_bin, decommission_bin):
        if not os.access(binary, os.X_OK):
            print(f"crash test: {binary} is missing; run 'swift build' first", file=sys.stderr)
            return 2
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.timeout
    work = Path(tempfile.mkdtemp(prefix="decommission-crash-"))
    kms = KMSLocal(kms_local_bin, work, args, datetime.now(timezone.utc))
    failures: list[str] = []
    kills = resumes = completed_runs = 0
    exit_codes: dict[int, int] = {}
    kill_points: dict[str, int] = {}
    finished = False
    try:
        cli = Decommission(decommission_bin, kms.endpoint, work)
        plan_path = work / "plan.json"
        for _ in range(10):
            # Injected faults may outlast the client's retries (exit 1); planning is read-only, so retry.
            planned = cli.run("plan", "--key-store", STORE_ID, "--out", str(plan_path), "--pending-window-days", "7",
                              "--observe-days", repr(args.observe_days), "--guard-hours", "24", "--cloudtrail-lag", "0",
                              "--output", "json", "--force")
            # An injected fault that outlasts the retries of a LookupEvents makes CloudTrail
            # unavailable, which blocks a plan that observes: plan again, as for exit 1.
            if planned.returncode != EXIT_FAILED and "cloudtrail-unavailable" not in planned.stdout:
                break
        if planned.returncode == 3:
            raise CrashTestFailure(f"the plan is blocked (exit 3); it should only warn:\n{planned.stdout}{planned.stderr}")
        if planned.returncode != 0:
            raise CrashTestFailure(f"plan exited {planned.returncode}:\n{planned.stdout}{planned.stderr}")
        plan_output = json.loads(planned.stdout)
        fingerprint = plan_output["fingerprint"]
        planned_keys = sorted(key["keyId"] for key in plan_output["keys"])
        if planned_keys != sorted(STORE_KEYS):
            raise CrashTestFailure(f"the plan lists keys {planned_keys}, expected {sorted(STORE_KEYS)}")

        done = False
        iteration = 0
        marks: dict[str, str] = {}
        # Kill every run until the plan completes: the time scale makes that take several dozen
        # kills (at least `--kills`), spread over every phase. A run that ends before its kill is
        # counted, and the next one resumes.
        while not done and iteration < args.max_iterations:
            if time.monotonic() > deadline:
                raise CrashTestFailure(f"timed out after {args.timeout} s with {kills} kills")
            iteration += 1
            arguments = apply_arguments(cli, plan_path, fingerprint)
            resumes += "--resume" in arguments
            process = cli.start(*arguments)
            try:
                code = process.wait(timeout=rng.uniform(0.05, 1.5))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                where = progress_after_kill(cli, plan_path)
                kill_points[where] = kill_points.get(where, 0) + 1
                latest = evidence_marks(cli, plan_path)
                check_marks_kept(marks, latest, failures)
                marks = latest
                continue
            completed_runs += 1
            exit_codes[code] = exit_codes.get(code, 0) + 1
            read_plan(plan_path)
            if code == EXIT_DONE:
                done = True
            elif code not in (EXIT_FAILED, EXIT_WAITING):
                raise CrashTestFailure(f"apply exited {code} (see {work / 'apply.out'}):\n{(work / 'apply.out').read_text()[-3000:]}")
        if kills < args.kills:
            raise CrashTestFailure(f"only {kills} kills before the plan completed; lengthen --window-seconds")

        # Resume without killing until the plan completes.
        while not done:
            if time.monotonic() > deadline:
                raise CrashTestFailure(f"timed out after {args.timeout} s resuming")
            resumes += 1
            result = cli.run(*apply_arguments(cli, plan_path, fingerprint), timeout=max(1, deadline - time.monotonic()))
            exit_codes[result.returncode] = exit_codes.get(result.returncode, 0) + 1
            if result.returncode == EXIT_DONE:
                done = True
            elif result.returncode not in (EXIT_FAILED, EXIT_WAITING):
                raise CrashTestFailure(f"apply --resume exited {result.returncode}:\n{result.stdout}{result.stderr}")

        plan = read_plan(plan_path)
        unfinished = [f"{step['id']}={step['status']}" for step in plan["steps"] if step["status"] not in ("done", "skipped")]
        if unfinished:
            failures.append(f"the plan file is not complete: {unfinished}")
        for _ in range(10):
            stores = cli.run("list-key-stores", "--output", "json")
            if stores.returncode != EXIT_FAILED:
                break
        if stores.returncode != 0:
            failures.append(f"list-key-stores exited {stores.returncode}: {stores.stderr}")
        elif any(store.get("CustomKeyStoreId") == STORE_ID for store in json.loads(stores.stdout).get("customKeyStores", [])):
            failures.append(f"store {STORE_ID} still exists")
        counts = check_call_log(kms.calls(), failures)
        final = read_plan(plan_path)
        observe = [step for step in final["steps"] if step["action"] == "observe"]
        if not observe or not (observe[0].get("result") or {}).get("evidence"):
            failures.append("the observation's end has no CloudTrail check recorded")
        guarded = [step["keyId"] for step in final["steps"]
                   if step["action"] == "await-deletion" and (step.get("result") or {}).get("evidence")]
        if not guarded:
            failures.append("no guard check was recorded on any await-deletion step")
        counts["keysGuarded"] = len(guarded)
        counts["LookupEvents"] = sum(1 for call in kms.calls() if call["operation"] == "LookupEvents")
        finished = True
    except CrashTestFailure as failure:
        failures.append(str(failure))
        counts = {}
    finally:
        state = kms.stop()

    if not finished:
        pass  # the failure above says why; the final state says nothing more
    elif state is not None:
        if any(store.get("id") == STORE_ID for store in state.get("stores", [])):
            failures.append(f"kms-local's state still holds store {STORE_ID}")
        left = [key["id"] for key in state.get("keys", []) if key.get("storeId") == STORE_ID or key.get("id") in STORE_KEYS]
        if left:
            failures.append(f"kms-local's state still holds keys of the store: {left}")
    else:
        failures.append("kms-local wrote no state file")

    if failures:
        print(f"crash test: {kills} kills, {resumes} resumes, FAILED (work files kept in {work})", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    if args.verbose:
        print(f"crash test details: {completed_runs} runs finished before their kill, exit codes {exit_codes}, "
              "kills landed: "
              + ", ".join(f"{where} ×{count}" for where, count in sorted(kill_points.items()))
              + "; calls: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    subprocess.run(["rm", "-rf", str(work)], check=False)
    print(f"crash test: {kills} kills, {resumes} resumes, passed")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CRASH_TEST_SEED", "20250101")),
                        help="seeds the kill delays and kms-local's faults")
    parser.add_argument("--kills", type=int, default=30, help="kill at least this many runs")
    parser.add_argument("--max-iterations", type=int, default=400)
    parser.add_argument("--window-seconds", type=float, default=40,
                        help="real seconds that a seven-day deletion window takes")
    parser.add_argument("--pre-pending-seconds", type=float, default=25,
                        help="real seconds until the key pending before the plan is deleted")
    parser.add_argument("--observe-days", type=float, default=0.0002,
                        help="the plan's observation, in real days (0.0002: about 17 s)")
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--latency-ms", type=int, default=10, help="kms-local's delay per answer, so kills land mid-call")
    parser.add_argument("--timeout", type=float, default=300, help="overall limit in seconds")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    args.time_scale = WEEK_SECONDS / args.window_seconds
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
