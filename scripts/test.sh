#!/usr/bin/env bash
# The single test command for AlignmentHub (see README): ./scripts/test.sh
#
#   ./scripts/test.sh                      build (Release) once, then run every suite
#   ./scripts/test.sh --no-build           reuse the existing Release build
#   ./scripts/test.sh --suite unit --suite migrations   run only some suites
#
# Suites: unit | integration (SQLite) | postgres (integration tests against a private
# PostgreSQL 15 cluster) | browser (Playwright + Debian chromium) | migrations (EF checks).
# Results: artifacts/test-results/*.trx (+ ef-*.log), artifacts/sqlserver-migrations.sql.
# The last line of output is "N passed, N failed" (", N skipped" when any were skipped).
# Exit status is non-zero when the build, a test or a migration check failed.
#
# Environment overrides (optional):
#   ALIGNMENTHUB_PG_PORT    first port tried for the private cluster (default 55432)
#   ALIGNMENTHUB_CHROMIUM   browser used by the browser tests (default /usr/bin/chromium)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG=Release
SOLUTION=AlignmentHub.sln
RESULTS_DIR="$ROOT/artifacts/test-results"
SQLSERVER_SCRIPT="$ROOT/artifacts/sqlserver-migrations.sql"
PGBIN=/usr/lib/postgresql/15/bin
CHROMIUM="${ALIGNMENTHUB_CHROMIUM:-/usr/bin/chromium}"
PG_ROLE=alignmenthub
PG_PASSWORD=alignmenthub
ALL_SUITES=(unit integration postgres browser migrations)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Per-suite results, filled in by run_suite / run_check, printed by print_summary.
SUMMARY_NAMES=()
SUMMARY_PASSED=()
SUMMARY_FAILED=()
SUMMARY_SKIPPED=()
SUMMARY_NOTES=()

log() { printf '\n==> %s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# --------------------------------------------------------------------------------------
# a. System packages (only those the selected suites need)
# --------------------------------------------------------------------------------------
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when there are none (fresh image) or the install fails.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    apt-get update -q
  fi
  if ! apt-get install -y -q --no-install-recommends "$@"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$@"
  fi
}

ensure_packages() {
  local need_pg=$1 need_chromium=$2 missing=()
  if [[ $need_pg == 1 && ! -x $PGBIN/pg_ctl ]]; then missing+=(postgresql-15 postgresql-client-15); fi
  if [[ $need_chromium == 1 && ! -x $CHROMIUM ]]; then missing+=(chromium); fi
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) != 0 ]]; then
    warn "ERROR: missing ${missing[*]} (need $PGBIN/pg_ctl and/or $CHROMIUM)."
    warn "Install them as root:  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  log "Installing ${missing[*]}"
  apt_install "${missing[@]}"
}

# --------------------------------------------------------------------------------------
# c. Private PostgreSQL 15 cluster (stopped and deleted by the EXIT trap)
# --------------------------------------------------------------------------------------
PG_TMP=""
PG_PORT=""

as_pg_owner() {
  # initdb/pg_ctl refuse to run as root: run them as "postgres" then, else as ourselves.
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1 && [[ -n $(ss -ltnH "sport = :$port" 2>/dev/null) ]]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

start_postgres() {
  PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/alignmenthub-pg.XXXXXX")"
  if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$PG_TMP"; fi
  as_pg_owner "$PGBIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log" >&2; return 1; }

  local port="${ALIGNMENTHUB_PG_PORT:-55432}" tries=0
  while :; do
    if ((tries >= 20)); then warn "ERROR: could not start PostgreSQL (last port tried: $port)"; return 1; fi
    tries=$((tries + 1))
    if port_in_use "$port"; then port=$((port + 1)); continue; fi
    if as_pg_owner "$PGBIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
      -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
      break
    fi
    warn "PostgreSQL did not start on port $port; server log:"
    tail -n 20 "$PG_TMP/server.log" >&2 || true
    port=$((port + 1)) # a race for the port, most likely: try the next one
  done
  PG_PORT=$port
  "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt \
    -c "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD' CREATEDB" >/dev/null
  echo "PostgreSQL 15 private cluster on 127.0.0.1:$PG_PORT (data: $PG_TMP/data)"
}

