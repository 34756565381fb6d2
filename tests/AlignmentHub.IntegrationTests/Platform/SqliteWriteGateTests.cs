using System.Collections.Concurrent;
using System.Data.Common;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Platform;

/// <summary>
/// The SQLite write gate: writers queue in arrival order without a thread each, and every way a transaction can end
/// lets the next one in (a leak would stop every write for the 30-second timeout). PostgreSQL has no gate.
/// </summary>
public sealed class SqliteWriteGateTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Writers_waiting_for_the_write_lock_get_it_in_the_order_they_asked()
    {
        if (!UsesGate())
        {
            return;
        }

        var order = new ConcurrentQueue<int>();
        await using var holderScope = factory.Services.CreateAsyncScope();
        var holder = holderScope.ServiceProvider.GetRequiredService<AppDbContext>();
        var held = await holder.Database.BeginTransactionAsync();

        var writers = new List<Task>();
        for (var i = 1; i <= 6; i++)
        {
            var number = i;
            writers.Add(Task.Run(() => WriteAsync(number, order)));
            await Task.Delay(150); // this writer is now queued behind the ones before it
            Assert.All(writers, w => Assert.False(w.IsCompleted, "A writer got in while another held the write lock."));
        }

        // Six writers wait behind the holder; when it commits they must go in the order they arrived.
        await held.CommitAsync();
        await held.DisposeAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1, 2, 3, 4, 5, 6], order.ToArray());
    }

    [Fact]
    public async Task Every_way_a_transaction_ends_lets_the_next_writer_in()
    {
        if (!UsesGate())
        {
            return;
        }

        await EndsAsync("commit", async db =>
        {
            await using var t = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Team(Demo.UniqueTitle("Gate commit"), null));
            await db.SaveChangesAsync();
            await t.CommitAsync();
        });
        await EndsAsync("rollback", async db =>
        {
            await using var t = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Team(Demo.UniqueTitle("Gate rollback"), null));
            await db.SaveChangesAsync();
            await t.RollbackAsync();
        });
        await EndsAsync("disposed without commit", async db =>
        {
            await using var t = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Team(Demo.UniqueTitle("Gate disposed"), null));
            await db.SaveChangesAsync();
        });
        await EndsAsync("a failed save, then disposed", async db =>
        {
            await using var t = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAnyAsync<DbException>(() =>
                db.Database.ExecuteSqlRawAsync("INSERT INTO Teams (Id, Name) VALUES (-1, NULL)")); // Name is NOT NULL
        });
        await EndsAsync("synchronous commit", db =>
        {
            using var t = db.Database.BeginTransaction();
            db.Teams.Add(new Team(Demo.UniqueTitle("Gate sync"), null));
            db.SaveChanges();
            t.Commit();
            return Task.CompletedTask;
        });
        await EndsAsync("a save in its own transaction", async db =>
        {
            db.Teams.Add(new Team(Demo.UniqueTitle("Gate save"), null));
            await db.SaveChangesAsync();
        });
        await EndsAsync("the context returned to the pool mid-transaction", async db =>
        {
            await db.Database.BeginTransactionAsync(); // never committed, rolled back or disposed by the caller
            db.Teams.Add(new Team(Demo.UniqueTitle("Gate abandoned"), null));
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task A_begin_that_fails_gives_the_gate_back_at_once()
    {
        if (!UsesGate())
        {
            return;
        }

        // A writer outside this process's gate (another tool on the same file) holds SQLite's write lock.
        await using var outsider = new SqliteConnection(factory.ConnectionString);
        await outsider.OpenAsync();
        await ExecuteAsync(outsider, "BEGIN IMMEDIATE");

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        connection.DefaultTimeout = 1; // the driver's busy retry gives up after 1 s instead of 30
        try
        {
            var failed = await Assert.ThrowsAsync<SqliteException>(() => db.Database.BeginTransactionAsync());
            Assert.Equal(5, failed.SqliteErrorCode); // SQLITE_BUSY
        }
        finally
        {
            connection.DefaultTimeout = 30;
            await ExecuteAsync(outsider, "ROLLBACK");
        }

        // The context that failed is still in use (its scope is open): the gate must already be free.
        await EndsAsync("a BEGIN that failed while its context stays in use", _ => Task.CompletedTask);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private bool UsesGate()
    {
        var gate = factory.Services.GetService<SqliteWriteGate>();
        if (factory.IsPostgres)
        {
            Assert.Null(gate); // row locks, not a database lock: nothing to queue for
            return false;
        }

        Assert.NotNull(gate);
        return true;
    }

    /// <summary>Runs <paramref name="use"/> in a scope of its own, then checks that another writer gets in at once.</summary>
    private async Task EndsAsync(string ending, Func<AppDbContext, Task> use)
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
        }

        var next = Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var t = await db.Database.BeginTransactionAsync();
            await t.CommitAsync();
        });
        var finished = await Task.WhenAny(next, Task.Delay(Prompt));
        Assert.True(finished == next, $"After a transaction ended by {ending}, the next writer still waited for the write gate.");
        await next;
    }

    private async Task WriteAsync(int number, ConcurrentQueue<int> order)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        order.Enqueue(number);
        db.Teams.Add(new Team(Demo.UniqueTitle($"Gate writer {number}"), null));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}

/// <summary>An app whose write gate gives up after half a second, so a test can keep the database busy past it.</summary>
public sealed class ImpatientWriteGateFactory : AlignmentHubFactory
{
    public static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(500);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (!IsPostgres)
        {
            builder.ConfigureServices(services => services.AddSingleton(new SqliteWriteGate(Patience)));
        }
    }
}

/// <summary>A write that cannot start because the database stays busy is answered 503 with Retry-After, and saves nothing.</summary>
public sealed class DatabaseBusyTests(ImpatientWriteGateFactory factory) : IClassFixture<ImpatientWriteGateFactory>
{
    [Fact]
    public async Task A_check_in_that_waits_past_the_gate_timeout_gets_503_with_retry_after_and_saves_nothing()
    {
        if (factory.IsPostgres)
        {
            Assert.Null(factory.Services.GetService<SqliteWriteGate>());
            return;
        }

        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Setup wizard completion rate");
        var objectiveUrl = $"/okrs/objectives/{kr.ObjectiveId}";
        var before = await factory.QueryAsync(db => db.CheckIns.CountAsync(c => c.KeyResultId == kr.Id));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var busy = await db.Database.BeginTransactionAsync(); // another write, holding the database

            var page = await client.PostFormAsync($"/okrs/key-results/{kr.Id}/check-ins", objectiveUrl,
                [new("Value", "1"), new("Confidence", "7"), new("Note", Demo.UniqueTitle("Busy"))]);

            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), page.Response.Headers.RetryAfter?.Delta);
            Assert.Contains("Too many changes are being saved right now", page.Html, StringComparison.Ordinal);
            Assert.Contains("Nothing was saved", page.Html, StringComparison.Ordinal);
        }

        Assert.Equal(before, await factory.QueryAsync(db => db.CheckIns.CountAsync(c => c.KeyResultId == kr.Id)));

        // Once the other write has finished, the same check-in goes through.
        var again = await client.PostFormAsync($"/okrs/key-results/{kr.Id}/check-ins", objectiveUrl,
            [new("Value", "1"), new("Confidence", "7"), new("Note", Demo.UniqueTitle("After busy"))]);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(before + 1, await factory.QueryAsync(db => db.CheckIns.CountAsync(c => c.KeyResultId == kr.Id)));
    }
}
