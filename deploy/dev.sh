#!/usr/bin/env bash
# Governance development entry point.
#   deploy/dev.sh run    PostgreSQL (private instance unless GOVERNANCE_DB is set), migrations, host on http://127.0.0.1:5080
#   deploy/dev.sh test   the same prerequisites (and Chromium for the console's browser tests), then every test; the last line is the totals
#   deploy/dev.sh stop   stops the private PostgreSQL instance
#   deploy/dev.sh migrate  applies the migrations and exits
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/.data"
pgdata="$data/pg"
pgport="${GOVERNANCE_PG_PORT:-55432}"
http_url="${GOVERNANCE_URL:-http://127.0.0.1:5080}"

say() { printf '\033[1mdev.sh:\033[0m %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 \
    || die "the .NET 10 SDK is missing: install it (https://dotnet.microsoft.com/download, or Debian: apt-get install dotnet-sdk-10.0 from packages.microsoft.com) and run again."
  dotnet --list-sdks | grep -q '^10\.' \
    || die "the .NET 10 SDK is missing (found: $(dotnet --list-sdks | tr '\n' ' ')): install dotnet-sdk-10.0 and run again."
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_postgres() {
  [ -n "$(pg_bin)" ] && return
  if [ "$(id -u)" -ne 0 ]; then
    die "PostgreSQL server binaries are missing: run 'sudo apt-get install -y postgresql' (or set GOVERNANCE_DB to an existing database) and run again."
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "PostgreSQL is missing and this is not a Debian-like machine: install a PostgreSQL server (15 or newer) or set GOVERNANCE_DB."
  say "installing PostgreSQL from Debian packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  [ -n "$(pg_bin)" ] || die "apt-get installed postgresql but no server binaries were found under /usr/lib/postgresql."
}

# The console's browser tests drive Debian's headless Chromium through its chromedriver.
install_browser() {
  command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && return
  if [ "$(id -u)" -ne 0 ]; then
    die "Chromium is missing for the console's browser tests: run 'sudo apt-get install -y --no-install-recommends chromium chromium-driver' and run again."
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "Chromium is missing and this is not a Debian-like machine: install chromium and its chromedriver (or set GOVERNANCE_CHROMIUM and GOVERNANCE_CHROMEDRIVER)."
  say "installing Chromium and chromedriver from Debian packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  command -v chromedriver >/dev/null 2>&1 || die "apt-get installed chromium-driver but no chromedriver is on PATH."
}

# Runs a PostgreSQL server command as a user the server accepts (it refuses root).
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The postgres user must be able to reach the data folder; a clone under a private directory
# (mktemp -d is mode 700) gets search-only permission on its ancestors, never read.
grant_traverse() {
  [ "$(id -u)" -eq 0 ] || return 0
  local dir="$1"
  while [ "$dir" != "/" ]; do
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

start_postgres() {
  if [ -n "${GOVERNANCE_DB:-}" ]; then
    say "using GOVERNANCE_DB; no private PostgreSQL started"
    return
  fi
  install_postgres
  local bin; bin=$(pg_bin)
  mkdir -p "$pgdata"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pgdata"; fi
  chmod 700 "$pgdata"
  grant_traverse "$data"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "creating a private PostgreSQL instance in $pgdata"
    as_pg_user "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    say "PostgreSQL already running on port $pgport"
  else
    say "starting PostgreSQL on 127.0.0.1:$pgport"
    as_pg_user "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
      -o "-p $pgport -k $pgdata -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${GOVERNANCE_PG_FSYNC:-on}" start >/dev/null \
      || die "PostgreSQL did not start; see $pgdata/server.log"
  fi
  local psql="$bin/psql"
  "$psql" -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'governance'" | grep -q 1 \
    || "$psql" -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -qc "create database governance" >/dev/null
  export GOVERNANCE_DB="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=governance;Maximum Pool Size=50"
}

stop_postgres() {
  local bin; bin=$(pg_bin) || die "PostgreSQL is not installed; nothing to stop."
  if [ -f "$pgdata/PG_VERSION" ] && as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    as_pg_user "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    say "PostgreSQL stopped"
  else
    say "the private PostgreSQL is not running"
  fi
}

# Development settings of the host; every one can be overridden from the environment.
host_environment() {
  export ASPNETCORE_URLS="${ASPNETCORE_URLS:-$http_url}"
  export Governance__DataDirectory="${Governance__DataDirectory:-$data}"
  export Governance__Tokens__Issuer="${Governance__Tokens__Issuer:-$http_url/}"
  export Governance__Tokens__ConsoleRedirectUris__0="${Governance__Tokens__ConsoleRedirectUris__0:-$http_url/console/callback}"
  # The console works from either name of the loopback address (the browser sends the one typed).
  export Governance__Tokens__ConsoleRedirectUris__1="${Governance__Tokens__ConsoleRedirectUris__1:-${http_url/127.0.0.1/localhost}/console/callback}"
  export Governance__Platform__ClientSecret="${Governance__Platform__ClientSecret:-platform-dev-secret}"
  export Governance__Platform__AdminPassword="${Governance__Platform__AdminPassword:-operator-dev-password}"
  export Governance__Demo__Enabled="${Governance__Demo__Enabled:-true}"
  export Governance__Demo__ClientSecret="${Governance__Demo__ClientSecret:-demo-integration-secret}"
  export Governance__Demo__AdminPassword="${Governance__Demo__AdminPassword:-demo-admin-password}"
  export Governance__Demo__ReportingSecret="${Governance__Demo__ReportingSecret:-demo-reporting-secret}"
}

build() {
  say "building"
  dotnet build "$root/Governance.sln" -c "${CONFIGURATION:-Debug}" -nologo -clp:ErrorsOnly -v:q
}

run_host() {
  host_environment
  build
  dotnet "$root/src/Governance.Api/bin/${CONFIGURATION:-Debug}/net10.0/Governance.Api.dll" migrate
  cat >&2 <<TXT

Governance is starting on $http_url (Ctrl-C stops it; 'deploy/dev.sh stop' stops PostgreSQL).
Get a token for the demo tenant's integration and ask who you are:

  token=\$(curl -s $http_url/connect/token -d grant_type=client_credentials \\
      -d client_id=demo-integration -d client_secret=$Governance__Demo__ClientSecret \\
      | grep -o '"access_token": *"[^"]*"' | cut -d'"' -f4)
  curl -s $http_url/graphql -H "Authorization: Bearer \$token" -H 'Content-Type: application/json' \\
      -d '{"query":"{ viewer { tenantId roles } }"}'

Metrics are read by demo-reporting (secret $Governance__Demo__ReportingSecret), see README.

The web console is at $http_url/console (sign in as below).

People sign in at $http_url/account/login (organisation demo, user demo-admin, password $Governance__Demo__AdminPassword);
operators at the same page (organisation platform, user operator) see tenants, silos and jobs in
the console and reach $http_url/hangfire.

TXT
  cd "$root/src/Governance.Api"
  exec dotnet "bin/${CONFIGURATION:-Debug}/net10.0/Governance.Api.dll"
}

# Sums the TRX counters of every test project; prints "N passed, N failed[, N skipped]".
totals() {
  local dir="$1" passed=0 failed=0 skipped=0 f counters
  for f in "$dir"/*.trx; do
    [ -e "$f" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    attr() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    passed=$((passed + $(attr passed)))
    failed=$((failed + $(attr failed)))
    skipped=$((skipped + $(attr notExecuted)))
  done
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
}

# Names every failed test with the first lines of its message, so the end of a CI log says what broke.
failures() {
  local dir="$1" f
  for f in "$dir"/*.trx; do
    [ -e "$f" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ {
        match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11)
        failed = 1; lines = 0
      }
      failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, ""); print "FAILED " name }
      failed && inmsg {
        done = sub(/<\/Message>.*/, "")
        if (lines < 6) print "    " $0
        lines++
        if (done) { inmsg = 0; failed = 0 }
      }
    ' "$f"
  done
}

run_tests() {
  build
  local results="$data/test-results" status=0 project name
  rm -rf "$results"; mkdir -p "$results"
  for project in "$root"/tests/*.Tests/*.csproj; do
    name=$(basename "$project" .csproj)
    say "testing $name"
    if ! dotnet test "$project" --no-build -c "${CONFIGURATION:-Debug}" --nologo \
         --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results"; then
      status=1
    fi
    if [ ! -f "$results/$name.trx" ]; then
      say "$name produced no test results (did the test host crash?)"
      status=1
    fi
  done
  failures "$results"
  totals "$results" || status=1
  return $status
}

case "${1:-}" in
  run)     require_dotnet; start_postgres; run_host ;;
  test)    require_dotnet; install_browser; start_postgres; run_tests ;;
  migrate) require_dotnet; start_postgres; build; dotnet "$root/src/Governance.Api/bin/${CONFIGURATION:-Debug}/net10.0/Governance.Api.dll" migrate ;;
  stop)    stop_postgres ;;
  *)       echo "usage: deploy/dev.sh run|test|stop|migrate" >&2; exit 2 ;;
esac
