using AlignmentHub.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Operations;

/// <summary>
/// The <c>backup</c> and <c>restore</c> commands for the SQLite provider (docs/operations.md).
/// <c>backup --to FILE</c> uses SQLite's online backup API, so it runs while the app keeps serving and writing: it
/// copies a consistent snapshot page by page and restarts when a write changes a page already copied. The copy is
/// then checked with <c>PRAGMA integrity_check</c>. <c>restore --from FILE</c> checks the file the same way and then
/// copies it over the configured database with the same API; run it with the app stopped.
/// </summary>
public sealed class SqliteBackup(AppDbContext db, ILogger<SqliteBackup> logger)
{
    public async Task<bool> RunAsync(string command, string[] args, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            logger.LogError("{Command}: only for the SQLite provider. For SQL Server and PostgreSQL use the server's own backups (docs/operations.md).", command);
            return false;
        }

        var option = command == "backup" ? "--to" : "--from";
        var path = ValueOf(args, option);
        if (string.IsNullOrWhiteSpace(path))
        {
            logger.LogError("{Command}: give the file with {Option} FILE.", command, option);
            return false;
        }

        path = Path.GetFullPath(path);
        var live = db.Database.GetConnectionString()!;
        if (command == "backup")
        {
            if (File.Exists(path))
            {
                logger.LogError("backup: {Path} exists already; choose a new file name.", path);
                return false;
            }

            await BackupAsync(live, path, cancellationToken);
            var check = await IntegrityCheckAsync(path, cancellationToken);
            if (check != "ok")
            {
                logger.LogError("backup: the copy at {Path} failed its integrity check: {Check}", path, check);
                return false;
            }

            logger.LogInformation("backup: wrote {Path} ({Bytes:N0} bytes); integrity check ok.", path, new FileInfo(path).Length);
            return true;
        }

        if (!File.Exists(path))
        {
            logger.LogError("restore: {Path} does not exist.", path);
            return false;
        }

        var source = await IntegrityCheckAsync(path, cancellationToken);
        if (source != "ok")
        {
            logger.LogError("restore: {Path} failed its integrity check ({Check}); nothing was changed.", path, source);
            return false;
        }

        await BackupAsync($"Data Source={path};Mode=ReadOnly", live, cancellationToken, intoConnectionString: true);
        logger.LogInformation("restore: the database now holds the contents of {Path}.", path);
        return true;
    }

    /// <summary>Copies the database at <paramref name="from"/> (a connection string) to <paramref name="to"/> (a file, or a connection string).</summary>
    public static async Task BackupAsync(string from, string to, CancellationToken cancellationToken, bool intoConnectionString = false)
    {
        await using var source = new SqliteConnection(from);
        await source.OpenAsync(cancellationToken);
        await using var destination = new SqliteConnection(intoConnectionString ? to : new SqliteConnectionStringBuilder { DataSource = to, Pooling = false }.ToString());
        await destination.OpenAsync(cancellationToken);
        source.BackupDatabase(destination);
    }

    /// <summary>"ok" when the file passes <c>PRAGMA integrity_check</c>, else SQLite's first complaint.</summary>
    public static async Task<string> IntegrityCheckAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            return (await command.ExecuteScalarAsync(cancellationToken))?.ToString() ?? "no answer";
        }
        catch (SqliteException ex)
        {
            // Not a database at all, or damaged beyond what integrity_check can report.
            return ex.Message;
        }
    }

    private static string? ValueOf(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
