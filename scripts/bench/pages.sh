#!/usr/bin/env bash
# Page benchmark of issue 5 (see docs/performance.md): ./scripts/bench/pages.sh
#
#   ./scripts/bench/pages.sh                   build (Release), seed, start, measure, stop
#   ./scripts/bench/pages.sh --no-build        reuse the last publish (artifacts/bench-app)
#   ./scripts/bench/pages.sh --duration 20     seconds of wrk per page (default 15)
#   ./scripts/bench/pages.sh --connections 16  wrk connections (default 16); --threads 2 (default 2)
#   ./scripts/bench/pages.sh --skip-scaling    leave out the 1,000 / 50,000-item dashboard runs
#
# What it does: seeds a fresh SQLite database with the large data set (seed-large: 10,000 items, 50,000
# check-ins, 20 teams, 80 objectives, 300 key results) plus 1,000- and 50,000-item products for the scaling
# run; starts the app in Release on 127.0.0.1 (environment "Benchmark", warnings-only logging, the baseline
# page switched on); signs in; drives the baseline page (a Fortunes-like page: a dozen goals read with EF Core
# and rendered in the layout) and the executive dashboard, team dashboard, roadmap board, roadmap list and
# objective page with wrk, each for a bounded time; prints req/s, p50 and p99 per page with each page's req/s as
# a ratio of the baseline's, the server's peak memory, and the dashboard's cost at 1,000 / 10,000 / 50,000 items
# (warm: served from the in-memory snapshot; after a change: the snapshot is read again).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION=15
CONNECTIONS=16
THREADS=2
BUILD=1
SCALING=1
PORT="${ALIGNMENTHUB_BENCH_PORT:-5088}"
PASSWORD="Bench-Password-2027"

while (($#)); do
  case $1 in
    --no-build) BUILD=0 ;;
    --skip-scaling) SCALING=0 ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=scripts/bench/common.sh
source "$ROOT/scripts/bench/common.sh"
trap bench_cleanup EXIT

log "seeding a fresh SQLite database"
seed Atlas10k 10000
if ((SCALING)); then
  seed Atlas1k 1000
  seed Atlas50k 50000
fi
start_app

sign_in "pm@atlas10k.example"
COOKIE=$(cookie_header)

P10=$(product_id Atlas10k)
[[ -n $P10 ]] || P10=1
DASH=$(get "/dashboards?product=$P10")
TEAM=$(grep -o '/dashboards/teams/[0-9]*' <<<"$DASH" | head -1)
OBJECTIVE=$(get "$TEAM?product=$P10" | grep -o '/okrs/objectives/[0-9]*' | head -1)

PAGES=(
  "baseline|/bench/baseline?product=$P10"
  "executive dashboard|/dashboards?product=$P10"
  "team dashboard|$TEAM?product=$P10"
  "roadmap board|/roadmap?product=$P10"
  "roadmap list|/roadmap/list?product=$P10"
  "objective page|$OBJECTIVE"
)

for entry in "${PAGES[@]}"; do
  url=${entry#*|}
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE$url")
  [[ $status == 200 ]] || { echo "GET $url answered $status; not benchmarking" >&2; exit 1; }
done

run_wrk() { # url seconds → "rps p50 p99 non2xx"
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -H "Cookie: $COOKIE" "$BASE$1")
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
  echo "$rps $p50 $p99 ${non2xx:-0}"
}

log "warming up"
for entry in "${PAGES[@]}"; do run_wrk "${entry#*|}" 2 >/dev/null; done

log "measuring: ${DURATION} s per page, $CONNECTIONS connections, $THREADS threads (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
declare -A RPS P50 P99 ERRORS
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}
  read -r rps p50 p99 errors <<<"$(run_wrk "${entry#*|}" "$DURATION")"
  RPS[$name]=$rps P50[$name]=$p50 P99[$name]=$p99 ERRORS[$name]=$errors
done
PEAK=$(peak_rss_mb)

echo
echo "AlignmentHub page benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, SQLite, 10,000 items / 50,000 check-ins"
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per page on 127.0.0.1, signed in as a product manager"
printf '\n%-22s %10s %9s %9s %9s %8s\n' "page" "req/s" "p50 ms" "p99 ms" "× base" "non-2xx"
base=${RPS[baseline]}
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}
  ratio=$(awk -v a="${RPS[$name]}" -v b="$base" 'BEGIN { printf "%.1f %%", 100 * a / b }')
  printf '%-22s %10.0f %9s %9s %9s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "$ratio" "${ERRORS[$name]}"
done
echo
echo "server peak memory (VmHWM) after the page runs: $PEAK MB"

if ((SCALING)); then
  # The cost of the executive dashboard per data size: warm (snapshot in memory) and just after a change (the
  # snapshot is read again). A change = a check-in posted through the app, which moves the change counter.
  KR_LINK=$(grep -o '/okrs/objectives/[0-9]*#kr-[0-9]*' <<<"$DASH" | head -1)
  [[ -n $KR_LINK ]] || KR_LINK="$OBJECTIVE#kr-$(get "$OBJECTIVE" | grep -o 'id="kr-[0-9]*"' | head -1 | grep -o '[0-9]\+')"
  KR_OBJECTIVE=${KR_LINK%%#*}
  KR_ID=${KR_LINK##*kr-}
  change() {
    local token
    token=$(get "$KR_OBJECTIVE" | token_of)
    curl -s -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "Value=$((RANDOM % 50))" --data-urlencode "Confidence=7" \
      --data-urlencode "Note=benchmark" --data-urlencode "__RequestVerificationToken=$token" "$BASE/okrs/key-results/$KR_ID/check-ins"
  }
  echo
  printf '%-10s %8s %12s %18s\n' "items" "warm r/s" "warm p50 ms" "after a change ms"
  declare -A COLD
  for spec in "1000|Atlas1k" "10000|Atlas10k" "50000|Atlas50k"; do
    items=${spec%%|*}
    pid=$(product_id "${spec#*|}")
    url="/dashboards?product=$pid"
    get "$url" >/dev/null
    read -r rps p50 _ _ <<<"$(run_wrk "$url" 5)"
    times=()
    for _ in 1 2 3 4 5; do
      change
      times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$JAR" "$BASE$url")")
    done
    cold=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", 1000 * a[int((NR + 1) / 2)] }')
    COLD[$items]=$cold
    printf '%-10s %8.0f %12s %18s\n' "$items" "$rps" "$p50" "$cold"
  done
  growth=$(awk -v a="${COLD[50000]}" -v b="${COLD[10000]}" 'BEGIN { printf "%.2f", a / b }')
  echo
  echo "after-a-change cost 10,000 → 50,000 items: × $growth (linear would be × 5.00)"
  echo "server peak memory (VmHWM) after the scaling run: $(peak_rss_mb) MB"
fi
