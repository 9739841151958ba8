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
7. Latency-bound runs (issue 14; latency 250 ms, no binding rate limit): the median of 5 runs of
   plan on `--seed large` and of an apply of 300 tags, 30 attributes and 30 audiences at
   `--concurrency 32`, each beside its limit computed from that run's own counts: round trips
   on the critical path of its reads (GET /me; every list's first page and every schedule's
   first exceptions page; the rest of a page-number list at once, a cursor list one page after
   another) plus, for apply, ceil(writes in a dependency level / concurrency) per level.

`--only SECTION[,SECTION]` runs some sections (plan, throughput, versus, core, events,
reliability, latency) and prints them without writing bench/RESULTS.md.
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
    listed = ["tags", "teams", "segments", "audiences", "office_hours", "conversation_attributes", "brands",
              "macros", "subscription_types", "away_status_reasons", "ticket_types"]
    kinds = sum(1 for k in listed if k in scope_cfg)
    if "ip_allowlist" in (scope_cfg.get("workspace") or {}):
        kinds += 1  # GET /ip_allowlist
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



LATENCY_MS = 250
LATENCY_RUNS = 5
# Lists that state `total_pages` on their first page: their other pages are read at once.
PAGE_NUMBER_LISTS = {"/audiences"}
# Kinds whose creates share one section (and its cap) with another kind's archives.
SECTION = {"contact_attribute": "data_attributes", "company_attribute": "data_attributes"}


def read_rounds(timeline):
    """Round trips on the critical path of a run's reads, from the sandbox's timeline: GET /me,
    then the longest chain of one list: a page-number list costs 1 round trip for its first page
    and 1 for all the others, a cursor list 1 per page, a schedule's exceptions come after the
    schedules list. Returns (round trips, GET calls per list)."""
    per_path = {}
    for call in timeline:
        if call["operation"].startswith("GET "):
            # One list is one path and query, whatever page of it was asked for.
            query = "&".join(kv for kv in call["query"].split("&")
                             if kv and kv.split("=", 1)[0] not in ("page", "per_page", "starting_after"))
            key = call["path"] + ("?" + query if query else "")
            per_path[key] = per_path.get(key, 0) + 1
    def rounds(path, pages):
        if path in PAGE_NUMBER_LISTS:
            return 1 if pages == 1 else 2
        return pages
    schedules = rounds("/office_hours_schedules", per_path.get("/office_hours_schedules", 0))
    longest = 0
    for path, pages in per_path.items():
        if path == "/me":
            continue
        r = rounds(path, pages)
        if path.startswith("/office_hours_schedules/") and path.endswith("/office_hours_exceptions"):
            r += schedules
        longest = max(longest, r)
    return per_path.get("/me", 0) + longest, per_path


def write_levels(plan):
    """Write calls per dependency level of a plan (its JSON), by apply's rules: a kind's renames
    before its other changes, archives before creates in their section, a new schedule before
    its exceptions, a change's other operations one after another."""
    changes = plan["changes"]
    kind = lambda c: c["address"].split("[", 1)[0]
    section = lambda k: SECTION.get(k, k)
    depth = {}
    def change_level(i):
        if i in depth:
            return depth[i]
        c = changes[i]
        before = 0
        for j, e in enumerate(changes):
            if j == i:
                continue
            if e["phase"] == "rename" and c["phase"] != "rename" and kind(e) == kind(c):
                before = max(before, change_level(j) + last_op_level(j))
            elif e["phase"] == "free" and c["action"] == "create" and section(kind(e)) == section(kind(c)):
                before = max(before, change_level(j) + last_op_level(j))
        depth[i] = before
        return before
    def op_levels(i):
        ops = changes[i]["ops"]
        levels = []
        for n, op in enumerate(ops):
            if n == 0:
                levels.append(1)
            elif op["op"].endswith("office_hours_exception"):
                levels.append(2 if ops[0]["op"] == "create_office_hours" else 1)
            else:
                levels.append(levels[-1] + 1)
        return levels
    def last_op_level(i):
        return max(op_levels(i), default=0)
    per_level = {}
    for i in range(len(changes)):
        base = change_level(i)
        for level in op_levels(i):
            per_level[base + level] = per_level.get(base + level, 0) + 1
    return [per_level[k] for k in sorted(per_level)]


def latency_config(live_cfg):
    """The exported large workspace plus 300 tags, 30 contact attributes and 30 audiences."""
    cfg = yaml.safe_load(yaml.safe_dump(live_cfg))
    cfg["tags"] = cfg.get("tags", []) + [{"name": f"latency-tag-{i}"} for i in range(300)]
    contact = cfg["data_attributes"]["contact"]
    contact += [{"name": f"latency_attr_{i}", "type": "string", "description": "bench"} for i in range(30)]
    cfg["audiences"] = cfg.get("audiences", []) + [
        {"name": f"latency-audience-{i}", "predicates": [], "role_predicates": []} for i in range(30)]
    return cfg


