#!/usr/bin/env bash
# Time from `./canary-judge serve` to the first 200 from GET /readyz, over RUNS runs; prints each
# run and the median, in milliseconds. Loopback only. The jar must be built (./mvnw -B package).
#   judge-server/load/startup.sh [RUNS]        (default 10)
# The readiness probe is a bash /dev/tcp request every 5 ms, so that polling costs no process start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-10}"
port="${PORT:-18181}"
jar="$root/judge-server/target/canary-judge.jar"
[ -f "$jar" ] || { echo "startup.sh: build the jar first: ./mvnw -B -DskipTests package" >&2; exit 2; }

ready() {
  local reply
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  IFS= read -r -t 1 reply <&3 || true
  exec 3<&- 3>&-
  [[ "$reply" == "HTTP/1.1 200"* ]]
}

pid=""
cleanup() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$root/canary-judge" serve --port "$port" >/dev/null 2>&1 &
  pid=$!
  deadline=$((start + 30000000000))
  until ready; do
    if [ "$(date +%s%N)" -gt "$deadline" ]; then echo "startup.sh: not ready after 30 s" >&2; exit 1; fi
    sleep 0.005
  done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms"
  kill -TERM "$pid"; wait "$pid" || true; pid=""
  sleep 0.5
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}')
echo "median: ${median} ms over $runs runs (serve to /readyz 200)"
