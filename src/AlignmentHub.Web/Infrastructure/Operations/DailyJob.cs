namespace AlignmentHub.Web.Infrastructure.Operations;

/// <summary>
/// A clean-up that runs once a day on the app's <see cref="TimeProvider"/> (so tests can move time). The first run waits
/// <see cref="FirstRunDelay"/>: clean-ups are never urgent, and start-up, migrations and short-lived hosts (tests
/// counting their queries) are left alone. Every instance runs it, so the work must be idempotent. A failed run is
/// logged and tried again the next day: it may only keep rows longer, never remove them early.
/// </summary>
public abstract class DailyJob(TimeProvider clock, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan FirstRunDelay { get; }

    /// <summary>The job's name in log lines.</summary>
    protected abstract string Name { get; }

    /// <summary>One run, as the scheduler calls it.</summary>
    protected abstract Task RunScheduledAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRunDelay, Clock, stoppingToken);
            using var timer = new PeriodicTimer(Interval, Clock);
            do
            {
                try
                {
                    await RunScheduledAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Logger.LogError(ex, "{Job} failed; it runs again in {Interval}", Name, Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
