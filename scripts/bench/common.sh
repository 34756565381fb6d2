# Shared by scripts/bench/pages.sh and scripts/bench/load.sh (sourced, not run): install wrk, publish the app in
# Release, seed a fresh SQLite database, start the app on 127.0.0.1, sign in, and read wrk's output.
# The caller sets ROOT, BUILD (1/0), PORT and PASSWORD before sourcing, and calls bench_cleanup on exit.

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
log() { printf '\n==> %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q wrk >/dev/null; }
fi

cd "$ROOT"
# Published, not just built: the app runs from its publish folder as in production, with wwwroot beside it.
PUBLISHED="$ROOT/artifacts/bench-app"
if ((BUILD)) || [[ ! -f $PUBLISHED/AlignmentHub.Web.dll ]]; then
  log "publishing (Release) to artifacts/bench-app"
  dotnet publish src/AlignmentHub.Web -c Release -o "$PUBLISHED" -nologo -v q >/dev/null
fi
APP="$PUBLISHED/AlignmentHub.Web.dll"

WORK="$(mktemp -d /tmp/alignmenthub-bench.XXXXXX)"
SERVER_PID=""
stop_app() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}
bench_cleanup() {
  stop_app
  rm -rf "$WORK"
}

export ASPNETCORE_ENVIRONMENT=Benchmark
export Database__Provider=Sqlite
export ConnectionStrings__Sqlite="Data Source=$WORK/bench.db"
export Database__MigrateOnStartup=true
export Seed__Demo=false
export Seed__DemoPassword="$PASSWORD"
export Serilog__MinimumLevel__Default=Warning
export Benchmark__BaselinePage=true
export Security__SignInAttemptsPerMinute="${Security__SignInAttemptsPerMinute:-1000000}"

seed() { # name items
  local started=$SECONDS
  (cd "$(dirname "$APP")" && dotnet "$APP" seed-large --product "$1" --items "$2" >"$WORK/seed-$1.log" 2>&1) \
    || { cat "$WORK/seed-$1.log" >&2; exit 1; }
  log "seeded $1 ($2 items) in $((SECONDS - started)) s"
}

BASE="http://127.0.0.1:$PORT"
start_app() {
  log "starting the app on 127.0.0.1:$PORT"
  (cd "$(dirname "$APP")" && exec dotnet "$APP" --urls "$BASE") >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$BASE/health/ready" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
}

JAR="$WORK/cookies.txt"
token_of() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
sign_in() { # email
  rm -f "$JAR"
  local token
  token=$(curl -s -c "$JAR" -b "$JAR" "$BASE/account/login" | token_of)
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "Email=$1" --data-urlencode "Password=$PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token" "$BASE/account/login")
  [[ $status == 302 ]] || { echo "sign-in as $1 answered $status" >&2; exit 1; }
}
cookie_header() { # [jar] → the Cookie header of a cookie jar (the signed-in one by default)
  awk -F'\t' '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " } /^#HttpOnly_/ { split($0, f, "\t"); printf "%s%s=%s", sep, f[6], f[7]; sep="; " }' "${1:-$JAR}"; }
get() { curl -s -b "$JAR" "$BASE$1"; }
product_id() { # name → id, empty when the product picker is not shown (a single product)
  get "/dashboards" | { grep -o "<option value=\"[0-9]*\"[^>]*>$1<" || true; } | { grep -o '[0-9]\+' || true; } | head -1
}

to_ms() { # "1.23ms" / "850.00us" / "1.02s" → milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
peak_rss_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
