using System.Data.Common;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>Counts the SQL commands (round trips) the application sends, and keeps their text for failure messages.</summary>
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
public sealed class QueryCountingFactory : AlignmentHubFactory
{
    public QueryCounter Counter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(Counter)));
    }
}
