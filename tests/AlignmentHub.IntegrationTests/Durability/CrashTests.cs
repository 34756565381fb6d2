using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace AlignmentHub.IntegrationTests.Durability;

/// <summary>
/// Security checklist F.28: the app runs as a child process (the built AlignmentHub.Web.dll, as in production) on a
/// SQLite file; several signed-in clients post check-ins, goals, objectives with three key results and roadmap items
/// through the real forms; at a random moment the process is killed with SIGKILL. After every kill the file passes
/// <c>PRAGMA integrity_check</c>, every write that was answered with a redirect (the app's "saved") is there, and every
/// write that is there is whole: an objective with all three key results, an audit row for each new row. Then the app
/// starts again on the same file and the next round begins, with the sessions signed in before the kill still valid.
/// </summary>
/// <remarks>
/// Rounds: ALIGNMENTHUB_CRASH_CYCLES (default 20). SQLite only: what is tested is the file the app leaves behind when
/// it dies (WAL journal); PostgreSQL and SQL Server have their own crash recovery. In the PostgreSQL pass of the suite
/// the test therefore runs on SQLite again, as in the SQLite pass.
/// </remarks>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "Crash-Test-Password-2027";
    private const int Writers = 4;

    private static readonly string[] CheckInKeyResults = ["Net revenue retention", "Monthly uptime", "Trial-to-paid conversion"];

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("alignmenthub-crash-");
    private readonly ConcurrentQueue<string> serverLog = new();
    private readonly ConcurrentDictionary<WriteKind, long[]> latency = new();

    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("ALIGNMENTHUB_CRASH_CYCLES"), out var n) && n > 0 ? n : 20;

    private string DatabasePath => Path.Combine(folder.FullName, "crash.db");

    [Fact]
    public async Task Killing_the_app_under_write_load_loses_no_acknowledged_write_and_leaves_no_half_write()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random();
        var acknowledged = new ConcurrentBag<Write>();
        var refused = new ConcurrentBag<Write>();
        var cookies = Enumerable.Range(0, Writers).Select(_ => new CookieContainer()).ToArray();
        var totals = new ConcurrentDictionary<string, int>();
        (int Id, int ObjectiveId, string Value)[]? keyResults = null;
        (int Team, int Goal)? ids = null;

        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            var round = Stopwatch.StartNew();
            var port = FreePort();
            using var app = Start(port);
            using var reaper = new Reaper(app); // a failed assertion must not leave the app running
            var site = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            await WaitUntilReadyAsync(app, site);
            var ready = round.Elapsed;
            keyResults ??= ReadKeyResults();
            ids ??= (ReadId("SELECT Id FROM Teams WHERE Name = 'Onboarding'"), ReadId("SELECT Id FROM Goals WHERE ProductId = 1 AND Rank = 1"));

            var clients = new TestClient[Writers];
            for (var w = 0; w < Writers; w++)
            {
                clients[w] = new TestClient(new HttpClient(new HttpClientHandler { CookieContainer = cookies[w], AllowAutoRedirect = false }) { BaseAddress = site });
                if (cycle == 1)
                {
                    var signIn = await clients[w].SignInAsync(Demo.Admin, Password);
                    Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)signIn.StatusCode}");
                }
            }

            // The sessions of the first round were saved before it was killed: they must still be good.
            var tokens = new string[Writers];
            for (var w = 0; w < Writers; w++)
            {
                var home = await clients[w].GetAsync("/");
                Assert.True(home.StatusCode == HttpStatusCode.OK, $"round {cycle}: writer {w} signed out after a restart ({(int)home.StatusCode} {home.Location})");
                tokens[w] = home.Document.QuerySelector($"input[name='{TestClient.TokenField}']")?.GetAttribute("value") ?? throw new InvalidOperationException("no token on the home page");
            }

            using var stop = new CancellationTokenSource();
            var firstAnswer = new TaskCompletionSource();
            var load = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteUntilKilledAsync(
                clients[w], tokens[w], cycle, w, keyResults, ids.Value, acknowledged, refused, totals, firstAnswer, stop.Token))).ToArray();

            // The kill comes at a random moment once the load is flowing (the first write of a round pays for warming up).
            await firstAnswer.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var loaded = round.Elapsed;
            var delay = random.Next(100, 1200);
            await Task.Delay(delay);
            app.Kill(); // SIGKILL: no shutdown, no flush, no finally blocks in the app
            await app.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(load);
            foreach (var client in clients)
            {
                client.Dispose();
            }

            Verify(cycle, acknowledged, refused);
            output.WriteLine($"round {cycle}: ready {ready.TotalSeconds:F1} s, load from {loaded.TotalSeconds:F1} s, killed {delay} ms later after {acknowledged.Count(a => a.Cycle == cycle)} acknowledged writes; file checked at {round.Elapsed.TotalSeconds:F1} s");
        }

        output.WriteLine($"{Cycles} rounds, {acknowledged.Count} acknowledged writes, {refused.Count} refused as conflicts ({string.Join(", ", refused.GroupBy(r => r.Kind).Select(g => $"{g.Key} {g.Count()}"))}) ({string.Join(", ", totals.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}"))}), {clock.Elapsed.TotalSeconds:F0} s");
        output.WriteLine("answer times (median ms): " + string.Join(", ", latency.OrderBy(l => l.Key).Select(l => $"{l.Key} {l.Value.Order().ElementAt(l.Value.Length / 2)}")));
        Assert.True(acknowledged.Count >= Cycles, "the load hardly wrote anything: the test proves little");
    }

    private async Task WriteUntilKilledAsync(TestClient client, string token, int cycle, int writer, (int Id, int ObjectiveId, string Value)[] keyResults,
        (int Team, int Goal) ids, ConcurrentBag<Write> acknowledged, ConcurrentBag<Write> refused, ConcurrentDictionary<string, int> totals, TaskCompletionSource firstAnswer, CancellationToken stop)
    {
        var random = new Random();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var marker = $"Crash {cycle}.{writer}.{n} {Guid.NewGuid().ToString("N")[..6]}";
            var kind = random.Next(10) switch { < 4 => WriteKind.CheckIn, < 6 => WriteKind.Goal, < 8 => WriteKind.Objective, _ => WriteKind.Item };
            var (url, fields) = Form(kind, marker, keyResults[random.Next(keyResults.Length)], ids);
            Page page;
            var sent = Stopwatch.StartNew();
            try
            {
                page = await client.PostWithTokenAsync(url, token, fields);
                latency.AddOrUpdate(kind, [sent.ElapsedMilliseconds], (_, l) => [.. l, sent.ElapsedMilliseconds]);
            }
            catch (HttpRequestException)
            {
                return; // the process is gone: this write may or may not have landed
            }
            catch (TaskCanceledException)
            {
                return;
            }

            firstAnswer.TrySetResult();
            if (page.StatusCode == HttpStatusCode.Redirect)
            {
                acknowledged.Add(new Write(cycle, kind, marker));
                totals.AddOrUpdate(kind.ToString(), 1, (_, c) => c + 1);
            }
            else if (page.StatusCode == HttpStatusCode.UnprocessableEntity && IsConflictNotice(page))
            {
                // Optimistic concurrency between the writers (two new goals re-rank the product at once): refused, and
                // the form says so. A refused write must leave nothing behind.
                refused.Add(new Write(cycle, kind, marker));
            }
            else
            {
                var messages = string.Join(" / ", page.Document.QuerySelectorAll(".alert, [data-valmsg-for]").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));
                throw new InvalidOperationException($"{kind} '{marker}' answered {(int)page.StatusCode}: {messages}");
            }
        }
    }

    private static bool IsConflictNotice(Page page) =>
        page.Document.QuerySelectorAll(".alert").Any(a => a.TextContent.Contains("changed", StringComparison.OrdinalIgnoreCase));

    private static (string Url, List<KeyValuePair<string, string>> Fields) Form(WriteKind kind, string marker, (int Id, int ObjectiveId, string Value) keyResult, (int Team, int Goal) ids) => kind switch
    {
        WriteKind.CheckIn => ($"/okrs/key-results/{keyResult.Id}/check-ins", [new("Value", keyResult.Value), new("Confidence", "7"), new("Note", marker)]),
        WriteKind.Goal => ($"/products/{Demo.ProductId}/goals/new", [new("Title", marker), new("Description", "Written under load."), new("SuccessMetric", "Survives a crash"), new("Horizon", "MidTerm")]),
        WriteKind.Item => ("/roadmap/items/new",
        [
            new("Title", marker), new("Description", "Written under load."), new("Kind", "Feature"), new("TeamId", ids.Team.Invariant()), new("OwnerId", string.Empty),
            new("Status", "Planned"), new("Horizon", "Next"), new("TargetPeriodKey", string.Empty), new("StartDate", string.Empty), new("EndDate", string.Empty),
            new("Effort", "3"), new("RiceReach", "100"), new("RiceImpact", "1"), new("RiceConfidence", "50"), new("ExternalKey", string.Empty), new("Why", string.Empty),
        ]),
        _ => ("/okrs/objectives/new", ObjectiveFields(marker, ids)),
    };

    private static List<KeyValuePair<string, string>> ObjectiveFields(string marker, (int Team, int Goal) ids)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Title", marker), new("Description", string.Empty), new("TeamId", ids.Team.Invariant()), new("Period", Demo.CurrentPeriodKey),
            new("AlignTo", "Goal"), new("GoalId", ids.Goal.Invariant()), new("ParentObjectiveId", string.Empty), new("OwnerId", string.Empty), new("Weight", "1"),
        };
        for (var k = 0; k < 3; k++)
        {
            var prefix = $"KeyResults[{k.Invariant()}].";
            fields.AddRange(
            [
                new(prefix + "KeyResultId", string.Empty), new(prefix + "Version", string.Empty), new(prefix + "Title", $"{marker} KR{k + 1}"),
                new(prefix + "MetricName", string.Empty), new(prefix + "MetricType", "Number"), new(prefix + "Direction", "Increase"),
                new(prefix + "Baseline", "10"), new(prefix + "Target", "20"), new(prefix + "BandLow", string.Empty), new(prefix + "BandHigh", string.Empty),
                new(prefix + "Unit", string.Empty), new(prefix + "CurrencyCode", string.Empty), new(prefix + "Weight", "1"), new(prefix + "CadenceDays", "14"),
            ]);
        }

        return fields;
    }

    /// <summary>Opens the file the killed process left (SQLite replays its WAL journal on open) and checks it.</summary>
    private void Verify(int cycle, IEnumerable<Write> acknowledged, IEnumerable<Write> refused)
    {
        using var db = Open();
        Assert.Equal("ok", Scalar<string>(db, "PRAGMA integrity_check"));

        var present = new Dictionary<WriteKind, HashSet<string>>
        {
            [WriteKind.CheckIn] = Strings(db, "SELECT Note FROM CheckIns WHERE Note LIKE 'Crash %'"),
            [WriteKind.Goal] = Strings(db, "SELECT Title FROM Goals WHERE Title LIKE 'Crash %'"),
            [WriteKind.Objective] = Strings(db, "SELECT Title FROM Objectives WHERE Title LIKE 'Crash %'"),
            [WriteKind.Item] = Strings(db, "SELECT Title FROM RoadmapItems WHERE Title LIKE 'Crash %'"),
        };
        var lost = acknowledged.Where(a => !present[a.Kind].Contains(a.Marker)).ToList();
        Assert.True(lost.Count == 0, $"round {cycle}: {lost.Count} acknowledged writes lost, e.g. {string.Join("; ", lost.Take(5))}");
        var kept = refused.Where(r => present[r.Kind].Contains(r.Marker)).ToList();
        Assert.True(kept.Count == 0, $"round {cycle}: {kept.Count} writes refused with the conflict notice were stored all the same, e.g. {string.Join("; ", kept.Take(5))}");

        // Whole or not at all, acknowledged or not: each objective has its three key results, each new row its audit row.
        var keyResultsPerObjective = Strings(db, "SELECT o.Title || '=' || (SELECT COUNT(*) FROM KeyResults k WHERE k.ObjectiveId = o.Id) FROM Objectives o WHERE o.Title LIKE 'Crash %'");
        Assert.All(keyResultsPerObjective, o => Assert.EndsWith("=3", o, StringComparison.Ordinal));
        foreach (var (entity, table, column) in new[]
        {
            ("CheckIn", "CheckIns", "Note"), ("Goal", "Goals", "Title"), ("Objective", "Objectives", "Title"), ("KeyResult", "KeyResults", "Title"), ("RoadmapItem", "RoadmapItems", "Title"),
        })
        {
            var unaudited = Strings(db, $"SELECT t.{column} FROM {table} t WHERE t.{column} LIKE 'Crash %' AND NOT EXISTS "
                + $"(SELECT 1 FROM AuditEntries a WHERE a.EntityType = '{entity}' AND a.Action = 'Created' AND a.EntityId = CAST(t.Id AS TEXT))");
            Assert.True(unaudited.Count == 0, $"round {cycle}: {entity} rows without their audit row: {string.Join("; ", unaudited.Take(5))}");
        }
    }

    private (int Id, int ObjectiveId, string Value)[] ReadKeyResults()
    {
        using var db = Open();
        var found = new List<(int, int, string)>();
        foreach (var title in CheckInKeyResults)
        {
            using var command = db.CreateCommand();
            command.CommandText = "SELECT Id, ObjectiveId, Baseline, Target FROM KeyResults WHERE Title = $title";
            command.Parameters.AddWithValue("$title", title);
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read(), $"demo key result '{title}' not found");
            var middle = (reader.GetDecimal(2) + reader.GetDecimal(3)) / 2;
            found.Add((reader.GetInt32(0), reader.GetInt32(1), middle.ToString(CultureInfo.InvariantCulture)));
        }

        return [.. found];
    }

    private int ReadId(string sql)
    {
        using var db = Open();
        return Convert.ToInt32(Scalar<object>(db, sql), CultureInfo.InvariantCulture);
    }

    private SqliteConnection Open()
    {
        // No pooling: the connection is really closed before the app starts again.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static T Scalar<T>(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    private static HashSet<string> Strings(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private Process Start(int port)
    {
        var app = WebApp.Locate();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(app)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { app, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" })
        {
            start.ArgumentList.Add(argument);
        }

        // The variables scripts/bench/pages.sh sets, on a file of this test's own.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={DatabasePath}";
        start.Environment["Database__MigrateOnStartup"] = "true";
        start.Environment["Seed__Demo"] = "true";
        start.Environment["Seed__DemoPassword"] = Password;
        start.Environment["Security__SignInAttemptsPerMinute"] = "10000";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Workstation GC: fewer threads and less memory for twenty short-lived processes on a small machine.
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        serverLog.Enqueue(line);
        while (serverLog.Count > 200 && serverLog.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync(Process app, Uri site)
    {
        using var http = new HttpClient { BaseAddress = site, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {app.ExitCode} while starting:\n{string.Join("\n", serverLog)}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The app did not become ready:\n{string.Join("\n", serverLog)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder clean-up; never fail a test on it.
        }
    }

    private sealed class Reaper(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }

    private enum WriteKind
    {
        CheckIn,
        Goal,
        Objective,
        Item,
    }

    private sealed record Write(int Cycle, WriteKind Kind, string Marker);
}

/// <summary>Where the build put the web app, next to this test assembly's build.</summary>
internal static class WebApp
{
    /// <summary>src/AlignmentHub.Web/bin/&lt;configuration&gt;/&lt;framework&gt;/AlignmentHub.Web.dll of the same configuration as the tests.</summary>
    public static string Locate()
    {
        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testFolder.Name;
        var configuration = testFolder.Parent!.Name;
        for (var folder = testFolder; folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "AlignmentHub.Web", "bin", configuration, framework, "AlignmentHub.Web.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"AlignmentHub.Web.dll ({configuration}/{framework}) not found above {testFolder.FullName}: build the solution first.");
    }
}
