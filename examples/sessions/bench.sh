#!/usr/bin/env bash
# GET /whoami with cookie sessions and with Redis sessions, side by side:
# examples/sessions pinned to core 0, wrk (and redis-server) on core 1,
# the two kinds alternating, each run on loopback for a fixed time.
# Prints wrk's req/s and p99 per run, and the CPU time the app and
# redis-server spent per request (from /proc), then the medians.
#
#   bash examples/sessions/bench.sh            # 3 rounds of 10 s each
#   ROUNDS=5 DURATION=5s bash examples/sessions/bench.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-16}
for tool in wrk redis-server taskset curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed"; exit 1; }
done

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/sessions" .
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rport=$(port); cport=$(port); sport=$(port)
taskset -c 1 redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly yes --appendfsync "${APPENDFSYNC:-always}" \
  --dir "$tmp" --daemonize no --logfile "$tmp/redis.log" &
pids+=($!)
export FLASKY_SECRET_KEY="bench key, the same for both servers"
rpid=$!
taskset -c 0 "$tmp/sessions" -addr "127.0.0.1:$cport" 2>/dev/null &
pids+=($!)
cpid=$!
taskset -c 0 "$tmp/sessions" -addr "127.0.0.1:$sport" -redis "127.0.0.1:$rport" 2>/dev/null &
pids+=($!)
spid=$!
for p in "$cport" "$sport"; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$p/" && break; sleep 0.1; done
done

cookie() { # logs in and prints the session cookie's value
  curl -s -D - -o /dev/null -d user=alice "http://127.0.0.1:$1/login" | sed -n 's/^Set-Cookie: session=\([^;]*\);.*/\1/p'
}
ccookie=$(cookie "$cport"); scookie=$(cookie "$sport")
[ "$(curl -s -b "session=$scookie" "http://127.0.0.1:$sport/whoami")" = alice ] || { echo "bench: redis login failed"; exit 1; }

# ticks PID...: CPU time (user+system) of the processes, in clock ticks
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)

# run KIND PORT COOKIE APP_PID [REDIS_PID]: one wrk run; prints "KIND
# req/s p99 app-CPU-per-request Redis-CPU-per-request"
run() {
  local out rps p99 a0 a1 r0=0 r1=0 n kind=$1 port=$2 ck=$3 app=$4 rds=${5:-}
  a0=$(ticks "$app"); [ -n "$rds" ] && r0=$(ticks "$rds")
  out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" --latency -H "Cookie: session=$ck" "http://127.0.0.1:$port/whoami")
  a1=$(ticks "$app"); [ -n "$rds" ] && r1=$(ticks "$rds")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}')
  if echo "$out" | grep -q 'Non-2xx'; then echo "bench: $kind answered non-2xx:"; echo "$out"; exit 1; fi
  echo "$kind $rps ${p99}ms app=$(( (a1 - a0) * 1000000 / hz / n ))us redis=$(( (r1 - r0) * 1000000 / hz / n ))us"
}
echo "wrk -t1 -c$CONNS -d$DURATION --latency GET /whoami (server on core 0; wrk, redis-server on core 1)"
taskset -c 1 wrk -t1 -c"$CONNS" -d2s "http://127.0.0.1:$cport/whoami" -H "Cookie: session=$ccookie" >/dev/null # warm-up
taskset -c 1 wrk -t1 -c"$CONNS" -d2s "http://127.0.0.1:$sport/whoami" -H "Cookie: session=$scookie" >/dev/null
for r in $(seq "$ROUNDS"); do
  run cookie "$cport" "$ccookie" "$cpid" | tee -a "$tmp/results"
  run redis "$sport" "$scookie" "$spid" "$rpid" | tee -a "$tmp/results"
done
echo "medians of $ROUNDS:"
for k in cookie redis; do
  awk -v k="$k" '$1 == k {print $2}' "$tmp/results" | sort -n | awk -v k="$k" '{a[NR]=$1} END {printf "%s req/s %s", k, a[int((NR+1)/2)]}'
  awk -v k="$k" '$1 == k {print $3}' "$tmp/results" | sed 's/ms$//' | sort -n | awk '{a[NR]=$1} END {printf "  p99 %sms", a[int((NR+1)/2)]}'
  awk -v k="$k" '$1 == k {print $4}' "$tmp/results" | tr -dc '0-9\n' | sort -n | awk '{a[NR]=$1} END {printf "  CPU per request: app %s us", a[int((NR+1)/2)]}'
  awk -v k="$k" '$1 == k {print $5}' "$tmp/results" | tr -dc '0-9\n' | sort -n | awk '{a[NR]=$1} END {printf ", redis-server %s us\n", a[int((NR+1)/2)]}'
done
