#!/usr/bin/env python3
"""kms-local throughput: DescribeKey requests per second served to 32 concurrent clients.

Starts the RELEASE kms-local on loopback with 10,000 generated keys, signs one DescribeKey with
botocore's own SigV4 signer (an independent implementation), and replays it with `wrk` (Debian
package `wrk`) over 32 keep-alive connections for a fixed time. A SigV4 signature stays valid for
15 minutes and kms-local, like KMS, does not reject replays, so every replayed request is fully
parsed, verified and answered. Prints one JSON line.

  Benchmarks/kms_local_rps.py [--seconds 10] [--connections 32] [--bin .build/release/kms-local]
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_kms_local(binary, seed_path):
    proc = subprocess.Popen([binary, "--port", "0", "--seed", seed_path], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line or "")
        if match:
            return proc, match.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    sys.exit("kms-local did not start")


def signed_describe_key(endpoint, key_id):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = json.dumps({"KeyId": key_id})
    request = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.DescribeKey"})
    SigV4Auth(Credentials("AKIDKMSLOCAL", "kms-local-secret"), "kms", "us-east-1").add_auth(request)
    return dict(request.headers.items()), body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "kms-local"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} is missing; run 'swift build -c release --product kms-local' first")
    with tempfile.TemporaryDirectory() as tmp:
        seed = os.path.join(tmp, "seed.json")
        with open(seed, "w") as f:
            json.dump({"seedVersion": 1, "generatedKeys": 10000}, f)
        proc, endpoint = start_kms_local(args.bin, seed)
        try:
            headers, body = signed_describe_key(endpoint, "00000000-0000-4000-8000-000000001234")
            script = os.path.join(tmp, "describe.lua")
            with open(script, "w") as f:
                f.write('wrk.method = "POST"\n')
                f.write(f"wrk.body = {json.dumps(body)}\n")
                for name, value in headers.items():
                    f.write(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n")
                f.write("function response(status, headers, body)\n"
                        "  if status ~= 200 then wrk.thread:stop() end\nend\n")
            out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s",
                                  "--latency", "-s", script, endpoint + "/"], capture_output=True, text=True,
                                 timeout=args.seconds + 60).stdout
        finally:
            proc.kill()
            proc.wait()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    print(json.dumps({"benchmark": "kms-local DescribeKey", "connections": args.connections,
                      "seconds": args.seconds, "requestsPerSecond": round(rps),
                      "non2xx": int(non2xx.group(1)) if non2xx else 0,
                      "latencyP50": p50.group(1) if p50 else None, "latencyP99": p99.group(1) if p99 else None}))


if __name__ == "__main__":
    main()
