#!/usr/bin/env bash
# Benchmark (not a test): builds the release binary, serves a fresh demo shop on SQLite, and
# measures throughput and latency with wrk at 64 connections on /healthz, the shop front and a
# product page, then prints each page's throughput as a ratio of /healthz's.
#
#   benches/pages.sh                 # 3 rounds of 10 s per page, 64 connections, 2 wrk threads
#   BENCH_DURATION=30s benches/pages.sh
#   BENCH_ROUNDS=5 benches/pages.sh  # rounds taking turns; each page reports its median
#   BENCH_METRICS=1 benches/pages.sh # with /metrics on: also compares what wrk sent with what
#                                    # the shop counted per route
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-64}"
threads="${BENCH_THREADS:-2}"
port="${BENCH_PORT:-18089}"
metrics_port="${BENCH_METRICS_PORT:-18090}"
metrics="${BENCH_METRICS:-0}"
# A page marked "+session" is asked for by a returning visitor (the session cookie of an earlier
# visit, as a browser sends it); without the mark every request is someone's first visit, who
# gets a new session cookie (an encrypted form token) with every answer.
pages=(/healthz / "/ +session" /product/rode-rozen-klassiek "/product/rode-rozen-klassiek +session")

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi

cargo build --release --quiet
data="$(mktemp -d)"
metrics_env=()
[ "$metrics" = 1 ] && metrics_env=(BLOEI_METRICS_LISTEN="127.0.0.1:$metrics_port")
env "${metrics_env[@]}" RUST_LOG="${BENCH_RUST_LOG:-info}" BLOEI_DATA_DIR="$data" \
  BLOEI_LISTEN="127.0.0.1:$port" ./target/release/bloei serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/server.log"; exit 1; }

# wrk prints latencies as 812.00us, 1.20ms or 1.02s; report milliseconds.
to_ms() { awk -v v="$1" 'BEGIN {
  if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
  else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
  else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
  else printf "%s", v }'; }

# The shop's own count of GET requests to a route pattern with status 200.
counted() {
  curl -fs "http://127.0.0.1:$metrics_port/metrics" | awk -v r="$1" '
    index($0, "bloei_http_requests_total{method=\"GET\",route=\"" r "\",status=\"200\"}") == 1 { n = $NF }
    END { printf "%d", n }'
}
route_of() { case "$1" in /product/*) echo "/product/{slug}" ;; *) echo "$1" ;; esac; }

rounds="${BENCH_ROUNDS:-3}"
echo "Bloei benchmark: $(nproc) cores, wrk -t$threads -c$connections -d$duration, $rounds interleaved rounds (median), SQLite, demo catalogue, metrics $([ "$metrics" = 1 ] && echo on || echo off)"
session="$(curl -fs -D - -o /dev/null "http://127.0.0.1:$port/" | awk -F'[:;] *' 'tolower($1) == "set-cookie" && $2 ~ /^bloei_session=/ {print $2}')"
# A shared VM's speed drifts by a third within a minute, so pages are measured in rounds that
# take turns (healthz, home, …, healthz, home, …) and each page reports its median round.
declare -A rps_of p50_of p99_of errors_of sent_of seen_of
for round in $(seq 1 "$rounds"); do
  for label in "${pages[@]}"; do
    page="${label% +session}"
    cookie=()
    [ "$page" != "$label" ] && cookie=(-H "Cookie: $session")
    url="http://127.0.0.1:$port$page"
    [ "$metrics" = 1 ] && before="$(counted "$(route_of "$page")")"
    warm="$(wrk -t"$threads" -c"$connections" -d2s "${cookie[@]}" "$url")" # warm-up
    out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "${cookie[@]}" "$url")"
    rps_of[$label]+="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") "
    p50_of[$label]+="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")") "
    p99_of[$label]+="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") "
    errors_of[$label]+="$(awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print "socket:" $0}' <<<"$out" | tr '\n' ' ')"
    if [ "$metrics" = 1 ]; then
      sent_of[$label]=$(( ${sent_of[$label]:-0} + $(awk '/requests in/ {print $1}' <<<"$warm") + $(awk '/requests in/ {print $1}' <<<"$out") ))
      seen_of[$label]=$(( ${seen_of[$label]:-0} + $(counted "$(route_of "$page")") - before ))
    fi
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '%-40s %12s %10s %10s %10s %8s   %s\n' page "req/s" "p50 ms" "p99 ms" "errors" ratio "rounds (req/s)"
base=""
for label in "${pages[@]}"; do
  rps="$(median "${rps_of[$label]}")"
  [ -n "$base" ] || base="$rps"
  ratio="$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')"
  printf '%-40s %12s %10s %10s %10s %8s   %s\n' "$label" "$rps" "$(median "${p50_of[$label]}")" \
    "$(median "${p99_of[$label]}")" "${errors_of[$label]:-0}" "$ratio" "${rps_of[$label]}"
  if [ "$metrics" = 1 ]; then
    echo "  wrk completed ${sent_of[$label]} requests (warm-ups included); the shop counted ${seen_of[$label]}"
  fi
done
echo "target: each page >= 0.50 of /healthz, p99 < 10 ms"
