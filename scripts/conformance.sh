#!/usr/bin/env bash
# Checks the sandbox against Intercom's OpenAPI description (openapi/, vendored) with the
# conformance harness in conformance/ (Prism, pinned by package-lock.json), and drives it with
# two of Intercom's official SDKs. In order:
#   1. conformance/selftest: a deliberately wrong server must give the expected, named
#      findings (so the check is known to be able to fail);
#   2. starts `intercom-iac sandbox serve`, runs tests/conformance.rs through conformance/run
#      --strict for 2.16 and for Preview; then, on a second sandbox serving a restricted
#      workspace (--deny-scope office_hours --deny-scope macros --restrict team-membership
#      --refuse-options-form), its refusal scenario
#      for Preview;
#   3. intercom-iac's own apply + plan + audit traffic through conformance/run --strict (2.16);
#   4. Intercom's Node SDK reads back what that apply wrote (node_sdk.js --read-back: the
#      ticket types of the plan saved before it; tests/sdk/node_sdk_help_center.js: the help
#      center; tests/sdk/node_sdk_knowledge.js: the internal articles, and the content snippets
#      over plain HTTP), then Intercom's Python SDK (tests/sdk/python_sdk.py, python-intercom);
#   5. Intercom's Node SDK (tests/sdk/node_sdk.js, intercom-client): once as shipped
#      (Intercom-Version 2.14), once with 2.16 through conformance/run --strict.
# Fails on any harness finding (ERROR) not listed in tests/conformance-exemptions.md.
#
# env: CARGO (cargo command, default cargo; may be several words, e.g. "flock LOCK cargo"),
#      PYTHON (interpreter with python-intercom, default python3), SKIP_SDK=1 (skip both SDK
#      steps), SKIP_SELFTEST=1 (skip step 1), CONFORMANCE_OUT=DIR (keep the harness logs of
#      each run in DIR/NAME; without it they are kept only if this script fails), PRISM_BIN
#      (another Prism), CONFORMANCE_PYTHON (interpreter for make-strict-spec)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
RUN=conformance/run
failed=0
read -ra cargo <<<"${CARGO:-cargo}"
PYTHON=${PYTHON:-python3}
TOKEN=conformance-token
EXEMPTIONS=tests/conformance-exemptions.md

die() { failed=1; echo "conformance.sh: $*" >&2; exit 1; }

[ -x "$RUN" ] || die "$RUN is missing"
command -v node >/dev/null || die "node (>= 18.20.1) and npm are required"

# Node packages (Prism, intercom-client): npm ci from package-lock.json into a cache folder.
node_modules=$(scripts/node-modules) || die "installing the Node packages failed"

if [ "${SKIP_SELFTEST:-}" != 1 ]; then
  echo "conformance.sh: self-test of the check (conformance/selftest)" >&2
  if ! conformance/selftest/run-selftests.sh; then
    echo "conformance.sh: FAILED: the conformance check's self-test" >&2
    failed=1
  fi
fi

echo "conformance.sh: building" >&2
"${cargo[@]}" build --quiet --bins --examples || die "cargo build failed"
"${cargo[@]}" test --quiet --no-run --test conformance || die "building tests/conformance.rs failed"

# The CLI's `sandbox serve` once it exists; until then the example stand-in.
bin=target/debug/intercom-iac
if ! "$bin" sandbox serve --help 2>&1 | grep -q -- '--addr'; then
  bin=target/debug/examples/sandbox_serve
  [ -x "$bin" ] || die "neither 'intercom-iac sandbox serve' nor $bin is available"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-conformance.XXXXXX")