def bench_latency(work):
    log(f"7/7 latency bound: plan and apply at {LATENCY_MS} ms latency, median of {LATENCY_RUNS}")
    L = LATENCY_MS / 1000.0
    conc = 32
    sb = Sandbox("--seed", "large", "--latency-ms", str(LATENCY_MS))
    try:
        live_cfg = export_config(sb, work)
        plan_path = os.path.join(work, "latency-plan.yaml")
        write_config(live_cfg, plan_path)
        plan_runs = []
        for _ in range(LATENCY_RUNS):
            sb.reset()
            code, _, err, wall, _ = cli(sb, "plan", "-q", "-c", plan_path, "--detailed-exitcode")
            if code != 0:
                raise SystemExit(f"bench: plan of the exported workspace did not come back empty ({code}): {err[-2000:]}")
            rounds, per_path = read_rounds(sb.stats()["timeline"])
            plan_runs.append((wall, rounds * L, rounds, per_path))
        cfg = latency_config(live_cfg)
        apply_path = os.path.join(work, "latency-apply.yaml")
        write_config(cfg, apply_path)
        sb.reset()
        levels = write_levels(plan_json(sb, apply_path))
        apply_runs = []
        for _ in range(LATENCY_RUNS):
            sb.reset()
            code, _, err, wall, _ = cli(sb, "apply", "-q", "-c", apply_path, "--auto-approve", "--concurrency", str(conc))
            if code != 0:
                raise SystemExit(f"bench: latency apply failed: {err[-2000:]}")
            stats = sb.stats()
            rounds, per_path = read_rounds(stats["timeline"])
            write_rounds = sum(math.ceil(n / conc) for n in levels)
            apply_runs.append((wall, (rounds + write_rounds) * L, rounds, write_rounds, writes(stats)))
    finally:
        sb.stop()
    plan_runs.sort(key=lambda r: r[0])
    apply_runs.sort(key=lambda r: r[0])
    p_wall, p_limit, p_rounds, p_pages = plan_runs[len(plan_runs) // 2]
    a_wall, a_limit, a_reads, a_writes, a_calls = apply_runs[len(apply_runs) // 2]
    multi = ", ".join(f"{path} {n}" for path, n in sorted(p_pages.items()) if n > 1) or "none"
    exceptions = sum(1 for path in p_pages if path.endswith("/office_hours_exceptions"))
    return {
        "latency ms": LATENCY_MS,
        "plan runs s": " ".join(f"{r[0]:.3f}" for r in plan_runs),
        "plan median s": p_wall,
        "plan GET calls": sum(p_pages.values()),
        "plan lists of more than one page": multi,
        "plan exceptions lists": exceptions,
        "plan read round trips": p_rounds,
        "plan limit s": p_limit,
        "plan ratio": p_wall / p_limit,
        "apply runs s": " ".join(f"{r[0]:.3f}" for r in apply_runs),
        "apply median s": a_wall,
        "apply write calls": a_calls,
        "apply writes per dependency level": " ".join(str(n) for n in levels),
        "apply concurrency": conc,
        "apply read round trips": a_reads,
        "apply write round trips": a_writes,
        "apply limit s": a_limit,
        "apply ratio": a_wall / a_limit,
    }


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


SECTIONS = ["plan", "throughput", "versus", "core", "events", "reliability", "latency"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versus-changes", type=int, default=300)
    ap.add_argument("--skip-sdk", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--skip-reliability", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated sections: " + ", ".join(SECTIONS))
    a = ap.parse_args()
    only = [x.strip() for x in a.only.split(",") if x.strip()]
    unknown = [x for x in only if x not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s) {', '.join(unknown)}; use: {', '.join(SECTIONS)}")
    wanted = lambda name: (name in only) if only else not (name == "reliability" and a.skip_reliability)
    if not a.no_build:
        log("building release binaries")
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "intercom-iac", "--example", "bench_core"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="intercom-iac-bench.")
    sections = []
    try:
        if wanted("plan"):
            p = bench_plan_cost(work)
            sections.append(("1. Plan cost (`--seed large`, latency 50 ms)", p, "target ratio 1.00"))
        if wanted("throughput"):
            t = bench_apply_throughput(work)
            sections.append(("2. Apply throughput (`--rate-limit 100` per 1 s window, latency 50 ms)", t, "targets: share of budget ≥ 0.90, 0 failed"))
        if wanted("versus"):
            v = bench_versus(work, a.versus_changes, a.skip_sdk)
            sections.append(("3. Versus a sequential SDK script (latency 250 ms)", v, "target speed-up ≥ 10× over the SDK script"))
        if wanted("core"):
            c = bench_core()
            sections.append(("4. CPU of the core (release build)", c, "targets: plan < 1 s and < 150 MB; validate < 100 ms"))
        if wanted("events"):
            e = bench_events()
            if e:
                sections.append(("5. Events (`bench/events.sh`)", e, None))
        if wanted("reliability"):
            r = bench_reliability()
            sections.append(("6. Reliability suite, large variants", r, "target: exit 0"))
        if wanted("latency"):
            lat = bench_latency(work)
            sections.append(("7. Latency bound (latency 250 ms, no binding rate limit; median of 5 runs)", lat,
                             "targets: plan ratio ≤ 1.2 and apply ratio ≤ 1.2 (limit = round trips on the critical path × latency)"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = "python3 bench/run.py" + ("" if not sys.argv[1:] else " " + " ".join(sys.argv[1:]))
    lines = [f"# Benchmark results\n", f"Machine: {machine()}  ", f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  ",
             f"Command: `{command}`\n"]
    for title, data, target in sections:
        if isinstance(data, str):
            lines.append(f"## {title}\n\n```text\n{data}\n```\n")
            continue
        lines.append(f"## {title}\n\n{target}\n\n| measure | value |\n|---|---:|")
        for k, val in data.items():
            lines.append(f"| {k} | {fmt(val)} |")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if only:
        log("--only: bench/RESULTS.md left as it was")
        return
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
