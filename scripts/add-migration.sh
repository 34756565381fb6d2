#!/usr/bin/env bash
# Adds an EF Core migration with the same name to all three providers.
#   ./scripts/add-migration.sh NAME        (NAME: letters, digits, underscore)
# Builds once (Debug), then runs `dotnet ef migrations add` with --no-build for
# Sqlite, SqlServer and Postgres. Review the three generated migrations before committing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STARTUP=src/AlignmentHub.Web
PROVIDERS=(Sqlite SqlServer Postgres)
# Design-time only: the SQL Server connection string just has to parse.
SQLSERVER_CS="Server=localhost;Database=AlignmentHub;Trusted_Connection=False;User Id=sa;Password=x;TrustServerCertificate=True"

if (($# != 1)) || [[ ! $1 =~ ^[A-Za-z0-9_]+$ ]]; then
  echo "usage: $0 NAME   (NAME must match [A-Za-z0-9_]+, e.g. AddGoalOwner)" >&2
  exit 2
fi
NAME=$1

cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

dotnet tool restore
dotnet build "$STARTUP"

for p in "${PROVIDERS[@]}"; do
  extra=("--Database:Provider=$p")
  [[ $p == SqlServer ]] && extra+=("--ConnectionStrings:SqlServer=$SQLSERVER_CS")
  echo "==> $p: dotnet ef migrations add $NAME"
  dotnet ef migrations add "$NAME" --no-build \
    --project "src/AlignmentHub.Migrations.$p" --startup-project "$STARTUP" \
    --output-dir Migrations -- "${extra[@]}"
done

echo "Added migration '$NAME' for: ${PROVIDERS[*]}"
