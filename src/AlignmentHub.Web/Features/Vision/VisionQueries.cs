using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using AlignmentHub.Web.Infrastructure.Security;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Mediator;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Vision;

public sealed record VisionPage(int ProductId, string ProductName, VisionVersionSummary? Current, IHtmlContent RenderedHtml, bool CanEdit, int VersionCount);

public sealed record VisionVersionSummary(int Number, string AuthorName, DateTimeOffset CreatedAt, string? Reason, string Text);

public sealed record GetVisionQuery(int ProductId) : IQuery<VisionPage>;

public sealed class GetVisionHandler(AppDbContext db, StrategyAccess access, MarkdownRenderer markdown) : IQueryHandler<GetVisionQuery, VisionPage>
{
    public async ValueTask<VisionPage> Handle(GetVisionQuery query, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(query.ProductId, cancellationToken);
        var current = await db.VisionVersions.AsNoTracking()
            .Where(v => db.Visions.Any(x => x.Id == v.VisionId && x.ProductId == query.ProductId && x.CurrentVersionNumber == v.Number))
            .Select(v => new VisionVersionSummary(v.Number, v.AuthorName, v.CreatedAt, v.Reason, v.Text))
            .SingleOrDefaultAsync(cancellationToken);
        return new VisionPage(query.ProductId, productName, current, markdown.Render(current?.Text),
            await access.CanEditStrategyAsync(query.ProductId, cancellationToken), current?.Number ?? 0);
    }
}

public sealed record VisionHistory(int ProductId, string ProductName, IReadOnlyList<VisionVersionSummary> Versions);

public sealed record GetVisionHistoryQuery(int ProductId) : IQuery<VisionHistory>;

public sealed class GetVisionHistoryHandler(AppDbContext db) : IQueryHandler<GetVisionHistoryQuery, VisionHistory>
{
    public async ValueTask<VisionHistory> Handle(GetVisionHistoryQuery query, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(query.ProductId, cancellationToken);
        var versions = await db.VisionVersions.AsNoTracking()
            .Where(v => db.Visions.Any(x => x.Id == v.VisionId && x.ProductId == query.ProductId))
            .OrderByDescending(v => v.Number)
            .Select(v => new VisionVersionSummary(v.Number, v.AuthorName, v.CreatedAt, v.Reason, string.Empty))
            .ToListAsync(cancellationToken);
        return new VisionHistory(query.ProductId, productName, versions);
    }
}

public sealed record DiffLine(ChangeType Kind, string Text);

public sealed record VisionDiff(int ProductId, string ProductName, VisionVersionSummary From, VisionVersionSummary To, IReadOnlyList<DiffLine> Lines, int Added, int Removed);

public sealed record GetVisionDiffQuery(int ProductId, int From, int To) : IQuery<VisionDiff>;

public sealed class GetVisionDiffHandler(AppDbContext db) : IQueryHandler<GetVisionDiffQuery, VisionDiff>
{
    public async ValueTask<VisionDiff> Handle(GetVisionDiffQuery query, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(query.ProductId, cancellationToken);
        var versions = await db.VisionVersions.AsNoTracking()
            .Where(v => db.Visions.Any(x => x.Id == v.VisionId && x.ProductId == query.ProductId) && (v.Number == query.From || v.Number == query.To))
            .Select(v => new VisionVersionSummary(v.Number, v.AuthorName, v.CreatedAt, v.Reason, v.Text))
            .ToListAsync(cancellationToken);
        var from = versions.FirstOrDefault(v => v.Number == query.From) ?? throw new NotFoundException("That version");
        var to = versions.FirstOrDefault(v => v.Number == query.To) ?? throw new NotFoundException("That version");
        var model = InlineDiffBuilder.Diff(new Differ(), from.Text, to.Text, ignoreWhiteSpace: false);
        var lines = model.Lines.Select(l => new DiffLine(l.Type, l.Text ?? string.Empty)).ToList();
        return new VisionDiff(query.ProductId, productName, from, to, lines,
            lines.Count(l => l.Kind == ChangeType.Inserted), lines.Count(l => l.Kind == ChangeType.Deleted));
    }
}