sandbox_pid=
refused_pid=
# shellcheck disable=SC2329  # (run by the EXIT trap)
cleanup() {
  for pid in "$sandbox_pid" "$refused_pid"; do
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  if [ "$failed" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "conformance.sh: logs kept in $work (sandbox.err, report-*.txt, harness-*/)" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$bin" = target/debug/intercom-iac ]; then
  "$bin" sandbox serve --addr 127.0.0.1:0 --token "$TOKEN" >"$work/sandbox.out" 2>"$work/sandbox.err" &
else
  "$bin" --addr 127.0.0.1:0 --token "$TOKEN" >"$work/sandbox.out" 2>"$work/sandbox.err" &
fi
sandbox_pid=$!
# listening OUT PID: the URL from the `listening on` line the server PID writes to OUT (empty
# if it stops first or takes longer than 30 s).
listening() {
  local line
  for _ in $(seq 300); do
    line=$(head -n 1 "$1" 2>/dev/null)
    case $line in "listening on "*) echo "${line#listening on }"; return ;; esac
    kill -0 "$2" 2>/dev/null || return
    sleep 0.1
  done
}
url=$(listening "$work/sandbox.out" "$sandbox_pid")
[ -n "$url" ] || { cat "$work/sandbox.err" >&2; die "the sandbox did not start"; }
echo "conformance.sh: sandbox at $url ($bin)" >&2
# The harness's logs (exchanges.jsonl, prism.log) for the run NAME.
logs() { echo "${CONFORMANCE_OUT:-$work}/harness-$1"; }
reset() { curl -fsS -X POST "$url/_sandbox/reset" >/dev/null || die "cannot reset the sandbox"; }

# Exempted findings: the first `…` of each table row in the exemptions file, as extended regexes.
patterns=$work/patterns
# shellcheck disable=SC2016  # (backquotes in a sed expression, not a command substitution)
grep -E '^\| `' "$EXEMPTIONS" | sed -E 's/^\| `([^`]*)`.*/\1/' >"$patterns"

# judge NAME RC: the verdict on the harness report $work/report-NAME.txt (harness exit RC).
# Fails if the command under the harness failed, or on an ERROR line no exemption matches.
judge() {
  local name=$1 rc=$2 report=$work/report-$1.txt total left
  if grep -q 'conformance: command failed' "$report"; then
    echo "conformance.sh: FAILED: $name: the command under the harness failed" >&2
    failed=1
    return
  fi
  grep -E '^[[:space:]]*ERROR[[:space:]]' "$report" >"$work/errors-$name.txt"
  if [ -s "$patterns" ]; then
    grep -v -E -f "$patterns" "$work/errors-$name.txt" >"$work/left-$name.txt"
  else
    cp "$work/errors-$name.txt" "$work/left-$name.txt"
  fi
  total=$(wc -l <"$work/errors-$name.txt")
  left=$(wc -l <"$work/left-$name.txt")
  echo "conformance.sh: $name: $total error line(s), $((total - left)) exempted, $left left (harness exit $rc)" >&2
  if [ "$left" -gt 0 ]; then
    echo "conformance.sh: FAILED: $name: findings not in $EXEMPTIONS:" >&2
    cat "$work/left-$name.txt" >&2
    failed=1
  elif [ "$rc" -ne 0 ] && [ "$total" -eq 0 ]; then
    echo "conformance.sh: FAILED: $name: the harness exited $rc" >&2
    failed=1
  fi
}

for spec in 2.16 preview; do
  echo "conformance.sh: tests/conformance.rs, --spec $spec --strict" >&2
  CONFORMANCE_OUT=$(logs "$spec") "$RUN" --strict --spec "$spec" "$url" -- \
    env SANDBOX_URL="$url" INTERCOM_TOKEN="$TOKEN" CONFORMANCE_SPEC="$spec" \
    "${cargo[@]}" test --quiet --test conformance 2>&1 | tee "$work/report-$spec.txt"
  judge "$spec" "${PIPESTATUS[0]}"
done

# A restricted workspace's refusals: a second sandbox with the flags that make it say no.
if [ "$bin" = target/debug/intercom-iac ]; then
  echo "conformance.sh: refusals of a restricted workspace, --spec preview --strict" >&2
  "$bin" sandbox serve --addr 127.0.0.1:0 --token "$TOKEN" --deny-scope office_hours \
    --deny-scope macros --restrict team-membership --refuse-options-form \
    >"$work/refused.out" 2>"$work/refused.err" &
  refused_pid=$!
  refused_url=$(listening "$work/refused.out" "$refused_pid")
  [ -n "$refused_url" ] || { cat "$work/refused.err" >&2; die "the restricted sandbox did not start"; }
  CONFORMANCE_OUT=$(logs refusals) "$RUN" --strict --spec preview "$refused_url" -- \
    env INTERCOM_TOKEN="$TOKEN" CONFORMANCE_SPEC=refusals \
    "${cargo[@]}" test --quiet --test conformance 2>&1 | tee "$work/report-refusals.txt"
  judge refusals "${PIPESTATUS[0]}"
fi

# intercom-iac's own client: apply the example configuration and plan again, through the proxy;
# the second plan has no changes (its one manual step, identity verification, cannot be applied).
echo "conformance.sh: intercom-iac apply + plan + audit through the harness (--spec 2.16 --strict)" >&2
reset
# What apply is about to write, for the Node SDK's read-back below.
INTERCOM_ACCESS_TOKEN=$TOKEN target/debug/intercom-iac plan -q --endpoint "$url" -c examples/acme --env staging \
  --format json >"$work/acme-plan.json" || die "planning examples/acme failed"
# shellcheck disable=SC2016  # ($INTERCOM_ENDPOINT is set by the harness, for the inner shell)
CONFORMANCE_OUT=$(logs cli) "$RUN" --strict --spec 2.16 "$url" -- env INTERCOM_ACCESS_TOKEN="$TOKEN" bash -c '
  target/debug/intercom-iac apply -q --endpoint "$INTERCOM_ENDPOINT" -c examples/acme --env staging --auto-approve >/dev/null &&
  target/debug/intercom-iac plan -q --endpoint "$INTERCOM_ENDPOINT" -c examples/acme --env staging --format json |
    python3 -c "import json, sys; sys.exit(1 if json.load(sys.stdin)[\"changes\"] else 0)" &&
  { target/debug/intercom-iac audit -q --endpoint "$INTERCOM_ENDPOINT" -c examples/acme --env staging \
      --fail-on workspace-settings >/dev/null; test $? -eq 2; }' \
  2>&1 | tee "$work/report-cli.txt"
rc=${PIPESTATUS[0]}
if grep -q 'conformance: command failed' "$work/report-cli.txt" || [ "$rc" -ne 0 ]; then
  echo "conformance.sh: FAILED: intercom-iac's own traffic (harness exit $rc)" >&2
  failed=1
fi

# What that apply wrote to the help center, read back with Intercom's Node SDK and compared
# with the example's help_center/ folder (titles, states, nesting, bodies).
if [ "${SKIP_SDK:-}" != 1 ]; then
  echo "conformance.sh: Intercom's Node SDK reads back the example's help center" >&2
  if ! NODE_PATH=$node_modules node tests/sdk/node_sdk_help_center.js "$url" "$TOKEN" examples/acme; then
    echo "conformance.sh: FAILED: the Node SDK read-back of the applied help center" >&2
    failed=1
  fi
  # Internal articles with the Node SDK; content snippets, which it lacks, over plain HTTP.
  echo "conformance.sh: Intercom's Node SDK reads back the example's internal articles (snippets over HTTP)" >&2
  if ! NODE_PATH=$node_modules node tests/sdk/node_sdk_knowledge.js "$url" "$TOKEN" examples/acme \
    "ISSUE_TRACKER=Linear (staging project)"; then
    echo "conformance.sh: FAILED: the read-back of the applied internal articles and snippets" >&2
    failed=1
  fi
fi

if [ "${SKIP_SDK:-}" != 1 ]; then
  export NODE_PATH=$node_modules
  # Before any reset: the sandbox still holds what the CLI step's apply wrote.
  echo "conformance.sh: Intercom's Node SDK reads back what intercom-iac apply wrote (ticket types)" >&2
  if ! node tests/sdk/node_sdk.js "$url" "$TOKEN" --version 2.16 --read-back "$work/acme-plan.json"; then
    echo "conformance.sh: FAILED: the Node SDK read-back of intercom-iac's apply" >&2
    failed=1
  fi
  echo "conformance.sh: Intercom's Python SDK against the sandbox ($PYTHON)" >&2
  reset
  if ! "$PYTHON" tests/sdk/python_sdk.py "$url" "$TOKEN"; then
    echo "conformance.sh: FAILED: the Python SDK check" >&2
    failed=1
  fi

  echo "conformance.sh: Intercom's Node SDK against the sandbox, as shipped (Intercom-Version 2.14)" >&2
  reset
  if ! node tests/sdk/node_sdk.js "$url" "$TOKEN"; then
    echo "conformance.sh: FAILED: the Node SDK check, as shipped" >&2
    failed=1
  fi
  echo "conformance.sh: Intercom's Node SDK with Intercom-Version 2.16, through the harness (--spec 2.16 --strict)" >&2
  reset
  # shellcheck disable=SC2016  # ($INTERCOM_ENDPOINT is set by the harness, for the inner shell)
  CONFORMANCE_OUT=$(logs node-sdk) "$RUN" --strict --spec 2.16 "$url" -- \
    bash -c 'node tests/sdk/node_sdk.js "$INTERCOM_ENDPOINT" "$1" --version 2.16 --sandbox "$2"' _ "$TOKEN" "$url" \
    2>&1 | tee "$work/report-node-sdk.txt"
  judge node-sdk "${PIPESTATUS[0]}"
fi

[ "$failed" -eq 0 ] || exit 1
echo "conformance.sh: OK${CONFORMANCE_OUT:+ (harness logs in $CONFORMANCE_OUT)}" >&2
