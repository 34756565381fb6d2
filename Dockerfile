# syntax=docker/dockerfile:1
# AlignmentHub: multi-stage image (SDK build -> ASP.NET runtime, non-root).
#   docker build -t alignmenthub .
#   docker compose up --build          (see docker-compose.yml: SQL Server + one-shot migrate + web)
# Front-end libraries are vendored in src/AlignmentHub.Web/wwwroot/lib, so no Node/npm is needed here.

# ---------- build ----------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# 1. Only the files that affect restore, so this layer stays cached until a project or package version changes.
#    (A new project in the solution needs one more COPY line here.)
COPY Directory.Build.props Directory.Packages.props global.json AlignmentHub.sln ./
COPY src/AlignmentHub.Domain/AlignmentHub.Domain.csproj                         src/AlignmentHub.Domain/
COPY src/AlignmentHub.Infrastructure/AlignmentHub.Infrastructure.csproj         src/AlignmentHub.Infrastructure/
COPY src/AlignmentHub.Migrations.Sqlite/AlignmentHub.Migrations.Sqlite.csproj   src/AlignmentHub.Migrations.Sqlite/
COPY src/AlignmentHub.Migrations.SqlServer/AlignmentHub.Migrations.SqlServer.csproj src/AlignmentHub.Migrations.SqlServer/
COPY src/AlignmentHub.Migrations.Postgres/AlignmentHub.Migrations.Postgres.csproj src/AlignmentHub.Migrations.Postgres/
COPY src/AlignmentHub.Web/AlignmentHub.Web.csproj                               src/AlignmentHub.Web/
COPY tests/AlignmentHub.UnitTests/AlignmentHub.UnitTests.csproj                 tests/AlignmentHub.UnitTests/
COPY tests/AlignmentHub.IntegrationTests/AlignmentHub.IntegrationTests.csproj   tests/AlignmentHub.IntegrationTests/
COPY tests/AlignmentHub.BrowserTests/AlignmentHub.BrowserTests.csproj           tests/AlignmentHub.BrowserTests/

# 2. Restore just the web project (and its project references). The test projects are not restored:
#    they would pull Playwright (~214 MB) and test SDKs into the build stage for nothing.
RUN dotnet restore src/AlignmentHub.Web/AlignmentHub.Web.csproj

# 3. Sources, then publish without restoring again.
COPY src/ src/
RUN dotnet publish src/AlignmentHub.Web/AlignmentHub.Web.csproj -c Release -o /app/publish --no-restore /p:UseAppHost=false

# ---------- runtime ----------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1
EXPOSE 8080

COPY --from=build /app/publish .

# Built-in non-root user of the official .NET images (app, UID 1654).
USER $APP_UID

# No HEALTHCHECK: the aspnet image has neither curl nor wget (dotnet/dotnet-docker#2379) and we do not add an
# HTTP client to the runtime image. The app exposes GET /health/live (process up) and GET /health/ready
# (database reachable); probe them from the orchestrator (Kubernetes httpGet, load balancer, uptime monitor).
#
# CMD (not ENTRYPOINT) so that compose can run the one-shot migration with
#   command: ["dotnet", "AlignmentHub.Web.dll", "migrate"]
CMD ["dotnet", "AlignmentHub.Web.dll"]
