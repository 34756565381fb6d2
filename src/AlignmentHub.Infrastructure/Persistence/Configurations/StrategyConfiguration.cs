using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AlignmentHub.Infrastructure.Persistence.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.Property(p => p.Name).HasMaxLength(Limits.Name);
        b.Property(p => p.Description).HasMaxLength(Limits.ShortText);
        b.HasIndex(p => p.Name).IsUnique();
        b.HasMany(p => p.Goals).WithOne(g => g.Product).HasForeignKey(g => g.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(p => p.Goals).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(p => p.RankedGoals);
    }
}

internal sealed class GoalConfiguration : IEntityTypeConfiguration<Goal>
{
    public void Configure(EntityTypeBuilder<Goal> b)
    {
        b.Property(g => g.Title).HasMaxLength(Limits.Title);
        b.Property(g => g.Description).HasMaxLength(Limits.LongText);
        b.Property(g => g.SuccessMetric).HasMaxLength(Limits.ShortText);
        b.Property(g => g.RetirementReason).HasMaxLength(Limits.Reason);
        b.HasIndex(g => new { g.ProductId, g.Status, g.Rank });
    }
}

internal sealed class VisionConfiguration : IEntityTypeConfiguration<Vision>
{
    public void Configure(EntityTypeBuilder<Vision> b)
    {
        b.HasOne<Product>().WithOne().HasForeignKey<Vision>(v => v.ProductId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(v => v.Versions).WithOne().HasForeignKey(v => v.VisionId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(v => v.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class VisionVersionConfiguration : IEntityTypeConfiguration<VisionVersion>
{
    public void Configure(EntityTypeBuilder<VisionVersion> b)
    {
        b.Property(v => v.Text).HasMaxLength(Limits.VisionText);
        b.Property(v => v.AuthorId).HasMaxLength(Limits.UserId);
        b.Property(v => v.AuthorName).HasMaxLength(Limits.UserName);
        b.Property(v => v.Reason).HasMaxLength(Limits.Reason);
        b.HasIndex(v => new { v.VisionId, v.Number }).IsUnique();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(v => v.AuthorId).OnDelete(DeleteBehavior.Restrict);
    }
}
