using System.Reflection;
using AlignmentHub.Domain.Common;

namespace AlignmentHub.UnitTests.Domain;

/// <summary>Entity ids are set by the database; tests that need distinct ids set them through reflection.</summary>
internal static class TestIds
{
    private static readonly PropertyInfo IdProperty =
        typeof(Entity).GetProperty(nameof(Entity.Id), BindingFlags.Instance | BindingFlags.Public)
        ?? throw new InvalidOperationException("Entity.Id not found.");

    public static T Set<T>(T entity, int id)
        where T : Entity
    {
        IdProperty.SetValue(entity, id);
        return entity;
    }
}

/// <summary>Fixed instants so that no test depends on the clock.</summary>
internal static class TestTime
{
    public static readonly DateTimeOffset T0 = new(2027, 1, 1, 9, 0, 0, TimeSpan.Zero);
}