stop_postgres() {
  [[ -n $PG_TMP ]] || return 0
  if [[ -f $PG_TMP/data/postmaster.pid ]]; then
    as_pg_owner "$PGBIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 ||
      warn "WARNING: pg_ctl stop failed (data dir $PG_TMP/data)"
  fi
  rm -rf "$PG_TMP"
  PG_TMP=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_postgres
  exit "$rc"
}

# --------------------------------------------------------------------------------------
# f. .trx parsing and the summary
# --------------------------------------------------------------------------------------
# Prints "passed failed skipped" from the <Counters .../> element of a .trx file.
trx_counts() {
  python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
c = next(e for e in root.iter() if e.tag == "Counters" or e.tag.endswith("}Counters"))
n = lambda k: int(c.get(k, "0") or 0)
# xunit's VSTest logger leaves skipped tests out of "executed" but does not count them in "notExecuted".
print(n("passed"), n("failed") + n("error") + n("timeout") + n("aborted"), max(n("notExecuted"), n("total") - n("executed")))
PY
}

record() { # name passed failed skipped [note]
  SUMMARY_NAMES+=("$1")
  SUMMARY_PASSED+=("$2")
  SUMMARY_FAILED+=("$3")
  SUMMARY_SKIPPED+=("$4")
  SUMMARY_NOTES+=("${5:-}")
}

print_summary() {
  local i p=0 f=0 s=0 line
  log "Summary"
  for i in "${!SUMMARY_NAMES[@]}"; do
    line="${SUMMARY_NAMES[i]}: ${SUMMARY_PASSED[i]} passed, ${SUMMARY_FAILED[i]} failed"
    ((SUMMARY_SKIPPED[i] > 0)) && line+=", ${SUMMARY_SKIPPED[i]} skipped"
    [[ -n ${SUMMARY_NOTES[i]} ]] && line+="  (${SUMMARY_NOTES[i]})"
    echo "$line"
    p=$((p + SUMMARY_PASSED[i]))
    f=$((f + SUMMARY_FAILED[i]))
    s=$((s + SUMMARY_SKIPPED[i]))
  done
  echo
  line="$p passed, $f failed"
  ((s > 0)) && line+=", $s skipped"
  echo "$line"
  TOTAL_FAILED=$f
}

# --------------------------------------------------------------------------------------
# d. Test suites
# --------------------------------------------------------------------------------------
# run_suite <label> <project> [VAR=value ...]   (env assignments apply to dotnet test only)
run_suite() {
  local label=$1 project=$2 rc=0 counts passed failed skipped note=""
  shift 2
  local trx="$RESULTS_DIR/$label.trx"
  log "Suite $label: dotnet test $project"
  env -u ALIGNMENTHUB_TEST_POSTGRES "$@" \
    dotnet test "$ROOT/$project" -c "$CONFIG" --no-build \
    --logger "trx;LogFileName=$label.trx" --results-directory "$RESULTS_DIR" || rc=$?

  if [[ -f $trx ]] && counts="$(trx_counts "$trx")"; then
    read -r passed failed skipped <<<"$counts"
    if ((rc != 0 && failed == 0)); then
      failed=1
      note="dotnet test exited with $rc"
    fi
  else
    passed=0 failed=1 skipped=0
    note="no readable $label.trx; dotnet test exited with $rc"
  fi
  record "$label" "$passed" "$failed" "$skipped" "$note"
}

# --------------------------------------------------------------------------------------
# e. Migration checks (each one counts as one test)
# --------------------------------------------------------------------------------------
MIG_PASSED=0
MIG_FAILED=0
MIG_LINES=()

ef() { dotnet ef "$@"; }

sqlserver_design_args() {
  printf '%s\n' "--Database:Provider=SqlServer" \
    "--ConnectionStrings:SqlServer=Server=localhost;Database=AlignmentHub;Trusted_Connection=False;User Id=sa;Password=x;TrustServerCertificate=True"
}

# run_check <name> <command...>: the command's output goes to ef-<name>.log.
run_check() {
  local name=$1 logf="$RESULTS_DIR/ef-$1.log" result
  shift
  echo "--- migrations: $name"
  if (cd "$ROOT" && "$@") >"$logf" 2>&1; then
    result=passed
    MIG_PASSED=$((MIG_PASSED + 1))
  else
    result=FAILED
    MIG_FAILED=$((MIG_FAILED + 1))
    tail -n 40 "$logf" | sed 's/^/    /'
  fi
  MIG_LINES+=("migrations: $name: $result (log: ${logf#"$ROOT"/})")
  echo "migrations: $name: $result"
}

