using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Platform;

/// <summary>
/// The change counter that in-memory read models compare against: one step per committed transaction that changed
/// business data, none for reads, rollbacks or saves with nothing to write.
/// </summary>
public sealed class ChangeCounterTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private Task<long> CounterAsync() => factory.QueryAsync(db => db.ChangeCounters.Select(c => c.Value).SingleAsync());

    private async Task WithContextAsync(Func<AppDbContext, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task A_committed_save_moves_the_counter_by_one_and_reads_do_not_move_it()
    {
        var before = await CounterAsync();
        await WithContextAsync(async db => await db.Teams.AsNoTracking().ToListAsync());
        Assert.Equal(before, await CounterAsync());

        await WithContextAsync(async db =>
        {
            db.Teams.Add(new Team(Demo.UniqueTitle("Counter team"), null));
            await db.SaveChangesAsync(); // the insert and, in a second save, its audit row: still one transaction
        });

        Assert.Equal(before + 1, await CounterAsync());
    }

    [Fact]
    public async Task An_explicit_transaction_with_two_saves_moves_it_once_and_a_rollback_not_at_all()
    {
        var before = await CounterAsync();
        await WithContextAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Team(Demo.UniqueTitle("First"), null));
            await db.SaveChangesAsync();
            db.Teams.Add(new Team(Demo.UniqueTitle("Second"), null));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });
        Assert.Equal(before + 1, await CounterAsync());

        var name = Demo.UniqueTitle("Rolled back");
        await WithContextAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Teams.Add(new Team(name, null));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });

        Assert.Equal(before + 1, await CounterAsync());
        Assert.False(await factory.QueryAsync(db => db.Teams.AnyAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task A_save_with_nothing_to_write_leaves_it_alone()
    {
        var before = await CounterAsync();
        await WithContextAsync(async db =>
        {
            var team = await db.Teams.OrderBy(t => t.Id).FirstAsync();
            team.Edit(team.Name, team.Mission); // same values: no change, no audit row
            await db.SaveChangesAsync();
        });

        Assert.Equal(before, await CounterAsync());
    }
}
