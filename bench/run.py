#!/usr/bin/env python3
"""intercom-iac benchmarks (issue 8). Never part of the test suite.

Runs everything against `intercom-iac sandbox serve` on 127.0.0.1 and prints one table; each
figure is measured in this run. Writes the table to bench/RESULTS.md with the machine it ran on.

  python3 bench/run.py [--quick] [--versus-changes N] [--skip-sdk]

1. Plan cost on `--seed large` (latency 50 ms): API calls versus the minimum, wall time, peak RSS.
2. Apply throughput: 2,000 changes under `--rate-limit 100` (per 1 s window, i.e. 100 req/s):
   achieved request rate as a share of the budget, 429s that surfaced as failures, write calls
   observed versus the plan's operations.
3. Versus what users do today (latency 250 ms, no rate limit): a sequential script on Intercom's
   official Python SDK, `apply --concurrency 1`, and `apply --concurrency 32`.
4. CPU of the core: plan (diff + render) of 20,000 objects, validate of a 5,000-line config.
5. Events: `bench/events.sh` when present.
6. The reliability suite's large variants (`INTERCOM_IAC_RELIABILITY_LARGE=1`), unless
   `--skip-reliability`.
"""

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "intercom-iac")
CORE = os.path.join(ROOT, "target", "release", "examples", "bench_core")
TOKEN = "bench-token"

try:
    import yaml
except ImportError:
    sys.exit("bench: PyYAML is needed (pip install pyyaml)")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run_measured(args, env=None, cwd=None, stdin=None):
    """Runs a command; returns (exit code, stdout, stderr, wall seconds, peak RSS in MiB)."""
    start = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                         stdin=subprocess.DEVNULL if stdin is None else stdin)
    out, err = b"", b""
    # communicate() would reap the child; read the pipes, then wait4 for its rusage.
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    return p.returncode, out.decode(), err.decode(), wall, usage.ru_maxrss / 1024.0


