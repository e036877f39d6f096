#!/usr/bin/env python3
"""Ephemeral-runner simulation: a scheduler starts `decommission apply s3://.../plan.json --resume --wait`
every few seconds in a fresh, empty working folder (nothing shared but moto's S3 and kms-local),
sometimes two at once, and SIGKILLs some at random moments, against kms-local with a time scale
and injected faults. It stops when a runner finishes the plan (exit 0), then checks:

- the store and its keys are deleted, exactly one applied ScheduleKeyDeletion per key, and the
  call ordering rules hold (kms-local's call log and state, the crash test's own checks);
- never two runners changed KMS at the same time: every applied change in kms-local's call log
  is joined by request id to the audit record (which names its runner) and, in call order, each
  runner's changes form one unbroken run;
- every lock refusal (exit 3, apply.lock-held) names the holder (host and pid);
- the audit chain verifies (`status --output json`);
- an expired lease was taken over only after its expiry (the TakeOverExpiredLock records).

Needs boto3 (to create the bucket and read the audit objects) and moto_server: KMS_MOTO_ENDPOINT
when set (CI), else `moto_server` started here. Prints `ephemeral runners: N runs, K kills,
T takeovers, passed` and exits 0, or prints the failures and exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "crash"))
import crash_test  # noqa: E402  (the crash test's kms-local, seed and call-log rules: one copy)

import boto3  # noqa: E402

BUCKET = f"ephemeral-runners-{os.getpid()}-{int(time.time())}"
PLAN_KEY = "prod/plan.json"
EXIT_DONE, EXIT_FAILED, EXIT_NEEDS_PERSON, EXIT_WAITING = 0, 1, 3, 75
MUTATING = set(crash_test.MUTATING_OPERATIONS)


class Failure(Exception):
    """A check failed; the message says which."""


def start_moto() -> tuple[str, subprocess.Popen | None]:
    endpoint = os.environ.get("KMS_MOTO_ENDPOINT")
    if endpoint:
        return endpoint, None
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    moto = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint + "/", timeout=1)
            return endpoint, process
        except OSError:
            time.sleep(0.1)
    raise Failure("moto_server did not start")


class Runner:
    """One ephemeral runner: its own empty folder and runner id; stdout+stderr kept."""

    def __init__(self, binary: str, kms: str, s3: str, number: int, args: list[str]):
        self.number = number
        self.name = f"runner-{number}"
        self.folder = Path(tempfile.mkdtemp(prefix=f"decommission-{self.name}-"))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.folder), "NO_COLOR": "1",
            "AWS_ACCESS_KEY_ID": "AKIDKMSLOCAL", "AWS_SECRET_ACCESS_KEY": "kms-local-secret",
            "AWS_CONFIG_FILE": str(self.folder / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(self.folder / "none"),
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_S3": s3, "DECOMMISSION_RUNNER": self.name,
        }
        self.output = self.folder.with_suffix(".out")
        with open(self.output, "wb") as out:
            self.process = subprocess.Popen(
                [binary, *args, "--endpoint-url", kms, "--region", crash_test.REGION, "--no-color"],
                env=env, cwd=self.folder, stdout=out, stderr=subprocess.STDOUT)
        self.started = time.monotonic()
        self.kill_at: float | None = None
        self.kill_decided = False
        self.lost_lease = False
        self.killed = False
        self.code: int | None = None

    def text(self) -> str:
        return self.output.read_text(errors="replace")


def audit_records(s3) -> list[dict]:
    prefix = PLAN_KEY[: -len(".json")] + ".audit/"
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return [json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()) for key in sorted(keys)]


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_runners(calls: list[dict], records: list[dict], failures: list[str]) -> int:
    """Joins applied changes to audit records by request id; returns the number of takeovers."""
    runner_of = {record.get("requestId"): record.get("runner") for record in records if record.get("requestId")}
    sequence = []
    for call in sorted(calls, key=lambda call: call["seq"]):
        if call["operation"] in MUTATING and call["outcome"] == "ok":
            runner = runner_of.get(call["requestId"])
            if runner is None:
                failures.append(f"applied {call['operation']} #{call['seq']} has no audit record naming its runner")
            else:
                sequence.append((call["seq"], runner))
    finished: set[str] = set()
    previous = None
    for seq, runner in sequence:
        if runner != previous:
            if runner in finished:
                failures.append(f"{runner} changed KMS again at call #{seq} after another runner had (two runners at once)")
            if previous is not None:
                finished.add(previous)
            previous = runner
    takeovers = [record for record in records if record["operation"] == "TakeOverExpiredLock"]
    for record in takeovers:
        match = re.search(r"expired at (\S+); taken over at (\S+)$", record.get("detail", ""))
        if not match:
            failures.append(f"takeover record {record['seq']} does not say when the lease expired: {record.get('detail')}")
        elif parse_time(match.group(2)) <= parse_time(match.group(1)):
            failures.append(f"lease taken over before its expiry: {record['detail']}")
    return len(takeovers)


def run(args: argparse.Namespace) -> int:
    kms_local_bin = os.environ.get("KMS_LOCAL_BIN", str(REPO / ".build/debug/kms-local"))
    binary = os.environ.get("DECOMMISSION_BIN", str(REPO / ".build/debug/decommission"))
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="decommission-runners-"))
    failures: list[str] = []
    runners: list[Runner] = []
    moto_process = None
    kms = crash_test.KMSLocal(kms_local_bin, work, args, datetime.now(timezone.utc))
    takeovers = 0
    try:
        s3_endpoint, moto_process = start_moto()
        s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        s3.create_bucket(Bucket=BUCKET)
        location = f"s3://{BUCKET}/{PLAN_KEY}"
        cli = crash_test.Decommission(binary, kms.endpoint, work)
        cli.env["AWS_ENDPOINT_URL_S3"] = s3_endpoint
        for _ in range(10):
            planned = cli.run("plan", "--key-store", crash_test.STORE_ID, "--out", location, "--pending-window-days", "7", "--output", "json")
            if planned.returncode != EXIT_FAILED:
                break
        if planned.returncode != 0:
            raise Failure(f"plan exited {planned.returncode}: {planned.stdout.strip()[-500:]} {planned.stderr.strip()}")
        fingerprint = json.loads(planned.stdout)["fingerprint"]
        # Every runner runs the same command, as a scheduled job would: --approve only counts
        # while the plan has not started (the first runner to get the lock approves it).
        resume = ["apply", location, "--resume", "--wait", "--approve", fingerprint, "--lock-lease", str(args.lease)]
        deadline = time.monotonic() + args.timeout
        next_start = time.monotonic()
        done = False
        number = 0
        while not done:
            now = time.monotonic()
            if now > deadline:
                raise Failure(f"the plan did not complete within {args.timeout} s ({number} runs)")
            if now >= next_start and number < args.max_runs:
                for _ in range(2 if rng.random() < args.pair_rate else 1):
                    number += 1
                    runners.append(Runner(binary, kms.endpoint, s3_endpoint, number, resume))
                next_start = now + rng.uniform(args.interval / 2, args.interval * 1.5)
            for runner in runners:
                if runner.code is not None:
                    continue
                # A runner still alive after its first half second holds the lock (a refused one
                # has exited): until enough kills landed, most of them die at a random moment.
                if not runner.kill_decided and now - runner.started > 0.5:
                    runner.kill_decided = True
                    if sum(r.killed for r in runners) < args.kills and rng.random() < args.kill_rate:
                        runner.kill_at = now + rng.uniform(0, args.interval * 2)
                if runner.kill_at is not None and now >= runner.kill_at and runner.process.poll() is None:
                    runner.process.send_signal(signal.SIGKILL)
                    runner.killed = True
                code = runner.process.poll()
                if code is None:
                    continue
                runner.code = code
                if code == EXIT_DONE:
                    done = True
                elif code == EXIT_NEEDS_PERSON:
                    text = runner.text()
                    if "(checkpoint.changed-elsewhere)" in text:
                        # A holder too slow to renew lost its lease to a takeover and stopped: the designed safe stop.
                        runner.lost_lease = True
                    elif "(apply.lock-held)" not in text:
                        failures.append(f"{runner.name} exited 3 without a lock refusal: {text.strip()[-500:]}")
                    elif not re.search(r"(locked by|lost to) host \S+, pid \d+", text):
                        failures.append(f"{runner.name}'s lock refusal does not name the holder: {text.strip()[-500:]}")
                elif code not in (EXIT_FAILED, EXIT_WAITING, -signal.SIGKILL):
                    failures.append(f"{runner.name} exited {code}: {runner.text().strip()[-800:]}")
            time.sleep(0.05)
        for runner in runners:
            if runner.process.poll() is None:
                runner.process.send_signal(signal.SIGKILL)
                runner.process.wait()
        status = cli.run("status", location, "--output", "json")
        if status.returncode != 0:
            failures.append(f"status exited {status.returncode}: {status.stderr.strip()}")
        else:
            result = json.loads(status.stdout)
            if not result["auditChainIntact"]:
                failures.append("the audit chain does not verify")
            unfinished = [step["id"] for step in result["steps"] if step["status"] not in ("done", "skipped")]
            if unfinished:
                failures.append(f"steps not finished: {unfinished}")
        calls = kms.calls()
        counts = crash_test.check_call_log(calls, failures)
        takeovers = check_runners(calls, audit_records(s3), failures)
        if args.min_takeovers and takeovers < args.min_takeovers:
            failures.append(f"only {takeovers} expired-lease takeovers; the kills should have left some")
    except Failure as failure:
        failures.append(str(failure))
        counts = {}
    finally:
        state = kms.stop()
        if moto_process is not None:
            moto_process.terminate()
            moto_process.wait()
    if state is not None and any(store.get("id") == crash_test.STORE_ID for store in state.get("stores", [])):
        failures.append("kms-local's state still holds the store")
    kills = sum(runner.killed for runner in runners)
    refused = sum(runner.code == EXIT_NEEDS_PERSON and not runner.lost_lease for runner in runners)
    lost = sum(runner.lost_lease for runner in runners)
    summary = f"{len(runners)} runs, {kills} kills, {refused} lock refusals, {takeovers} takeovers"
    if lost:
        summary += f", {lost} stopped after losing the lease"
    if failures:
        print(f"ephemeral runners: {summary}, FAILED (files in {work})", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    if args.verbose:
        print("ephemeral runners details: exit codes "
              + str(sorted((r.name, r.code) for r in runners)) + "; calls: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for runner in runners:
        subprocess.run(["rm", "-rf", str(runner.folder), str(runner.output)], check=False)
    subprocess.run(["rm", "-rf", str(work)], check=False)
    print(f"ephemeral runners: {summary}, passed")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("RUNNER_TEST_SEED", "20261201")))
    parser.add_argument("--interval", type=float, default=2.0, help="mean seconds between runner starts")
    parser.add_argument("--pair-rate", type=float, default=0.3, help="chance that two runners start at once")
    parser.add_argument("--kill-rate", type=float, default=0.9, help="chance that a runner holding the lock is SIGKILLed")
    parser.add_argument("--lease", type=int, default=5, help="--lock-lease seconds")
    parser.add_argument("--max-runs", type=int, default=80)
    parser.add_argument("--kills", type=int, default=6, help="stop killing after this many kills, so the plan completes")
    parser.add_argument("--min-takeovers", type=int, default=1)
    parser.add_argument("--window-seconds", type=float, default=30, help="real seconds a seven-day window takes")
    parser.add_argument("--pre-pending-seconds", type=float, default=12)
    parser.add_argument("--fault-rate", type=float, default=0.03)
    parser.add_argument("--latency-ms", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=150, help="overall limit in seconds")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    args.time_scale = crash_test.WEEK_SECONDS / args.window_seconds
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
