using System.Data.Common;
using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Alignment;
using AlignmentHub.IntegrationTests.Okrs;
using AlignmentHub.IntegrationTests.RoadmapItems;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.Impact;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlignmentHub.IntegrationTests.Security.Audit;

/// <summary>
/// Checklist item 34 over a representative set of mutating endpoints: each successful POST leaves audit rows with the
/// actor, a UTC time, the entity type and id, the before/after values and one correlation id for the request; and
/// when any one of the save's write commands fails (a <see cref="DbCommandInterceptor"/> fails the n-th), neither
/// the data nor an audit row of it remains.
/// </summary>
public sealed class MutationAuditTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    /// <summary>One mutation: who does it, what its audit rows must name, and how to do it once more (a fresh form each time).</summary>
    private sealed record Mutation(string User, string[] EntityTypes, Func<AlignmentHubFactory, TestClient, Task<Func<Task<Page>>>> Prepare);

    private static readonly Dictionary<string, Mutation> Mutations = new()
    {
        ["goal create"] = new(Demo.ProductManager, ["Goal", "Product"], async (_, client) =>
        {
            const string url = "/products/1/goals/new";
            var token = await client.GetTokenAsync(url);
            return () => client.PostWithTokenAsync(url, token, [new("Title", Demo.UniqueTitle("Audited goal")), new("Horizon", "ShortTerm"), new("Rank", "1")]);
        }),
        ["goal edit"] = new(Demo.ProductManager, ["Goal"], async (f, client) =>
        {
            var goal = (await f.RankedGoalsAsync())[1];
            var url = $"/products/1/goals/{goal.Id}/edit";
            var (token, fields) = HtmlForms.FormOf(await client.GetAsync(url), url);
            return () => client.PostWithTokenAsync(url, token, fields.Set("Title", Demo.UniqueTitle("Edited goal")));
        }),
        ["vision revise"] = new(Demo.ProductManager, ["VisionVersion"], async (_, client) =>
        {
            const string url = "/products/1/vision/edit";
            var (token, fields) = HtmlForms.FormOf(await client.GetAsync(url), url);
            var text = fields.Get("Text") + "\n\nAudited revision " + Guid.NewGuid().ToString("N")[..8];
            return () => client.PostWithTokenAsync(url, token, fields.Set("Text", text).Set("Reason", "Audit test"));
        }),
        ["objective create with key results"] = new(Demo.Member, ["Objective", "KeyResult"], async (f, client) =>
        {
            const string url = "/okrs/objectives/new";
            var token = await client.GetTokenAsync(url);
            var fields = ObjectiveFields(Demo.UniqueTitle("Audited objective"), await f.TeamIdAsync("Onboarding"), ObjectiveEditingData.CurrentKey, await f.GoalIdAsync(2));
            fields.AddRange(KeyResultRow(0, "Accounts active in week one"));
            fields.AddRange(KeyResultRow(1, "Trials converted"));
            return () => client.PostWithTokenAsync(url, token, fields);
        }),
        // The key result's current value is a column derived from its check-ins (set by one UPDATE in the same transaction,
        // so that parallel check-ins cannot lose one): the audited fact is the check-in row with its value.
        ["check-in"] = new(Demo.Member, ["CheckIn"], async (f, client) =>
        {
            var (objectiveId, krs) = await f.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Checked-in objective"), await f.GoalIdAsync(2), AlignmentTestData.Kr("Weekly activations"));
            var token = await client.GetTokenAsync($"/okrs/objectives/{objectiveId}");
            return () => client.PostWithTokenAsync($"/okrs/key-results/{krs[0]}/check-ins", token, [new("Value", "12"), new("Confidence", "7"), new("Note", "Audited check-in")]);
        }),
        ["item create"] = new(Demo.ProductManager, ["RoadmapItem"], async (f, client) =>
        {
            var token = await client.GetTokenAsync(ItemTestData.NewUrl);
            var fields = ItemTestData.ValidFields(Demo.UniqueTitle("Audited item"), await f.TeamIdAsync("Platform"));
            return () => client.PostWithTokenAsync(ItemTestData.NewUrl, token, fields);
        }),
        ["item edit"] = new(Demo.ProductManager, ["RoadmapItem"], async (f, client) =>
        {
            var id = await f.ArrangeItemAsync("Platform", Demo.UniqueTitle("Item to edit"));
            var url = ItemTestData.ItemUrl(id) + "/edit";
            var (token, fields) = HtmlForms.FormOf(await client.GetAsync(url), url);
            return () => client.PostWithTokenAsync(url, token, fields.Set("Title", Demo.UniqueTitle("Edited item")).Set("Effort", "8"));
        }),
        ["item move"] = new(Demo.ProductManager, ["RoadmapItem"], async (f, client) =>
        {
            var id = await f.ArrangeItemAsync("Platform", Demo.UniqueTitle("Item to move"));
            var version = (await f.ItemAsync(id)).Version;
            var token = await client.GetTokenAsync("/roadmap");
            return () => client.PostWithTokenAsync($"/roadmap/items/{id}/move", token,
                [new("Horizon", "Later"), new("BeforeItemId", string.Empty), new("Version", version.Invariant()), new("returnQuery", string.Empty)]);
        }),
        ["bulk re-link"] = new(Demo.ProductManager, ["RoadmapLink"], async (f, client) =>
        {
            var first = await f.ArrangeItemAsync("Platform", Demo.UniqueTitle("Orphan A"), 2m);
            var second = await f.ArrangeItemAsync("Growth", Demo.UniqueTitle("Orphan B"), 3m);
            var kr = await f.KeyResultIdAsync("Monthly uptime");
            var token = await client.GetTokenAsync("/alignment");
            return () => client.PostWithTokenAsync("/alignment/relink", token,
                [new("ProductId", "1"), new("Team", string.Empty), new("Page", "1"), new("Target", $"kr:{kr}"), new("ItemIds", first.Invariant()), new("ItemIds", second.Invariant())]);
        }),
        // "Drop" for the items serving the retired objective drops them (status), so both show in the audit.
        ["impact apply (retire an objective)"] = new(Demo.Admin, ["Objective", "RoadmapItem"], async (f, client) =>
        {
            var (objectiveId, _) = await f.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Objective to retire"), await f.GoalIdAsync(1), AlignmentTestData.Kr("Retired measure"));
            await f.ArrangeItemAsync("Platform", Demo.UniqueTitle("Item served"), (LinkTargetType.Objective, objectiveId));
            var url = $"/okrs/objectives/{objectiveId}/retire";
            var form = HtmlForms.Form((await client.GetAsync(url)).Document, url);
            form["Reason"] = "No longer pursued.";
            form["ItemChoice"] = RetireCommand.Drop;
            return () => client.PostRawAsync(url, form);
        }),
    };

    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var name in Mutations.Keys)
            {
                names.Add(name);
            }

            return names;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_mutation_writes_full_audit_rows_in_its_own_transaction_and_a_failed_write_leaves_nothing(string name)
    {
        var mutation = Mutations[name];
        var faults = new FailNthWrite();
        using var host = factory.WithDbContextInterceptor(faults);
        using var client = await TestClient.SignedInAsync(host, mutation.User);
        var userId = await factory.UserIdAsync(mutation.User);

        // 1. It succeeds: count its write commands, check its audit rows.
        var post = await mutation.Prepare(factory, client);
        var lastAudit = await factory.MaxAuditIdAsync();
        var started = DateTimeOffset.UtcNow;
        faults.Arm(failAt: 0);
        var done = await post();
        var writes = faults.Disarm();

        Assert.True(done.StatusCode == HttpStatusCode.Redirect, $"{name}: {(int)done.StatusCode} {done.Document.QuerySelector(".validation-summary-errors, .alert-danger")?.TextContent}");
        var rows = await factory.AuditAfterAsync(lastAudit);
        Assert.NotEmpty(rows);
        Assert.All(mutation.EntityTypes, type => Assert.True(rows.Any(r => r.EntityType == type),
            $"{name}: no {type} row among {string.Join(", ", rows.Select(r => $"{r.EntityType} {r.Action}"))}"));
        Assert.All(rows, row =>
        {
            Assert.Equal((mutation.User, userId), (row.UserName, row.UserId));
            Assert.Equal(TimeSpan.Zero, row.OccurredAt.Offset);
            Assert.InRange(row.OccurredAt, started.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
            Assert.False(string.IsNullOrWhiteSpace(row.EntityId));
            Assert.Contains(row.Action, new[] { "Created", "Updated", "Deleted" });
            using var changes = JsonDocument.Parse(row.Changes);
            Assert.Equal(JsonValueKind.Object, changes.RootElement.ValueKind);
            Assert.NotEmpty(changes.RootElement.EnumerateObject());
            if (row.Action == "Updated")
            {
                Assert.All(changes.RootElement.EnumerateObject(), p => Assert.True(p.Value.TryGetProperty("before", out _) && p.Value.TryGetProperty("after", out _), $"{row.EntityType}.{p.Name}"));
            }
        });
        Assert.False(string.IsNullOrEmpty(rows[0].CorrelationId));
        Assert.Single(rows.Select(r => r.CorrelationId).Distinct());
        Assert.True(writes >= 2, $"{name}: only {writes} write commands seen");

        // 2. Fail each of its write commands in turn: nothing of it, and no audit row, may remain.
        for (var n = 1; n <= writes; n++)
        {
            var again = await mutation.Prepare(factory, client);
            var before = await FingerprintAsync();
            faults.Arm(failAt: n);
            var failed = await again();
            var seen = faults.Disarm();

            Assert.True(seen >= n, $"{name}: the request stopped before write {n} (saw {seen})");
            Assert.NotEqual(HttpStatusCode.Redirect, failed.StatusCode);
            Assert.Equal(before, await FingerprintAsync());
        }
    }

    /// <summary>Row counts, the sum of every version (each update bumps one), the change counter and the last audit id.</summary>
    private Task<string> FingerprintAsync() => factory.QueryAsync(async db =>
    {
        var counts = new[]
        {
            await db.Goals.CountAsync(), await db.Objectives.CountAsync(), await db.KeyResults.CountAsync(), await db.CheckIns.CountAsync(),
            await db.RoadmapItems.CountAsync(), await db.RoadmapLinks.CountAsync(), await db.ItemDependencies.CountAsync(), await db.VisionVersions.CountAsync(),
            await db.Periods.CountAsync(),
        };
        var versions = (await db.Goals.Select(g => g.Version).ToListAsync()).Sum() + (await db.Products.Select(p => p.Version).ToListAsync()).Sum()
            + (await db.Visions.Select(v => v.Version).ToListAsync()).Sum() + (await db.Objectives.Select(o => o.Version).ToListAsync()).Sum()
            + (await db.KeyResults.Select(k => k.Version).ToListAsync()).Sum() + (await db.RoadmapItems.Select(i => i.Version).ToListAsync()).Sum();
        var counter = (await db.ChangeCounters.Select(c => c.Value).ToListAsync()).Sum();
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        return $"{string.Join(",", counts)} v{versions} c{counter} a{audit}";
    });

    private static List<KeyValuePair<string, string>> ObjectiveFields(string title, int teamId, string period, int goalId) =>
    [
        new("Title", title), new("Description", string.Empty), new("TeamId", teamId.Invariant()), new("Period", period), new("AlignTo", "Goal"),
        new("GoalId", goalId.Invariant()), new("ParentObjectiveId", string.Empty), new("OwnerId", string.Empty), new("Weight", "1"),
    ];

    private static List<KeyValuePair<string, string>> KeyResultRow(int index, string title)
    {
        var prefix = $"KeyResults[{index}].";
        return
        [
            new(prefix + "KeyResultId", string.Empty), new(prefix + "Version", string.Empty), new(prefix + "Title", title), new(prefix + "MetricName", string.Empty),
            new(prefix + "MetricType", "Number"), new(prefix + "Direction", "Increase"), new(prefix + "Baseline", "10"), new(prefix + "Target", "20"),
            new(prefix + "BandLow", string.Empty), new(prefix + "BandHigh", string.Empty), new(prefix + "Unit", string.Empty), new(prefix + "CurrencyCode", string.Empty),
            new(prefix + "Weight", "1"), new(prefix + "CadenceDays", "14"),
        ];
    }

    /// <summary>Counts the feature's write commands while armed, and fails the n-th (0: none).</summary>
    private sealed class FailNthWrite : DbCommandInterceptor
    {
        private int failAt;
        private int writes;
        private volatile bool armed;

        public void Arm(int failAt)
        {
            this.failAt = failAt;
            Interlocked.Exchange(ref writes, 0);
            armed = true;
        }

        public int Disarm()
        {
            armed = false;
            return Volatile.Read(ref writes);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Count(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Count(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        private void Count(DbCommand command)
        {
            if (!armed || !IsWrite(command.CommandText))
            {
                return;
            }

            if (Interlocked.Increment(ref writes) == failAt)
            {
                throw new InvalidOperationException($"Injected failure of write command {failAt}.");
            }
        }

        private static bool IsWrite(string sql)
        {
            if (QueryCounter.IsBookkeeping(sql))
            {
                return false; // sessions, sign-in and key ring: not the feature's save
            }

            var first = string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).TrimStart();
            return first.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || first.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                || first.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || first.StartsWith("MERGE", StringComparison.OrdinalIgnoreCase);
        }
    }
}
