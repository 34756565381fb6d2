using System.Net;
using AlignmentHub.Web.Infrastructure.Startup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>
/// Hosts the real application on a database of its own: a temporary SQLite file by default, or a fresh PostgreSQL
/// database when <c>ALIGNMENTHUB_TEST_POSTGRES</c> holds a server connection string (the test command sets it).
/// The app migrates and seeds the demo product itself, exactly as on a first run.
/// </summary>
public class AlignmentHubFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Test-Demo-Password-2027";
    public const string PostgresVariable = "ALIGNMENTHUB_TEST_POSTGRES";

    private readonly string? postgresServer = Environment.GetEnvironmentVariable(PostgresVariable);
    private readonly string databaseName = "ah_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string sqliteFolder = Path.Combine(Path.GetTempPath(), "alignmenthub-tests", Guid.NewGuid().ToString("N"));
    private readonly bool useKestrel;

    public AlignmentHubFactory()
        : this(useKestrel: false)
    {
    }

    protected AlignmentHubFactory(bool useKestrel)
    {
        this.useKestrel = useKestrel;
        if (useKestrel)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    public bool IsPostgres => !string.IsNullOrEmpty(postgresServer);

    public string ProviderName => IsPostgres ? "Postgres" : "Sqlite";

    public string ConnectionString => IsPostgres
        ? new NpgsqlConnectionStringBuilder(postgresServer) { Database = databaseName }.ConnectionString
        : $"Data Source={Path.Combine(sqliteFolder, "alignmenthub.db")}";

    /// <summary>Sign-in attempts allowed per minute; tests of the limiter lower it.</summary>
    public int SignInAttemptsPerMinute { get; init; } = 10_000;

    /// <summary>The base address of the real Kestrel server (browser tests).</summary>
    public Uri ServerAddress
    {
        get
        {
            if (!useKestrel)
            {
                throw new InvalidOperationException("Create the factory with Kestrel to get a server address.");
            }

            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }

    public static IEnumerable<(string Email, string Role)> DemoUsers =>
        DemoDataSeeder.Users.Select(u => (u.Email, u.Role));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (!IsPostgres)
        {
            Directory.CreateDirectory(sqliteFolder);
        }

        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", ProviderName);
        builder.UseSetting($"ConnectionStrings:{ProviderName}", ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Seed:Demo", "true");
        builder.UseSetting("Seed:DemoPassword", DemoPassword);
        builder.UseSetting("Security:SignInAttemptsPerMinute", SignInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        if (IsPostgres)
        {
            DropPostgresDatabase();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(sqliteFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is removed with the temp folder later; never fail a test on clean-up.
            }
        }
    }

    /// <summary>
    /// Drops this fixture's database. Other fixtures create and drop databases at the same moment on a server with
    /// 100 connection slots, so one attempt can meet "too many clients" or a backend still starting on the database;
    /// it is retried, and a database that still will not go is left to the throwaway cluster (the test command deletes
    /// it) with a warning, rather than failing a test class that passed.
    /// </summary>
    private void DropPostgresDatabase()
    {
        NpgsqlConnection.ClearAllPools();
        var server = new NpgsqlConnectionStringBuilder(postgresServer) { Database = "postgres", Pooling = false }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = new NpgsqlConnection(server);
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
                return;
            }
            catch (NpgsqlException e) when (attempt < 5)
            {
                Console.Error.WriteLine($"Dropping test database {databaseName}, attempt {attempt}: {e.Message}");
                Thread.Sleep(TimeSpan.FromMilliseconds(250 * attempt));
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"WARNING: test database {databaseName} left to the throwaway cluster: {e.Message}");
                return;
            }
        }
    }
}

/// <summary>The application on a real socket (127.0.0.1, random port), for Playwright.</summary>
public sealed class KestrelAlignmentHubFactory : AlignmentHubFactory
{
    public KestrelAlignmentHubFactory()
        : base(useKestrel: true)
    {
    }
}

/// <summary>The application on an empty database: migrated, the demo administrator only (no product, team or other user).</summary>
public sealed class EmptyAlignmentHubFactory : AlignmentHubFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Seed:DemoAdminOnly", "true");
    }
}
