using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AlignmentHub.Infrastructure.Persistence.Configurations;

internal sealed class RoadmapItemConfiguration : IEntityTypeConfiguration<RoadmapItem>
{
    public void Configure(EntityTypeBuilder<RoadmapItem> b)
    {
        b.Property(i => i.Title).HasMaxLength(Limits.Title);
        b.Property(i => i.Description).HasMaxLength(Limits.LongText);
        b.Property(i => i.TargetPeriodKey).HasMaxLength(7);
        b.Property(i => i.ExternalKey).HasMaxLength(50);
        b.Property(i => i.OwnerId).HasMaxLength(Limits.UserId);
        b.Property(i => i.DeletedById).HasMaxLength(Limits.UserId);
        b.HasIndex(i => i.DeletedAt);
        b.Ignore(i => i.IsActive);
        b.Ignore(i => i.RiceScore);
        b.HasOne<Product>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(i => i.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(i => i.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(i => i.Links).WithOne().HasForeignKey(l => l.RoadmapItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Dependencies).WithOne().HasForeignKey(d => d.RoadmapItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Evidence).WithOne().HasForeignKey(e => e.RoadmapItemId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(i => i.Links).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(i => i.Dependencies).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(i => i.Evidence).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasIndex(i => new { i.ProductId, i.Horizon, i.BoardPosition });
        b.HasIndex(i => new { i.TeamId, i.Status });
        b.HasIndex(i => i.OwnerId);
    }
}

internal sealed class RoadmapLinkConfiguration : IEntityTypeConfiguration<RoadmapLink>
{
    public void Configure(EntityTypeBuilder<RoadmapLink> b)
    {
        b.HasIndex(l => new { l.RoadmapItemId, l.TargetType, l.TargetId }).IsUnique();
        b.HasOne<KeyResult>().WithMany().HasForeignKey(l => l.KeyResultId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Objective>().WithMany().HasForeignKey(l => l.ObjectiveId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Goal>().WithMany().HasForeignKey(l => l.GoalId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ItemDependencyConfiguration : IEntityTypeConfiguration<ItemDependency>
{
    public void Configure(EntityTypeBuilder<ItemDependency> b)
    {
        b.HasIndex(d => new { d.RoadmapItemId, d.BlockerId }).IsUnique();
        b.HasOne<RoadmapItem>().WithMany().HasForeignKey(d => d.BlockerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CustomerEvidenceConfiguration : IEntityTypeConfiguration<CustomerEvidence>
{
    public void Configure(EntityTypeBuilder<CustomerEvidence> b)
    {
        b.Property(e => e.Text).HasMaxLength(Limits.LongText);
        b.Property(e => e.Link).HasMaxLength(Limits.Url);
    }
}
