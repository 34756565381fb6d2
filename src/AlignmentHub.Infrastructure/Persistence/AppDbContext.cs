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
