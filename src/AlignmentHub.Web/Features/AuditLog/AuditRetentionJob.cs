using System.Globalization;
using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Operations;

namespace AlignmentHub.Web.Features.AuditLog;

/// <summary>How long audit rows are kept: <c>Audit:RetentionDays</c>, at least 365 (checklist item 36), 400 by default.</summary>
public sealed class AuditLogOptions
{
    public const string Setting = "Audit:RetentionDays";

    public int RetentionDays { get; init; } = AuditRetention.DefaultDays;

    /// <summary>Reads the setting; a value under a year, or not a whole number, stops the app at start-up with this message.</summary>
    public static AuditLogOptions From(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new AuditLogOptions();
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days))
        {
            throw new InvalidOperationException($"{Setting} must be a whole number of days (at least {AuditRetention.MinimumDays}), not '{text}'.");
        }

        if (days < AuditRetention.MinimumDays)
        {
            throw new InvalidOperationException(
                $"{Setting} is {days}, but audit rows must be kept at least {AuditRetention.MinimumDays} days (a year, security checklist item 36). " +
                $"Set it to {AuditRetention.MinimumDays} or more, or remove it for the default of {AuditRetention.DefaultDays}.");
        }

        return new AuditLogOptions { RetentionDays = days };
    }
}

/// <summary>Once a day (<see cref="DailyJob"/>), deletes audit rows older than the retention period; the delete is idempotent.</summary>
public sealed class AuditRetentionJob(IServiceScopeFactory scopes, AuditLogOptions options, TimeProvider clock, ILogger<AuditRetentionJob> logger)
    : DailyJob(clock, logger)
{
    protected override TimeSpan FirstRunDelay => TimeSpan.FromMinutes(30);

    protected override string Name => "Audit retention";

    /// <summary>One purge: deletes what is older than now minus the retention period; returns how many rows went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var cutoff = Clock.GetUtcNow().AddDays(-options.RetentionDays);
        var deleted = await AuditRetention.DeleteOlderThanAsync(db, cutoff, options.RetentionDays, Clock, cancellationToken);
        Logger.LogInformation("Audit retention: deleted {Deleted} audit rows older than {Cutoff:o} ({RetentionDays} days)", deleted, cutoff, options.RetentionDays);
        return deleted;
    }

    protected override Task RunScheduledAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);
}

public static class AuditLogRegistration
{
    /// <summary>The retention setting (checked now, so a bad value stops start-up) and the daily purge.</summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(AuditLogOptions.From(configuration));
        services.AddSingleton<AuditRetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetentionJob>());
        return services;
    }
}
