using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AlignmentHub.Infrastructure.Persistence.Configurations;

internal sealed class PeriodConfiguration : IEntityTypeConfiguration<Period>
{
    public void Configure(EntityTypeBuilder<Period> b)
    {
        b.Property(p => p.Key).HasMaxLength(7);
        b.HasIndex(p => p.Key).IsUnique();
    }
}

internal sealed class ObjectiveConfiguration : IEntityTypeConfiguration<Objective>
{
    public void Configure(EntityTypeBuilder<Objective> b)
    {
        b.Property(o => o.Title).HasMaxLength(Limits.Title);
        b.Property(o => o.Description).HasMaxLength(Limits.LongText);
        b.Property(o => o.Retrospective).HasMaxLength(Limits.LongText);
        b.Property(o => o.OwnerId).HasMaxLength(Limits.UserId);
        b.Property(o => o.DeletedById).HasMaxLength(Limits.UserId);
        b.HasIndex(o => o.DeletedAt);
        b.HasOne<Team>().WithMany().HasForeignKey(o => o.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Period>().WithMany().HasForeignKey(o => o.PeriodId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Goal>().WithMany().HasForeignKey(o => o.GoalId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Objective>().WithMany().HasForeignKey(o => o.ParentObjectiveId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(o => o.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(o => o.KeyResults).WithOne(k => k.Objective).HasForeignKey(k => k.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(o => o.KeyResults).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(o => o.ActiveKeyResults);
        b.HasIndex(o => new { o.PeriodId, o.TeamId });
    }
}

internal sealed class KeyResultConfiguration : IEntityTypeConfiguration<KeyResult>
{
    public void Configure(EntityTypeBuilder<KeyResult> b)
    {
        b.Property(k => k.Title).HasMaxLength(Limits.Title);
        b.Property(k => k.MetricName).HasMaxLength(Limits.Name);
        b.Property(k => k.Unit).HasMaxLength(Limits.Unit);
        b.Property(k => k.CurrencyCode).HasMaxLength(3);
        b.HasMany(k => k.CheckIns).WithOne().HasForeignKey(c => c.KeyResultId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(k => k.CheckIns).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasIndex(k => k.MetricName);
    }
}

internal sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> b)
    {
        b.Property(c => c.Note).HasMaxLength(Limits.LongText);
        b.Property(c => c.AuthorId).HasMaxLength(Limits.UserId);
        b.Property(c => c.AuthorName).HasMaxLength(Limits.UserName);
        b.Ignore(c => c.Level);
        b.HasIndex(c => new { c.KeyResultId, c.CreatedAt });
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.Restrict);
    }
}
