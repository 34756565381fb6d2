using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Alignment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Platform;

/// <summary>The in-memory read model is shared while nothing changes and read again after any committed change.</summary>
public sealed class ProductSnapshotCacheTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private async Task<ProductSnapshot> SnapshotAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AlignmentGraphLoader>().SnapshotAsync(Demo.ProductId, CancellationToken.None);
    }

    [Fact]
    public async Task Requests_share_one_snapshot_until_a_change_is_committed_then_see_the_change()
    {
        var first = await SnapshotAsync();
        Assert.Same(first, await SnapshotAsync());

        var title = Demo.UniqueTitle("Renamed item");
        int itemId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var item = await db.RoadmapItems.OrderBy(i => i.Id).FirstAsync(i => i.ProductId == Demo.ProductId);
            itemId = item.Id;
            item.Edit(title, item.Description, item.Kind, item.TeamId, item.OwnerId, item.ExternalKey);
            await db.SaveChangesAsync();
        }

        var second = await SnapshotAsync();
        Assert.NotSame(first, second);
        Assert.True(second.Stamp > first.Stamp);
        Assert.Equal(title, second.ItemsById[itemId].Title);
        Assert.Equal(title, second.Graph.Item(itemId)!.Title);
        Assert.Same(second, await SnapshotAsync());
    }

    [Fact]
    public async Task Inside_a_transaction_the_snapshot_is_read_afresh_and_not_shared()
    {
        var cached = await SnapshotAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var loader = scope.ServiceProvider.GetRequiredService<AlignmentGraphLoader>();
        var title = Demo.UniqueTitle("Uncommitted");
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var item = await db.RoadmapItems.OrderBy(i => i.Id).FirstAsync(i => i.ProductId == Demo.ProductId);
            item.Edit(title, item.Description, item.Kind, item.TeamId, item.OwnerId, item.ExternalKey);
            await db.SaveChangesAsync();

            var inside = await loader.SnapshotAsync(Demo.ProductId, CancellationToken.None);
            Assert.NotSame(cached, inside);
            Assert.Contains(inside.Items, i => i.Title == title);
            await transaction.RollbackAsync();
        }

        var after = await SnapshotAsync();
        Assert.DoesNotContain(after.Items, i => i.Title == title);
    }
}
