using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Startup;

/// <summary>
/// Start-up database work: migrations (automatically in Development, by the explicit <c>migrate</c> command in
/// production), the four roles, and the demo product when asked for.
/// </summary>
public sealed class DatabaseInitializer(
    AppDbContext db,
    RoleManager<IdentityRole> roleManager,
    DemoDataSeeder demoSeeder,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>Returns false when the application must not start (database not migrated).</summary>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Database:MigrateOnStartup", false))
        {
            await MigrateAsync(cancellationToken);
        }
        else
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogCritical(
                    "The database is missing {Count} migration(s) ({Migrations}). Run `dotnet AlignmentHub.Web.dll migrate` first, or set Database:MigrateOnStartup=true.",
                    pending.Count, string.Join(", ", pending));
                return false;
            }
        }

        await EnsureRolesAsync();
        if (configuration.GetValue("Seed:Demo", false))
        {
            if (configuration.GetValue("Seed:DemoAdminOnly", false))
            {
                // An empty database with only the demo administrator: the target of an import (tests, trials).
                await demoSeeder.SeedAdminIfEmptyAsync(cancellationToken);
            }
            else
            {
                await demoSeeder.SeedIfEmptyAsync(cancellationToken);
            }
        }

        return true;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers work while one writer commits; the setting persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await EnsureRolesAsync();
        logger.LogInformation("Database migrated ({Provider}).", db.Database.ProviderName);
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                await roleManager.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