pending_check() { # <Provider> <migrations project>
  local provider=$1 project=$2
  local extra=("--Database:Provider=$provider")
  [[ $provider == SqlServer ]] && mapfile -t extra < <(sqlserver_design_args)
  ef migrations has-pending-model-changes --no-build --configuration "$CONFIG" \
    --project "$project" --startup-project src/AlignmentHub.Web -- "${extra[@]}"
}

sqlserver_script_check() {
  local extra
  mapfile -t extra < <(sqlserver_design_args)
  rm -f "$SQLSERVER_SCRIPT"
  ef migrations script --idempotent --no-build --configuration "$CONFIG" \
    --project src/AlignmentHub.Migrations.SqlServer --startup-project src/AlignmentHub.Web \
    -o "$SQLSERVER_SCRIPT" -- "${extra[@]}" || return 1
  if [[ ! -s $SQLSERVER_SCRIPT ]]; then
    echo "ERROR: $SQLSERVER_SCRIPT is missing or empty"
    return 1
  fi
}

run_migration_checks() {
  log "Migration checks"
  run_check pending-Sqlite pending_check Sqlite src/AlignmentHub.Migrations.Sqlite
  run_check pending-SqlServer pending_check SqlServer src/AlignmentHub.Migrations.SqlServer
  run_check pending-Postgres pending_check Postgres src/AlignmentHub.Migrations.Postgres
  run_check sqlserver-idempotent-script sqlserver_script_check
  printf '%s\n' "${MIG_LINES[@]}"
  record migrations "$MIG_PASSED" "$MIG_FAILED" 0
}

# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------
suite_selected() {
  local s
  for s in "${SUITES[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

main() {
  local do_build=1 arg s
  SUITES=()
  while (($#)); do
    arg=$1
    shift
    case $arg in
      --no-build) do_build=0 ;;
      --suite | --suite=*)
        if [[ $arg == --suite ]]; then
          (($#)) || { warn "--suite needs a value"; exit 2; }
          arg=$1
          shift
        else
          arg=${arg#--suite=}
        fi
        IFS=',' read -r -a _list <<<"$arg"
        for s in "${_list[@]}"; do
          case $s in
            unit | integration | postgres | browser | migrations) SUITES+=("$s") ;;
            *) warn "unknown suite '$s' (expected: ${ALL_SUITES[*]})"; exit 2 ;;
          esac
        done
        ;;
      -h | --help) usage; exit 0 ;;
      *) warn "unknown argument '$arg' (try --help)"; exit 2 ;;
    esac
  done
  ((${#SUITES[@]})) || SUITES=("${ALL_SUITES[@]}")

  cd "$ROOT"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  local need_pg=0 need_chromium=0
  suite_selected postgres && need_pg=1
  suite_selected browser && need_chromium=1
  ensure_packages "$need_pg" "$need_chromium"

  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"

  log "dotnet tool restore"
  if ! dotnet tool restore; then
    record "tool-restore" 0 1 0 "dotnet tool restore failed"
    print_summary
    exit 1
  fi
  if ((do_build)); then
    log "dotnet build $SOLUTION -c $CONFIG"
    if ! dotnet build "$SOLUTION" -c "$CONFIG"; then
      record build 0 1 0 "dotnet build failed; no suite was run"
      print_summary
      exit 1
    fi
  fi

  suite_selected unit && run_suite unit tests/AlignmentHub.UnitTests
  suite_selected integration && run_suite integration tests/AlignmentHub.IntegrationTests
  if suite_selected postgres; then
    log "Starting a private PostgreSQL 15 cluster"
    if start_postgres; then
      run_suite integration-postgres tests/AlignmentHub.IntegrationTests \
        "ALIGNMENTHUB_TEST_POSTGRES=Host=127.0.0.1;Port=$PG_PORT;Username=$PG_ROLE;Password=$PG_PASSWORD"
      stop_postgres
    else
      record integration-postgres 0 1 0 "could not start PostgreSQL"
      stop_postgres
    fi
  fi
  suite_selected browser && run_suite browser tests/AlignmentHub.BrowserTests "ALIGNMENTHUB_CHROMIUM=$CHROMIUM"
  suite_selected migrations && run_migration_checks

  print_summary
  ((TOTAL_FAILED == 0))
}

# Run main only when executed, so the functions can be sourced for testing.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
