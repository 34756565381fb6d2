using AlignmentHub.Domain.Auditing;
using AlignmentHub.Domain.Collaboration;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Reviews;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>The one DbContext: domain tables, Identity tables and the Data Protection key ring.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    private ContextUse? use;

    /// <summary>State of the current use of this (pooled) context: see <see cref="ContextUse"/>.</summary>
    public ContextUse Use => use is { } current && current.Lease == ContextId.Lease ? current : use = new ContextUse(ContextId.Lease);

    /// <summary>
    /// The <see cref="SqliteWriteGate"/>'s hold for the transaction being started, handed to its
    /// <see cref="GatedTransaction"/> as EF wraps it.
    /// </summary>
    internal WriteGateLease? PendingWriteGateLease { get; set; }

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Vision> Visions => Set<Vision>();

    public DbSet<VisionVersion> VisionVersions => Set<VisionVersion>();

    public DbSet<Goal> Goals => Set<Goal>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();

    public DbSet<ProductManagerAssignment> ProductManagers => Set<ProductManagerAssignment>();

    public DbSet<Period> Periods => Set<Period>();

    public DbSet<Objective> Objectives => Set<Objective>();

    public DbSet<KeyResult> KeyResults => Set<KeyResult>();

    public DbSet<CheckIn> CheckIns => Set<CheckIn>();

    public DbSet<RoadmapItem> RoadmapItems => Set<RoadmapItem>();

    public DbSet<RoadmapLink> RoadmapLinks => Set<RoadmapLink>();

    public DbSet<ItemDependency> ItemDependencies => Set<ItemDependency>();

    public DbSet<CustomerEvidence> CustomerEvidence => Set<CustomerEvidence>();

    public DbSet<Comment> Comments => Set<Comment>();

    public DbSet<AlignmentReview> AlignmentReviews => Set<AlignmentReview>();

    public DbSet<ReviewDecision> ReviewDecisions => Set<ReviewDecision>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<ChangeCounter> ChangeCounters => Set<ChangeCounter>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        foreach (var entityType in builder.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)))
        {
            // Application-managed optimistic concurrency token, portable across SQLite, SQL Server and PostgreSQL.
            builder.Entity(entityType.ClrType).Property(nameof(Entity.Version)).IsConcurrencyToken();
        }

        ConfigureDeletedFilters(builder);
    }

    /// <summary>
    /// "Recently deleted" (checklist item 39): a deleted objective or item disappears from every query, and so does what
    /// hangs from it. Key results go through their required navigation (a join); check-ins, links, dependencies and
    /// evidence have no navigation to what they hang from, so they test its existence through the (filtered) sets.
    /// Each of these is a join or an EXISTS on a key inside the same statement: no page makes more round trips.
    /// </summary>
    private void ConfigureDeletedFilters(ModelBuilder builder)
    {
        const string name = QueryFilters.Deleted;
        builder.Entity<Objective>().HasQueryFilter(name, o => o.DeletedAt == null);
        builder.Entity<RoadmapItem>().HasQueryFilter(name, i => i.DeletedAt == null);
        builder.Entity<KeyResult>().HasQueryFilter(name, k => k.Objective.DeletedAt == null);
        builder.Entity<CheckIn>().HasQueryFilter(name, c => Set<KeyResult>().Any(k => k.Id == c.KeyResultId));
        builder.Entity<RoadmapLink>().HasQueryFilter(name, l =>
            Set<RoadmapItem>().Any(i => i.Id == l.RoadmapItemId)
            && (l.ObjectiveId == null || Set<Objective>().Any(o => o.Id == l.ObjectiveId))
            && (l.KeyResultId == null || Set<KeyResult>().Any(k => k.Id == l.KeyResultId)));
        builder.Entity<ItemDependency>().HasQueryFilter(name, d =>
            Set<RoadmapItem>().Any(i => i.Id == d.RoadmapItemId) && Set<RoadmapItem>().Any(i => i.Id == d.BlockerId));
        builder.Entity<CustomerEvidence>().HasQueryFilter(name, e => Set<RoadmapItem>().Any(i => i.Id == e.RoadmapItemId));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(20, 4);
        if (Database.IsSqlite())
        {
            // SQLite has no decimal or offset-aware time type: store them so that SQL can compare, sort and sum them.
            configurationBuilder.Properties<decimal>().HaveConversion<double>();
            configurationBuilder.Properties<decimal?>().HaveConversion<double?>();
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        }
    }
}
