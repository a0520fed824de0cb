#!/usr/bin/env bash
# Load test of POST /judge on loopback with wrk (Debian package `wrk`; installed when missing).
#
#   judge-server/load/run.sh              # about 7.5 minutes: warm-up, saturation, 1,000 req/s, 5-minute soak
#   SOAK_SECONDS=60 judge-server/load/run.sh
#   CANARY_JUDGE_JAVA_OPTS=-Xmx256m judge-server/load/run.sh    # JVM options go through the launcher
#
# Phases, all against the typical request in typical-request.json (3 metrics × 60 + 60 points,
# fixed mode, verdict hold):
#   1. warm-up      WARMUP_SECONDS (60) at saturation, not reported (the JIT needs about a minute here)
#   2. saturation   SATURATION_SECONDS (30): wrk -t2 -c16, as fast as the server answers
#   3. fixed rate   RATE_SECONDS (30) at RATE (1000) requests/s: wrk's Lua delay() paces each of 20
#                   connections (wrk2 is not packaged by Debian; wrk paces closed-loop, so latency
#                   counts from each request's send: no coordinated-omission correction)
#   4. soak         SOAK_SECONDS (300) at saturation, sampling the server's VmRSS every 5 s
# The server is the shipped launcher (./canary-judge serve) with its defaults and
# $CANARY_JUDGE_JAVA_OPTS; its access log goes to /dev/null. Only 127.0.0.1 is used. Every process
# started here is stopped at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${PORT:-18180}"
url="http://127.0.0.1:$port"
out="${OUT:-$root/judge-server/target/load}"
warmup="${WARMUP_SECONDS:-60}"
saturation="${SATURATION_SECONDS:-30}"
rate_seconds="${RATE_SECONDS:-30}"
rate="${RATE:-1000}"
soak="${SOAK_SECONDS:-300}"
mkdir -p "$out"

if ! command -v wrk >/dev/null 2>&1; then
  echo "run.sh: installing wrk (apt-get)" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi
[ -f "$root/judge-server/target/canary-judge.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)

server=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
}
trap cleanup EXIT

"$root/canary-judge" serve --host 127.0.0.1 --port "$port" >/dev/null 2>"$out/server.err" &
server=$!
for _ in $(seq 1 300); do
  curl -sf "$url/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$url/readyz" >/dev/null || { echo "run.sh: the server did not get ready" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$here/typical-request.json" "$url/judge")
[ "$status" = 200 ] || { echo "run.sh: POST /judge answered $status" >&2; exit 1; }

export BODY="$here/typical-request.json"
echo "server: pid $server, JVM options: ${CANARY_JUDGE_JAVA_OPTS:-(none)}, $(nproc) cores; wrk runs on the same machine"
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }

echo "== warm-up: ${warmup}s at saturation"
RATE=0 wrk -t2 -c16 -d"${warmup}s" -s "$here/post.lua" "$url/judge" >/dev/null
echo "RSS after warm-up: $(( $(rss_kib) / 1024 )) MiB"

echo "== saturation: ${saturation}s, wrk -t2 -c16"
RATE=0 wrk -t2 -c16 -d"${saturation}s" --latency -s "$here/post.lua" "$url/judge" | tee "$out/saturation.txt"

echo "== fixed rate: ${rate_seconds}s at ${rate} requests/s, wrk -t2 -c20 with paced connections"
RATE="$rate" CONNECTIONS=20 wrk -t2 -c20 -d"${rate_seconds}s" --latency -s "$here/post.lua" "$url/judge" | tee "$out/rate.txt"

echo "== soak: ${soak}s at saturation, VmRSS every 5 s -> $out/rss.csv"
echo "seconds,rss_mib" > "$out/rss.csv"
(
  start=$(date +%s)
  while kill -0 "$server" 2>/dev/null; do
    echo "$(( $(date +%s) - start )),$(( $(rss_kib) / 1024 ))" >> "$out/rss.csv"
    sleep 5
  done
) &
sampler=$!
RATE=0 wrk -t2 -c16 -d"${soak}s" --latency -s "$here/post.lua" "$url/judge" | tee "$out/soak.txt"
kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
echo "RSS over the soak (MiB): $(awk -F, 'NR > 1 {printf "%s ", $2}' "$out/rss.csv")"
awk -F, 'NR == 2 {first = $2} NR > 1 {last = $2; if ($2 > max) max = $2; if (min == "" || $2 < min) min = $2}
  END {printf "RSS: first %d MiB, min %d, max %d, last %d\n", first, min, max, last}' "$out/rss.csv"
curl -s "$url/metrics" | grep -E '^canary_judge_http_requests_total\{endpoint="/judge"' || true
