using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Platform;

/// <summary>
/// The backup and restore drill (docs/operations.md): an online SQLite backup taken while writes run is consistent and
/// complete up to its moment, and restoring it brings a database back to exactly that content.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "alignmenthub-backup-" + Guid.NewGuid().ToString("N")[..8]);

    public BackupTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the system later.
        }
    }

    private static async Task<bool> RunAsync(AlignmentHubFactory factory, string command, params string[] args)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SqliteBackup>().RunAsync(command, [command, .. args], CancellationToken.None);
    }

    private static Task AddTeamAsync(AlignmentHubFactory factory, string name) => factory.QueryAsync(async db =>
    {
        db.Teams.Add(new Team(name, null));
        return await db.SaveChangesAsync();
    });

    private static async Task<List<string>> TeamNamesInFileAsync(string file)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options;
        await using var db = new AppDbContext(options);
        return await db.Teams.Select(t => t.Name).ToListAsync();
    }

    [Fact]
    public async Task Online_backup_during_writes_then_restore_brings_back_exactly_the_backed_up_data()
    {
        using var source = new AlignmentHubFactory();
        _ = source.Server;
        if (source.IsPostgres)
        {
            // PostgreSQL and SQL Server are backed up with the server's own tools: the command says so and does nothing.
            Assert.False(await RunAsync(source, "backup", "--to", Path.Combine(folder, "never.db")));
            Assert.False(File.Exists(Path.Combine(folder, "never.db")));
            return;
        }

        await AddTeamAsync(source, "Before the backup");

        // Writes keep running while the backup is taken.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await AddTeamAsync(source, $"During {written}");
                written++;
            }
        });
        while (written < 3)
        {
            await Task.Delay(10);
        }

        var backup = Path.Combine(folder, "backup.db");
        Assert.True(await RunAsync(source, "backup", "--to", backup));
        await stop.CancelAsync();
        await writer;
        await AddTeamAsync(source, "After the backup");

        Assert.Equal("ok", await SqliteBackup.IntegrityCheckAsync(backup, CancellationToken.None));
        var backedUp = await TeamNamesInFileAsync(backup);
        Assert.Contains("Before the backup", backedUp);
        Assert.DoesNotContain("After the backup", backedUp);
        var during = backedUp.Where(n => n.StartsWith("During ", StringComparison.Ordinal)).Select(n => int.Parse(n[7..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, during.Count), during); // a prefix of the writes: nothing torn, nothing skipped

        // Refuses to overwrite an existing file.
        Assert.False(await RunAsync(source, "backup", "--to", backup));

        // Restore into another instance's database: its own data goes, the backup's comes back.
        using var target = new AlignmentHubFactory();
        _ = target.Server;
        await AddTeamAsync(target, "Only in the target");
        Assert.True(await RunAsync(target, "restore", "--from", backup));

        var restored = await target.QueryAsync(db => db.Teams.Select(t => t.Name).ToListAsync());
        Assert.Equal(backedUp.Order(), restored.Order());
        Assert.DoesNotContain("Only in the target", restored);
        Assert.Empty(await target.QueryAsync(db => db.Database.GetPendingMigrationsAsync()));
        using var client = await TestClient.SignedInAsync(target, Demo.Admin);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/okrs")).StatusCode);

        // A damaged file is refused and nothing changes.
        var damaged = Path.Combine(folder, "damaged.db");
        await File.WriteAllBytesAsync(damaged, [.. (await File.ReadAllBytesAsync(backup)).Take(4096), .. new byte[8192]]);
        Assert.False(await RunAsync(target, "restore", "--from", damaged));
        Assert.Equal(restored.Order(), (await target.QueryAsync(db => db.Teams.Select(t => t.Name).ToListAsync())).Order());
    }
}
