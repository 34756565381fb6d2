namespace AlignmentHub.Web.Infrastructure.Startup;

public sealed class LargeDataSeeder
{
    public Task SeedAsync(string[] args, CancellationToken cancellationToken) => throw new NotSupportedException("written next");
}
