using AlignmentHub.Domain.Auditing;
using AlignmentHub.IntegrationTests.Support;

namespace AlignmentHub.IntegrationTests.Security.Audit;

internal static class AuditTestData
{
    /// <summary>Adds audit rows straight to the database (new rows are allowed; only changes to existing ones are refused).</summary>
    public static Task AddAuditRowsAsync(this AlignmentHubFactory factory, params AuditEntry[] rows) => factory.QueryAsync(async db =>
    {
        db.AuditEntries.AddRange(rows);
        return await db.SaveChangesAsync();
    });

    public static AuditEntry Row(DateTimeOffset at, string? userId, string? userName, string type, string id, string action = "Updated", string? changes = null) =>
        new(at, userId, userName, type, id, action, changes ?? "{\"Title\":{\"before\":\"Old\",\"after\":\"New\"}}", "test-correlation");

    public static string UniqueId() => "9" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
