using System.Net;
using System.Text;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Alignment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Deleted;

internal static class DeletedTestData
{
    public static Task<int> ObjectiveIdAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(o => o.Title == title).Select(o => o.Id).SingleAsync());

    public static Task<Objective> DeletedAwareObjectiveAsync(this AlignmentHubFactory factory, int id) =>
        factory.QueryAsync(db => db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).AsNoTracking().Include(o => o.KeyResults).ThenInclude(k => k.CheckIns).SingleAsync(o => o.Id == id));

    public static Task<long> ItemVersionAsync(this AlignmentHubFactory factory, int id) =>
        factory.QueryAsync(db => db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(i => i.Id == id).Select(i => i.Version).SingleAsync());

    public static Task<long> ObjectiveVersionAsync(this AlignmentHubFactory factory, int id) =>
        factory.QueryAsync(db => db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(o => o.Id == id).Select(o => o.Version).SingleAsync());

    /// <summary>Moves the delete back in time (the 30 days are counted from DeletedAt).</summary>
    public static Task AgeObjectiveAsync(this AlignmentHubFactory factory, int id, DateTimeOffset deletedAt) =>
        factory.QueryAsync(db => db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.DeletedAt, deletedAt)));

    public static Task AgeItemAsync(this AlignmentHubFactory factory, int id, DateTimeOffset deletedAt) =>
        factory.QueryAsync(db => db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.DeletedAt, deletedAt)));

    /// <summary>The alignment graph every metric of the alignment page and dashboards is computed from.</summary>
    public static async Task<Domain.Alignment.AlignmentGraph> GraphAsync(this AlignmentHubFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AlignmentGraphLoader>().LoadAsync(Demo.ProductId, CancellationToken.None);
    }

    public static Dictionary<string, string> And(this Dictionary<string, string> fields, string name, string value)
    {
        fields[name] = value;
        return fields;
    }

    /// <summary>The text of every read page where an objective or item (or what hangs from it) could show.</summary>
    public static async Task<string> EverywhereAsync(this TestClient client, int teamId, params string[] extraUrls)
    {
        var urls = new[]
        {
            "/", "/okrs", $"/okrs?period={Demo.CurrentPeriodKey}&team={teamId}", "/roadmap?product=1", "/roadmap/list?product=1", "/roadmap/timeline?product=1",
            "/alignment?product=1", "/dashboards?product=1", $"/dashboards/teams/{teamId}?product=1", $"/teams/{teamId}/export",
        }.Concat(extraUrls);
        var text = new StringBuilder();
        foreach (var url in urls)
        {
            var page = await client.GetAsync(url);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{url}: {(int)page.StatusCode}");
            text.Append(url).Append(": ").AppendLine(page.Text);
        }

        var token = await client.GetTokenAsync($"/teams/{teamId}/export");
        foreach (var path in new[] { "export.json", "export.csv" })
        {
            using var content = new FormUrlEncodedContent([new(TestClient.TokenField, token)]);
            var response = await client.Http.PostAsync($"/teams/{teamId}/{path}", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text.Append(path).Append(": ").AppendLine(await ReadExportAsync(response));
        }

        return text.ToString();
    }

    private static async Task<string> ReadExportAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length > 1 && bytes[0] == 'P' && bytes[1] == 'K')
        {
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
            var all = new StringBuilder();
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                all.AppendLine(await reader.ReadToEndAsync());
            }

            return all.ToString();
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
