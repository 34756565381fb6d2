using AlignmentHub.Domain.Auditing;
using AlignmentHub.Domain.Collaboration;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Reviews;
using AlignmentHub.Domain.Strategy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AlignmentHub.Infrastructure.Persistence.Configurations;

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(c => c.Body).HasMaxLength(Limits.LongText);
        b.Property(c => c.AuthorId).HasMaxLength(Limits.UserId);
        b.Property(c => c.AuthorName).HasMaxLength(Limits.UserName);
        b.HasIndex(c => new { c.TargetType, c.TargetId });
    }
}

internal sealed class AlignmentReviewConfiguration : IEntityTypeConfiguration<AlignmentReview>
{
    public void Configure(EntityTypeBuilder<AlignmentReview> b)
    {
        b.Property(r => r.Title).HasMaxLength(Limits.Title);
        b.Property(r => r.CreatedById).HasMaxLength(Limits.UserId);
        b.HasOne<Product>().WithMany().HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.Decisions).WithOne().HasForeignKey(d => d.ReviewId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(r => r.Decisions).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ReviewDecisionConfiguration : IEntityTypeConfiguration<ReviewDecision>
{
    public void Configure(EntityTypeBuilder<ReviewDecision> b)
    {
        b.Property(d => d.Decision).HasMaxLength(Limits.ShortText);
        b.Property(d => d.Reason).HasMaxLength(Limits.LongText);
        b.Property(d => d.AuthorId).HasMaxLength(Limits.UserId);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.UserId).HasMaxLength(Limits.UserId);
        b.Property(a => a.UserName).HasMaxLength(Limits.UserName);
        b.Property(a => a.EntityType).HasMaxLength(100);
        b.Property(a => a.EntityId).HasMaxLength(100);
        b.Property(a => a.Action).HasMaxLength(20);
        b.Property(a => a.CorrelationId).HasMaxLength(100);
        b.HasIndex(a => a.OccurredAt);
        b.HasIndex(a => new { a.EntityType, a.EntityId });
        b.HasIndex(a => a.UserId);
    }
}
