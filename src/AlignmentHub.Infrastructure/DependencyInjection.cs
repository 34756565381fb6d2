using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers <see cref="AppDbContext"/> on the provider named by <c>Database:Provider</c> (Sqlite by default), with
    /// that provider's migrations assembly and the audit interceptor.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = GetProvider(configuration);
        var connectionString = GetConnectionString(configuration, provider, contentRoot);
        // Pooled: a request takes a ready context instead of building one (and its EF service scope) every time. The
        // options, and so the interceptors, are therefore built once; per-use state lives in AppDbContext.Use.
        services.AddSingleton<ChangeCounterInterceptor>();
        services.AddSingleton<AuditingSaveChangesInterceptor>();
        services.AddSingleton<AuditTableGuard>();
        if (provider == DatabaseProvider.Sqlite)
        {
            services.AddSingleton(new SqliteWriteGate(TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(connectionString).DefaultTimeout)));
        }

        services.AddDbContextPool<AppDbContext>((sp, options) =>
        {
            _ = provider switch
            {
                DatabaseProvider.Sqlite => options.UseSqlite(connectionString, o => o.MigrationsAssembly("AlignmentHub.Migrations.Sqlite")),
                DatabaseProvider.SqlServer => options.UseSqlServer(connectionString, o => o.MigrationsAssembly("AlignmentHub.Migrations.SqlServer")),
                DatabaseProvider.Postgres => options.UseNpgsql(connectionString, o => o.MigrationsAssembly("AlignmentHub.Migrations.Postgres")),
                _ => throw new InvalidOperationException($"Unknown database provider {provider}."),
            };
            options.ReplaceService<IModelCacheKeyFactory, ProviderModelCacheKeyFactory>();
            options.AddInterceptors(sp.GetRequiredService<AuditingSaveChangesInterceptor>(), sp.GetRequiredService<ChangeCounterInterceptor>(), sp.GetRequiredService<AuditTableGuard>());
            if (provider == DatabaseProvider.Sqlite)
            {
                options.AddInterceptors(sp.GetRequiredService<SqliteWriteGate>());
                options.ReplaceService<IRelationalTransactionFactory, GatedTransactionFactory>();
            }
        });
        return services;
    }

    public static DatabaseProvider GetProvider(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider must be Sqlite, SqlServer or Postgres, not '{name}'.");
    }

    /// <summary>The connection string for the provider; a relative SQLite file is placed under the content root.</summary>
    public static string GetConnectionString(IConfiguration configuration, DatabaseProvider provider, string contentRoot)
    {
        var connectionString = configuration.GetConnectionString(provider.ToString());
        if (provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? "Data Source=App_Data/alignmenthub.db" : connectionString);
            if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource) && builder.Mode != SqliteOpenMode.Memory)
            {
                builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
            }

            if (builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            builder.Pooling = true;
            return builder.ToString();
        }

        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"Set ConnectionStrings:{provider} to use the {provider} provider.")
            : connectionString;
    }
}
