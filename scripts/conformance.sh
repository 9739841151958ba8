#!/usr/bin/env bash
# Checks the sandbox against Intercom's OpenAPI description: starts `intercom-iac sandbox
# serve`, runs tests/conformance.rs through ../shared/tools/conformance/run (Prism, --strict)
# for 2.16 and for Preview, then drives the sandbox with Intercom's official Python SDK
# (tests/sdk/python_sdk.py). Fails on any finding not listed in tests/conformance-exemptions.md.
#
# env: CARGO (cargo command, default cargo), PYTHON (interpreter with python-intercom,
#      default python3), SKIP_SDK=1 (skip the SDK step), CONFORMANCE_OUT (keep harness logs)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
RUN=../shared/tools/conformance/run
CARGO=${CARGO:-cargo}
PYTHON=${PYTHON:-python3}
TOKEN=conformance-token
EXEMPTIONS=tests/conformance-exemptions.md

die() { echo "conformance.sh: $*" >&2; exit 1; }

[ -x "$RUN" ] || die "$RUN is missing: the conformance harness lives in ../shared/tools/conformance (next to this repository)"

echo "conformance.sh: building" >&2
$CARGO build --quiet --bins --examples || die "cargo build failed"
$CARGO test --quiet --no-run --test conformance || die "building tests/conformance.rs failed"

# The CLI's `sandbox serve` once it exists; until then the example stand-in.
bin=target/debug/intercom-iac
if ! "$bin" sandbox serve --help 2>&1 | grep -q -- '--addr'; then
  bin=target/debug/examples/sandbox_serve
  [ -x "$bin" ] || die "neither 'intercom-iac sandbox serve' nor $bin is available"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-conformance.XXXXXX")
sandbox_pid=
cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill -TERM "$sandbox_pid" 2>/dev/null
    wait "$sandbox_pid" 2>/dev/null
  fi
  rm -rf "$work"
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
url=
for _ in $(seq 300); do
  line=$(head -n 1 "$work/sandbox.out" 2>/dev/null)
  case $line in "listening on "*) url=${line#listening on }; break ;; esac
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/sandbox.err" >&2; die "the sandbox did not start"; }
echo "conformance.sh: sandbox at $url ($bin)" >&2

# Exempted findings: the first `…` of each table row in the exemptions file, as extended regexes.
patterns=$work/patterns
grep -E '^\| `' "$EXEMPTIONS" | sed -E 's/^\| `([^`]*)`.*/\1/' >"$patterns"

failed=0
for spec in 2.16 preview; do
  echo "conformance.sh: --spec $spec --strict" >&2
  "$RUN" --strict --spec "$spec" "$url" -- \
    env SANDBOX_URL="$url" INTERCOM_TOKEN="$TOKEN" CONFORMANCE_SPEC="$spec" \
    $CARGO test --quiet --test conformance 2>&1 | tee "$work/report-$spec.txt"
  rc=${PIPESTATUS[0]}
  if grep -q 'conformance: command failed' "$work/report-$spec.txt"; then
    echo "conformance.sh: FAILED: the scenarios failed under --spec $spec" >&2
    failed=1
    continue
  fi
  grep -E '^[[:space:]]*ERROR[[:space:]]' "$work/report-$spec.txt" >"$work/errors-$spec.txt"
  if [ -s "$patterns" ]; then
    grep -v -E -f "$patterns" "$work/errors-$spec.txt" >"$work/left-$spec.txt"
  else
    cp "$work/errors-$spec.txt" "$work/left-$spec.txt"
  fi
  total=$(wc -l <"$work/errors-$spec.txt")
  left=$(wc -l <"$work/left-$spec.txt")
  echo "conformance.sh: --spec $spec: $total error line(s), $((total - left)) exempted, $left left (harness exit $rc)" >&2
  if [ "$left" -gt 0 ]; then
    echo "conformance.sh: FAILED: findings not in $EXEMPTIONS:" >&2
    cat "$work/left-$spec.txt" >&2
    failed=1
  elif [ "$rc" -ne 0 ] && [ "$total" -eq 0 ]; then
    echo "conformance.sh: FAILED: the harness exited $rc" >&2
    failed=1
  fi
done

# intercom-iac's own client: apply the example configuration and plan again, through the proxy.
echo "conformance.sh: intercom-iac apply + plan through the harness (--spec 2.16 --strict)" >&2
curl -fsS -X POST "$url/_sandbox/reset" >/dev/null || die "cannot reset the sandbox"
"$RUN" --strict --spec 2.16 "$url" -- env INTERCOM_ACCESS_TOKEN="$TOKEN" bash -c '
  target/debug/intercom-iac apply -q --endpoint "$INTERCOM_ENDPOINT" -c examples/acme --auto-approve >/dev/null &&
  target/debug/intercom-iac plan -q --endpoint "$INTERCOM_ENDPOINT" -c examples/acme --detailed-exitcode >/dev/null' \
  2>&1 | tee "$work/report-cli.txt"
rc=${PIPESTATUS[0]}
if grep -q 'conformance: command failed' "$work/report-cli.txt" || [ "$rc" -ne 0 ]; then
  echo "conformance.sh: FAILED: intercom-iac's own traffic (harness exit $rc)" >&2
  failed=1
fi

if [ "${SKIP_SDK:-}" != 1 ]; then
  echo "conformance.sh: Intercom's Python SDK against the sandbox ($PYTHON)" >&2
  curl -fsS -X POST "$url/_sandbox/reset" >/dev/null || die "cannot reset the sandbox"
  if ! "$PYTHON" tests/sdk/python_sdk.py "$url" "$TOKEN"; then
    echo "conformance.sh: FAILED: the Python SDK check" >&2
    failed=1
  fi
fi

[ "$failed" -eq 0 ] || exit 1
echo "conformance.sh: OK" >&2