class Sandbox:
    """`intercom-iac sandbox serve` on a free loopback port."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([BIN, "sandbox", "serve", "--addr", "127.0.0.1:0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"bench: the sandbox did not start: {line!r}")
        self.url = line[len("listening on "):]

    def stats(self):
        with urllib.request.urlopen(f"{self.url}/_sandbox/stats") as r:
            return json.load(r)

    def reset(self):
        req = urllib.request.Request(f"{self.url}/_sandbox/reset", method="POST")
        urllib.request.urlopen(req).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def env():
    e = dict(os.environ)
    e["INTERCOM_ACCESS_TOKEN"] = TOKEN
    e.pop("RUST_LOG", None)
    return e


def cli(sandbox, *args, cwd=None):
    code, out, err, wall, rss = run_measured([BIN, *args, "--endpoint", sandbox.url], env=env(), cwd=cwd)
    return code, out, err, wall, rss


def writes(stats):
    return sum(n for k, n in stats["calls"].items() if not k.startswith("GET "))


def export_config(sandbox, work):
    code, out, err, _, _ = cli(sandbox, "export", "-q")
    if code != 0:
        raise SystemExit(f"bench: export failed: {err}")
    return yaml.safe_load(out)


def mutate(cfg, scale=1.0):
    """A change mix of about 2,000 * scale changes (mostly tags, audiences and schedules: the
    large seed leaves room for only ~50 attribute creates under Intercom's 250 cap)."""
    n = lambda x: max(1, int(round(x * scale)))
    tags = cfg["tags"]
    keep = [t for t in tags if t["name"] != "VIP"]
    renamed = keep[: n(400)]
    deleted = keep[n(400): n(400) + n(300)]
    for t in renamed:
        t["renamed_from"] = t["name"]
        t["name"] = t["name"] + " (renamed)"
    deleted_names = {t["name"] for t in deleted}
    cfg["tags"] = [t for t in tags if t["name"] not in deleted_names]
    cfg["tags"] += [{"name": f"bench-new-{i}"} for i in range(n(860))]
    auds = cfg.get("audiences", [])
    for a in auds[: n(150)]:
        a["predicates"] = [{"attribute": "company.plan", "type": "string", "comparison": "eq", "value": "bench"}]
    cfg["audiences"] = auds[: len(auds) - n(50)]
    cfg["audiences"] += [{"name": f"bench-audience-{i}", "predicates": [], "role_predicates": []} for i in range(n(100))]
    oh = cfg.get("office_hours", [])
    for s in oh[: n(20)]:
        s["hours"] = {"mon-fri": ["08:00-16:00"]}
    cfg["office_hours"] = oh + [{"name": f"bench-hours-{i}", "time_zone": "Europe/Dublin", "hours": {"mon-fri": ["09:00-17:00"]}} for i in range(n(20))]
    contact = cfg["data_attributes"]["contact"]
    for a in contact[: n(60)]:
        a["description"] = "updated by the benchmark"
    contact += [{"name": f"bench_attr_{i}", "type": "string", "description": "bench"} for i in range(n(40))]
    cfg["prune"] = ["tags", "audiences"]
    # Keep the rest of the workspace out of scope: only the kinds the mix touches.
    for k in ["conversation_attributes", "teams", "segments", "brands"]:
        cfg.pop(k, None)
    return cfg


def write_config(cfg, path):
    with open(path, "w") as f:
        yaml.safe_dump(cfg, f, allow_unicode=True, sort_keys=False)


def plan_json(sandbox, config):
    code, out, err, _, _ = cli(sandbox, "plan", "-q", "-c", config, "--format", "json")
    if code != 0:
        raise SystemExit(f"bench: plan failed: {err}")
    return json.loads(out)


def minimum_reads(scope_cfg, live_cfg):
    """GET /me + one list call per kind in scope (+ pages, + one exceptions list per schedule
    when exceptions are declared): the README's minimum-call formula."""
    kinds = sum(1 for k in ["tags", "teams", "segments", "audiences", "office_hours", "conversation_attributes", "brands"] if k in scope_cfg)
    kinds += 2 if "data_attributes" in scope_cfg else 0  # contact and company lists
    if "teams" in scope_cfg:
        kinds += 1  # admins, to resolve member e-mails
    extra_pages = max(0, math.ceil(len(live_cfg.get("audiences", [])) / 50) - 1) if "audiences" in scope_cfg else 0
    declares_exceptions = any("exceptions" in s for s in scope_cfg.get("office_hours", []))
    exceptions = len(live_cfg.get("office_hours", [])) if declares_exceptions else 0
    return 1 + kinds + extra_pages + exceptions


def bench_plan_cost(work):
    log("1/5 plan cost on --seed large (latency 50 ms)")
    sb = Sandbox("--seed", "large", "--latency-ms", "50", "--rate-limit", "1666")
    try:
        cfg = export_config(sb, work)
        path = os.path.join(work, "large.yaml")
        write_config(cfg, path)
        sb.reset()
        code, out, err, wall, rss = cli(sb, "plan", "-q", "-c", path, "--detailed-exitcode")
        calls = sb.stats()["total_calls"]
        minimum = minimum_reads(cfg, cfg)
        return {
            "plan exit": code, "plan calls": calls, "minimum calls": minimum,
            "ratio": calls / minimum, "wall s": wall, "peak RSS MiB": rss,
        }
    finally:
        sb.stop()


def bench_apply_throughput(work):
    log("2/5 apply throughput: ~2,000 changes under --rate-limit 100 per 1 s window")
    sb = Sandbox("--seed", "large", "--latency-ms", "50", "--rate-limit", "100", "--rate-window-secs", "1")
    try:
        live_cfg = export_config(sb, work)
        cfg = mutate(yaml.safe_load(yaml.safe_dump(live_cfg)))
        path = os.path.join(work, "changes.yaml")
        write_config(cfg, path)
        sb.reset()
        plan = plan_json(sb, path)
        ops = sum(len(c["ops"]) for c in plan["changes"])
        sb.reset()
        before = sb.stats()
        code, out, err, wall, rss = cli(sb, "apply", "-q", "-c", path, "--auto-approve", "--max-delete", "400", "--concurrency", "32")
        after = sb.stats()
        requests = after["total_calls"] - before["total_calls"]
        failed = sum(1 for line in err.splitlines() if ": failed:" in line)
        minimum = minimum_reads(cfg, live_cfg) + ops
        return {
            "changes": len(plan["changes"]), "plan operations": ops, "write calls seen": writes(after),
            "requests": requests, "minimum requests": minimum, "ratio": requests / minimum, "wall s": wall, "achieved req/s": requests / wall,
            "share of budget": requests / wall / 100.0, "429 sent": after["rate_limited"],
            "failed changes": failed, "apply exit": code,
        }
    finally:
        sb.stop()


SDK_SCRIPT = r'''
import json, sys, httpx
from intercom import Intercom, CreateOrUpdateTagRequest, CreateDataAttributeRequestOne
url, token, path = sys.argv[1:4]
ops = json.load(open(path))
client = Intercom(token=token, base_url=url, headers={"Intercom-Version": "2.16"})
http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}", "Intercom-Version": "2.16",
                                         "Accept": "application/json"}, timeout=60)
def call(method, path, body=None):
    r = http.request(method, path, json=body)
    r.raise_for_status()
for op in ops:
    kind = op["op"]
    if kind == "create_tag":
        client.tags.create(request=CreateOrUpdateTagRequest(name=op["name"]))
    elif kind == "rename_tag":
        client.tags.create(request=CreateOrUpdateTagRequest(id=op["id"], name=op["name"]))
    elif kind == "delete_tag":
        client.tags.delete(tag_id=op["id"])
    elif kind == "create_data_attribute":
        client.data_attributes.create(request=CreateDataAttributeRequestOne(
            data_type=op["data_type"], name=op["name"], model=op["model"], description=op.get("description")))
    elif kind == "update_data_attribute":
        body = {k: op[k] for k in ("description", "messenger_writable", "archived") if k in op}
        client.data_attributes.update(data_attribute_id=int(op["id"]), request=body)
    elif kind == "create_audience":
        call("POST", "/audiences", {k: op[k] for k in ("name", "predicates", "role_predicates") if k in op})
    elif kind == "update_audience":
        call("PUT", f"/audiences/{op['id']}", {k: op[k] for k in ("name", "predicates", "role_predicates") if k in op})
    elif kind == "delete_audience":
        call("DELETE", f"/audiences/{op['id']}")
    elif kind == "create_office_hours":
        call("POST", "/office_hours_schedules", {"name": op["name"], "time_zone_name": op["time_zone"],
             "time_intervals": op["intervals"]})
    elif kind == "update_office_hours":
        body = {}
        if "name" in op: body["name"] = op["name"]
        if "time_zone" in op: body["time_zone_name"] = op["time_zone"]
        if "intervals" in op: body["time_intervals"] = op["intervals"]
        call("PUT", f"/office_hours_schedules/{op['id']}", body)
    elif kind == "delete_office_hours":
        call("DELETE", f"/office_hours_schedules/{op['id']}")
    else:
        raise SystemExit(f"sdk script: unsupported op {kind}")
print(len(ops))
'''


def sdk_python():
    venv = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "intercom-iac", "sdk-venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "python-intercom==5.0.1"], check=True)
    return py


def bench_versus(work, changes, skip_sdk):
    log(f"3/5 versus: ~{changes} changes at 250 ms latency, no rate limit")
    sb = Sandbox("--seed", "large", "--latency-ms", "250")
    try:
        cfg = mutate(export_config(sb, work), scale=changes / 2000.0)
        path = os.path.join(work, "versus.yaml")
        write_config(cfg, path)
        sb.reset()
        plan = plan_json(sb, path)
        ops = [op for c in plan["changes"] for op in c["ops"]]
        ops_path = os.path.join(work, "ops.json")
        json.dump(ops, open(ops_path, "w"))
        result = {"changes": len(plan["changes"]), "write calls": len(ops)}
        if not skip_sdk:
            py = sdk_python()
            script = os.path.join(work, "sdk_script.py")
            open(script, "w").write(SDK_SCRIPT)
            sb.reset()
            code, out, err, wall, _ = run_measured([py, script, sb.url, TOKEN, ops_path])
            if code != 0:
                raise SystemExit(f"bench: the SDK script failed: {err[-2000:]}")
            result["python SDK sequential s"] = wall
        for conc in [1, 32]:
            sb.reset()
            code, out, err, wall, _ = cli(sb, "apply", "-q", "-c", path, "--auto-approve", "--force", "--concurrency", str(conc))
            if code != 0:
                raise SystemExit(f"bench: apply --concurrency {conc} failed: {err[-2000:]}")
            result[f"apply --concurrency {conc} s"] = wall
        best = result["apply --concurrency 32 s"]
        if "python SDK sequential s" in result:
            result["speed-up vs SDK script"] = result["python SDK sequential s"] / best
        result["speed-up vs --concurrency 1"] = result["apply --concurrency 1 s"] / best
        return result
    finally:
        sb.stop()


def bench_core():
    log("4/5 CPU of the core")
    res = {}
    for mode in ["plan", "validate"]:
        code, out, err, wall, rss = run_measured([CORE, mode])
        if code != 0:
            raise SystemExit(f"bench: bench_core {mode} failed: {err}")
        data = json.loads(out)
        data[f"{mode} peak RSS MiB"] = rss
        res.update(data)
    return res


def bench_events():
    script = os.path.join(ROOT, "bench", "events.sh")
    if not os.path.exists(script):
        return None
    log("5/5 events (bench/events.sh)")
    code, out, err, _, _ = run_measured(["bash", script], cwd=ROOT)
    return (out + err).strip()


def bench_reliability():
    log("6/6 reliability suite, large variants")
    e = dict(os.environ)
    e["INTERCOM_IAC_RELIABILITY_LARGE"] = "1"
    code, out, err, wall, _ = run_measured(["cargo", "test", "--release", "--locked", "--test", "reliability"], env=e, cwd=ROOT)
    summary = [l for l in (out + err).splitlines() if l.startswith("test result:")]
    return {"exit": code, "result": summary[-1] if summary else "(no result line)", "wall s": wall}


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM"


def fmt(v):
    if isinstance(v, float):
        return f"{v:.3f}" if v < 100 else f"{v:.1f}"
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versus-changes", type=int, default=300)
    ap.add_argument("--skip-sdk", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--skip-reliability", action="store_true")
    a = ap.parse_args()
    if not a.no_build:
        log("building release binaries")
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "intercom-iac", "--example", "bench_core"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="intercom-iac-bench.")
    sections = []
    try:
        p = bench_plan_cost(work)
        sections.append(("1. Plan cost (`--seed large`, latency 50 ms)", p, "target ratio 1.00"))
        t = bench_apply_throughput(work)
        sections.append(("2. Apply throughput (`--rate-limit 100` per 1 s window, latency 50 ms)", t, "targets: share of budget ≥ 0.90, 0 failed"))
        v = bench_versus(work, a.versus_changes, a.skip_sdk)
        sections.append(("3. Versus a sequential SDK script (latency 250 ms)", v, "target speed-up ≥ 10× over the SDK script"))
        c = bench_core()
        sections.append(("4. CPU of the core (release build)", c, "targets: plan < 1 s and < 150 MB; validate < 100 ms"))
        e = bench_events()
        if not a.skip_reliability:
            r = bench_reliability()
            sections.append(("6. Reliability suite, large variants", r, "target: exit 0"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"# Benchmark results\n", f"Machine: {machine()}  ", f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  ",
             "Command: `python3 bench/run.py`\n"]
    for title, data, target in sections:
        lines.append(f"## {title}\n\n{target}\n\n| measure | value |\n|---|---:|")
        for k, val in data.items():
            lines.append(f"| {k} | {fmt(val)} |")
        lines.append("")
    if e:
        lines.append("## 5. Events (`bench/events.sh`)\n\n```text\n" + e + "\n```\n")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
