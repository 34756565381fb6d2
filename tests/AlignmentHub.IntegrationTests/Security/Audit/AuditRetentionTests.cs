using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.AuditLog;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static AlignmentHub.IntegrationTests.Security.Audit.AuditTestData;

namespace AlignmentHub.IntegrationTests.Security.Audit;

/// <summary>
/// Checklist items 35 (append-only, also for bulk SQL) and 36 (retention of at least a year): the retention job is
/// the one path that deletes audit rows, and only those past the retention period.
/// </summary>
public sealed class AuditRetentionTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_daily_job_deletes_rows_past_400_days_keeps_younger_ones_and_records_the_purge()
    {
        // A clock 30 days ahead of the real one: were the job to read the system clock, the 401-day row would stay.
        var now = DateTimeOffset.UtcNow.AddDays(30);
        var clock = new FixedClock(now);
        var (young, almost, old) = (UniqueId(), UniqueId(), UniqueId());
        await factory.AddAuditRowsAsync(
            Row(now.AddDays(-364), null, "system", "Goal", young),
            Row(now.AddDays(-399), null, "system", "Goal", almost),
            Row(now.AddDays(-401), null, "system", "Goal", old));
        var job = new AuditRetentionJob(factory.Services.GetRequiredService<IServiceScopeFactory>(), new AuditLogOptions { RetentionDays = 400 }, clock,
            NullLogger<AuditRetentionJob>.Instance);

        var deleted = await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        var left = await factory.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityId == young || a.EntityId == almost || a.EntityId == old).Select(a => a.EntityId).ToListAsync());
        Assert.Equal(new[] { almost, young }.Order(), left.Order());
        var purge = await factory.QueryAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal(("AuditLog", "Purged", "system"), (purge.EntityType, purge.Action, purge.UserName));
        Assert.InRange(purge.OccurredAt, now.AddMilliseconds(-1), now.AddMilliseconds(1)); // the job's clock, stored to 0.1 ms on SQLite
        Assert.Contains("\"deleted\":1", purge.Changes, StringComparison.Ordinal);

        // Nothing more is old enough on a second run the same day.
        Assert.Equal(0, await job.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Bulk_updates_and_deletes_of_audit_rows_are_refused_outside_the_retention_job()
    {
        var id = UniqueId();
        await factory.AddAuditRowsAsync(Row(DateTimeOffset.UtcNow.AddDays(-300), null, "system", "Goal", id));

        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.QueryAsync(db => db.AuditEntries.Where(a => a.EntityId == id).ExecuteDeleteAsync()));
        var update = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.QueryAsync(db =>
            db.AuditEntries.Where(a => a.EntityId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Action, "Tampered"))));
        var raw = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.QueryAsync(db =>
            db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"EntityId\" = {0}", id)));

        Assert.All([delete, update, raw], e => Assert.Equal(AuditTableGuard.AppendOnlyMessage, e.Message));
        var stored = await factory.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.EntityId == id));
        Assert.Equal("Updated", stored.Action);
    }

    [Fact]
    public async Task The_retention_path_itself_refuses_a_period_under_a_year()
    {
        var id = UniqueId();
        await factory.AddAuditRowsAsync(Row(DateTimeOffset.UtcNow.AddDays(-200), null, "system", "Goal", id));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => factory.QueryAsync(db =>
            AuditRetention.DeleteOlderThanAsync(db, DateTimeOffset.UtcNow.AddDays(-100), 100, TimeProvider.System, CancellationToken.None)));

        Assert.True(await factory.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == id)));
    }

    [Theory]
    [InlineData("364", "Audit:RetentionDays is 364, but audit rows must be kept at least 365 days")]
    [InlineData("-1", "Audit:RetentionDays is -1")]
    [InlineData("a year", "Audit:RetentionDays must be a whole number of days")]
    public void The_app_refuses_to_start_with_a_retention_under_a_year(string setting, string message)
    {
        using var app = factory.WithWebHostBuilder(b => b.UseSetting(AuditLogOptions.Setting, setting));

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_retention_is_400_days_by_default_and_a_longer_one_is_accepted()
    {
        using var longer = factory.WithWebHostBuilder(b => b.UseSetting(AuditLogOptions.Setting, "730"));

        Assert.Equal(400, factory.Services.GetRequiredService<AuditLogOptions>().RetentionDays);
        Assert.Equal(730, longer.Services.GetRequiredService<AuditLogOptions>().RetentionDays);
    }

    [Theory]
    [InlineData("DELETE FROM \"AuditEntries\" AS \"a\"\nWHERE \"a\".\"OccurredAt\" < @p", true, true)]
    [InlineData("UPDATE \"AuditEntries\" AS \"a\"\nSET \"Action\" = @p", true, false)]
    [InlineData("DELETE FROM [a]\nFROM [AuditEntries] AS [a]\nWHERE [a].[OccurredAt] < @p", true, true)]
    [InlineData("UPDATE [a]\nSET [a].[Action] = N'x'\nFROM [AuditEntries] AS [a]", true, false)]
    [InlineData("SET NOCOUNT ON;\nDELETE FROM [AuditEntries]\nOUTPUT 1\nWHERE [Id] = @p0;", true, true)]
    [InlineData("-- tagged\nTRUNCATE TABLE \"AuditEntries\"", true, false)]
    [InlineData("delete from auditentries where id = 1", true, true)]
    [InlineData("INSERT INTO \"AuditEntries\" (\"Action\") VALUES (@p0) RETURNING \"Id\";", false, true)]
    [InlineData("MERGE [AuditEntries] USING (VALUES (@p0)) AS i ON 1=0 WHEN NOT MATCHED THEN INSERT ([Action]) VALUES (i.[Action]);", false, true)]
    [InlineData("SELECT \"a\".\"Id\" FROM \"AuditEntries\" AS \"a\"", false, true)]
    [InlineData("UPDATE \"Goals\" SET \"Title\" = @p0 WHERE \"Id\" = @p1;\nINSERT INTO \"AuditEntries\" (\"Action\") VALUES (@p2);", false, true)]
    [InlineData("DELETE FROM \"AuditEntriesArchive\"", false, true)]
    public void The_guard_recognises_statements_that_change_audit_rows(string sql, bool changes, bool deleteOnly)
    {
        Assert.Equal(changes, AuditTableGuard.ChangesAuditRows(sql, out var onlyDeletes));
        if (changes)
        {
            Assert.Equal(deleteOnly, onlyDeletes);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

}
