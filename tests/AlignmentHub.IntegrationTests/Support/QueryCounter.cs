using System.Data.Common;
using System.Net;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>Counts the SQL commands (round trips) the application sends, and keeps their text for failure messages.</summary>
/// <remarks>
/// <see cref="Count"/> and <see cref="Commands"/> are every command. <see cref="FeatureCount"/> and <see cref="FeatureReads"/>
/// leave out the session, sign-in and key-ring bookkeeping that every request pays for (and that the security-stamp
/// check adds to once a minute), so that a test can compare two requests exactly.
/// </remarks>
public sealed class QueryCounter : DbCommandInterceptor
{
    private readonly List<string> commands = [];

    public int Count
    {
        get
        {
            lock (commands)
            {
                return commands.Count;
            }
        }
    }

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (commands)
            {
                return [.. commands];
            }
        }
    }

    /// <summary>The commands of the feature itself: <see cref="Commands"/> without <see cref="IsBookkeeping"/> ones.</summary>
    public IReadOnlyList<string> FeatureCommands => [.. Commands.Where(c => !IsBookkeeping(c))];

    public int FeatureCount => FeatureCommands.Count;

    /// <summary>The reads among <see cref="FeatureCommands"/>: what a save writes grows with what it saves, its reads must not.</summary>
    public int FeatureReads => FeatureCommands.Count(c => c.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase));

    /// <summary>Session, sign-in and data-protection key commands, which are not what a page's query count measures.</summary>
    public static bool IsBookkeeping(string commandText) =>
        commandText.Contains("UserSessions", StringComparison.Ordinal)
        || commandText.Contains("AspNet", StringComparison.Ordinal)
        || commandText.Contains("DataProtectionKeys", StringComparison.Ordinal);

    public void Reset()
    {
        lock (commands)
        {
            commands.Clear();
        }
    }

    /// <summary>Runs <paramref name="action"/> and returns the commands sent meanwhile.</summary>
    public async Task<IReadOnlyList<string>> CountAsync(Func<Task> action)
    {
        Reset();
        await action();
        return Commands;
    }

    /// <summary>
    /// GETs <paramref name="url"/> twice, both answering 200, and counts only the second request: the first pays for
    /// first-request work (caches, compiled queries, a product snapshot to read again) that is not what is measured.
    /// </summary>
    public async Task<Page> MeasureGetAsync(TestClient client, string url)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
        Reset();
        var page = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return page;
    }

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        lock (commands)
        {
            commands.Add(result.CommandText);
        }

        return result;
    }
}

/// <summary>The application with a <see cref="QueryCounter"/> on its DbContext.</summary>
public class QueryCountingFactory : AlignmentHubFactory
{
    public QueryCounter Counter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddDbContextInterceptor(Counter));
    }
}

public static class DbContextInterceptors
{
    /// <summary>Adds <paramref name="interceptor"/> to the app's DbContext.</summary>
    public static IServiceCollection AddDbContextInterceptor(this IServiceCollection services, IInterceptor interceptor) =>
        services.ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(interceptor));

    /// <summary>
    /// The same application on the same database with <paramref name="interceptor"/> on its DbContext: a second host,
    /// so that the class fixture's other tests run without it.
    /// </summary>
    public static WebApplicationFactory<Program> WithDbContextInterceptor(this AlignmentHubFactory factory, IInterceptor interceptor) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddDbContextInterceptor(interceptor)));
}
