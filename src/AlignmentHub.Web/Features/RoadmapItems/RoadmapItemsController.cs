using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.RoadmapItems;

/// <summary>
/// One roadmap item: create, its page (why chains, links, dependencies, customer evidence), edit, status, archive and
/// restore. Every change ends on the item page (/roadmap/items/{id}) with a flash message; a refused one shows the
/// page or form again with the message beside the field and what was typed kept.
/// </summary>
[Route("roadmap/items")]
public sealed class RoadmapItemsController(IMediator mediator) : AppController
{
    /// <summary>ViewData key: which of the item page's forms was refused ("status", "link", "dependency", "evidence").</summary>
    public const string RejectedFormKey = "RejectedForm";

    private const string RoadmapUrl = "/roadmap";

    // Messages for values the model binder could not read at all ("abc" in a number field), per field.
    private static readonly Dictionary<string, string> BindingMessages = new(StringComparer.Ordinal)
    {
        [nameof(ItemForm.Kind)] = "Choose a kind from the list.",
        [nameof(ItemForm.TeamId)] = "Choose a team from the list.",
        [nameof(ItemForm.Status)] = "Choose a status from the list.",
        [nameof(ItemForm.Horizon)] = "Choose a horizon from the list.",
        [nameof(ItemForm.StartDate)] = "Enter a date such as 2027-01-15.",
        [nameof(ItemForm.EndDate)] = "Enter a date such as 2027-03-31.",
        [nameof(ItemForm.Effort)] = "Enter the effort as a number of points, for example 5 or 2.5.",
        [nameof(ItemForm.RiceReach)] = "Enter reach as a whole number from 0 to 100,000,000.",
        [nameof(ItemForm.RiceImpact)] = "Impact must be 0.25, 0.5, 1, 2 or 3.",
        [nameof(ItemForm.RiceConfidence)] = "Confidence must be a whole number from 0 to 100 %.",
        [nameof(AddItemDependencyCommand.BlockerId)] = "Find the item this one waits for, then choose it.",
        [nameof(AddItemEvidenceCommand.Importance)] = "Choose how important this is: nice to have, important or critical.",
    };

    // ------------------------------------------------------------ create

    [HttpGet("new")]
    public async Task<IActionResult> Create([FromQuery] string? product, [FromQuery] string? team, [FromQuery] string? why, CancellationToken cancellationToken)
    {
        var productId = await mediator.Send(new GetNewItemProductQuery(product), cancellationToken);
        var options = await EditableOptionsAsync(productId, cancellationToken);
        var teamId = int.TryParse(team, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t)
            && options.Teams.Any(x => x.Id == t) ? t : options.Teams[0].Id;
        ModelState.Clear(); // the address is not the form: nothing in it is "typed"
        var command = new CreateItemCommand
        {
            ProductId = productId,
            TeamId = teamId,
            Why = LinkTargets.TryParse(why, out _, out _) ? why : null,
        };
        return ShowCreateForm(command, options);
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create([FromQuery] string? product,
        [Bind("Title,Description,Kind,TeamId,OwnerId,Status,Horizon,TargetPeriodKey,StartDate,EndDate,Effort,RiceReach,RiceImpact,RiceConfidence,ExternalKey,Why")] CreateItemCommand command,
        CancellationToken cancellationToken)
    {
        command.ProductId = await mediator.Send(new GetNewItemProductQuery(product), cancellationToken); // 404 first
        var options = await EditableOptionsAsync(command.ProductId, cancellationToken); // 403 for those who may create nothing
        ReplaceBindingMessages();
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            id =>
            {
                TempData.Success(string.IsNullOrEmpty(command.Why)
                    ? $"“{command.Title?.Trim()}” added to the roadmap. It has no why yet: link it to a goal, objective or key result below."
                    : $"“{command.Title?.Trim()}” added to the roadmap.");
                return Redirect(WhyChains.ItemUrl(id));
            },
            () => Task.FromResult(ShowCreateForm(command, options)));
    }

    // ------------------------------------------------------------ the item page

    [HttpGet("{id:int}")]
    public Task<IActionResult> Details([FromRoute] int id, [FromQuery] string? find, CancellationToken cancellationToken) =>
        ShowItemAsync(id, find, cancellationToken);

    [HttpPost("{id:int}/status")]
    public async Task<IActionResult> Status([FromRoute] int id, [Bind("Status,Version")] ChangeItemStatusCommand command, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        return await SubmitOnPageAsync(command, "status", null, cancellationToken);
    }

    [HttpPost("{id:int}/links")]
    public async Task<IActionResult> AddLink([FromRoute] int id, [Bind("Target")] AddItemLinkCommand command, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        return await SubmitOnPageAsync(command, "link", null, cancellationToken);
    }

    [HttpPost("{id:int}/links/{linkId:int}/remove")]
    public async Task<IActionResult> RemoveLink([FromRoute] int id, [FromRoute] int linkId, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        return await SubmitOnPageAsync(new RemoveItemLinkCommand { ItemId = id, LinkId = linkId }, "link", null, cancellationToken);
    }

    [HttpPost("{id:int}/dependencies")]
    public async Task<IActionResult> AddDependency([FromRoute] int id, [Bind("BlockerId")] AddItemDependencyCommand command, [FromForm(Name = "find")] string? find,
        CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        ReplaceBindingMessages();
        return await SubmitOnPageAsync(command, "dependency", find, cancellationToken);
    }

    [HttpPost("{id:int}/dependencies/{dependencyId:int}/remove")]
    public async Task<IActionResult> RemoveDependency([FromRoute] int id, [FromRoute] int dependencyId, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        return await SubmitOnPageAsync(new RemoveItemDependencyCommand { ItemId = id, DependencyId = dependencyId }, "dependency", null, cancellationToken);
    }

    [HttpPost("{id:int}/evidence")]
    public async Task<IActionResult> AddEvidence([FromRoute] int id, [Bind("EvidenceText,EvidenceLink,Importance")] AddItemEvidenceCommand command, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        ReplaceBindingMessages();
        return await SubmitOnPageAsync(command, "evidence", null, cancellationToken);
    }

    [HttpPost("{id:int}/evidence/{evidenceId:int}/remove")]
    public async Task<IActionResult> RemoveEvidence([FromRoute] int id, [FromRoute] int evidenceId, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        return await SubmitOnPageAsync(new RemoveItemEvidenceCommand { ItemId = id, EvidenceId = evidenceId }, "evidence", null, cancellationToken);
    }

    // ------------------------------------------------------------ archive and restore

    /// <summary>The confirmation step before archiving: what the item supports, and that it can be restored.</summary>
    [HttpGet("{id:int}/archive")]
    public async Task<IActionResult> Archive([FromRoute] int id, CancellationToken cancellationToken)
    {
        var access = await EnsureCanEditAsync(id, cancellationToken);
        if (access.IsArchived)
        {
            TempData.Warning($"“{access.Title}” is already archived.");
            return Redirect(WhyChains.ItemUrl(id));
        }

        return await ShowArchiveAsync(new ArchiveItemCommand { ItemId = id, Version = access.Version }, cancellationToken);
    }

    [HttpPost("{id:int}/archive")]
    public async Task<IActionResult> Archive([FromRoute] int id, [Bind("Version")] ArchiveItemCommand command, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result => Done(result),
            () => ShowArchiveAsync(command, cancellationToken));
    }

    [HttpPost("{id:int}/restore")]
    public async Task<IActionResult> Restore([FromRoute] int id, [Bind("Version")] RestoreItemCommand command, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        return await SubmitOnPageAsync(command, "restore", null, cancellationToken);
    }

    // ------------------------------------------------------------ delete (restorable for 30 days from /deleted)

    /// <summary>The confirmation step before deleting: the items that wait for it are named.</summary>
    [HttpGet("{id:int}/delete")]
    public async Task<IActionResult> Delete([FromRoute] int id, CancellationToken cancellationToken)
    {
        var access = await EnsureCanEditAsync(id, cancellationToken);
        return await ShowDeleteAsync(new DeleteItemCommand { ItemId = id, Version = access.Version }, cancellationToken);
    }

    [HttpPost("{id:int}/delete")]
    public async Task<IActionResult> Delete([FromRoute] int id, [Bind("Version")] DeleteItemCommand command, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success(result.Message);
                return Redirect(result.RedirectUrl);
            },
            () => ShowDeleteAsync(command, cancellationToken));
    }

    // ------------------------------------------------------------ edit

    [HttpGet("{id:int}/edit")]
    public async Task<IActionResult> Edit([FromRoute] int id, CancellationToken cancellationToken)
    {
        await EnsureCanEditAsync(id, cancellationToken);
        var context = await mediator.Send(new GetItemEditContextQuery(id), cancellationToken);
        if (context.IsArchived)
        {
            TempData.Warning($"“{context.Title}” is archived: restore it before editing.");
            return Redirect(WhyChains.ItemUrl(id));
        }

        return await ShowEditFormAsync(context.Form, context, cancellationToken);
    }

    [HttpPost("{id:int}/edit")]
    public async Task<IActionResult> Edit([FromRoute] int id,
        [Bind("Title,Description,Kind,TeamId,OwnerId,Status,Horizon,TargetPeriodKey,StartDate,EndDate,Effort,RiceReach,RiceImpact,RiceConfidence,ExternalKey,Version")] EditItemCommand command,
        CancellationToken cancellationToken)
    {
        var access = await EnsureCanEditAsync(id, cancellationToken);
        command.ItemId = id;
        command.ProductId = access.ProductId;
        ReplaceBindingMessages();
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            _ =>
            {
                TempData.Success("Roadmap item saved.");
                return Redirect(WhyChains.ItemUrl(id));
            },
            async () => await ShowEditFormAsync(command, await mediator.Send(new GetItemEditContextQuery(id), cancellationToken), cancellationToken));
    }

    // ------------------------------------------------------------ helpers

    /// <summary>404 for an unknown item, 403 when the user may not change it: before any input is looked at.</summary>
    private async Task<ItemAccess> EnsureCanEditAsync(int id, CancellationToken cancellationToken)
    {
        var access = await mediator.Send(new GetItemAccessQuery(id), cancellationToken);
        return access.CanEdit ? access : throw new ForbiddenException("Only the team's members, the product's managers and administrators can change this roadmap item.");
    }

    /// <summary>The teams the user may create items in; 403 when there are none (executives, members without a team).</summary>
    private async Task<ItemFormOptions> EditableOptionsAsync(int productId, CancellationToken cancellationToken)
    {
        var options = await mediator.Send(new GetItemFormOptionsQuery(productId, WithWhyTargets: true), cancellationToken);
        return options.Teams.Count == 0 ? throw new ForbiddenException("Only team members, the product's managers and administrators can add roadmap items.") : options;
    }

    private Task<IActionResult> SubmitOnPageAsync<TCommand>(TCommand command, string form, string? find, CancellationToken cancellationToken)
        where TCommand : IItemPageCommand =>
        SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result => Done(result),
            () =>
            {
                ViewData[RejectedFormKey] = form;
                return ShowItemAsync(command.ItemId, find, cancellationToken);
            });

    private RedirectResult Done(ItemActionResult result)
    {
        TempData.Success(result.Message);
        return Redirect(WhyChains.ItemUrl(result.ItemId));
    }

    private async Task<IActionResult> ShowItemAsync(int id, string? find, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetItemPageQuery(id, find), cancellationToken);
        SetPage(page.Title, "roadmap", page.ProductId, new Crumb("Roadmap", RoadmapUrl), new Crumb(page.Title));
        return View("Details", page);
    }

    private IActionResult ShowCreateForm(CreateItemCommand command, ItemFormOptions options)
    {
        ViewData["Options"] = options;
        SetPage("New roadmap item", "roadmap", command.ProductId, new Crumb("Roadmap", RoadmapUrl), new Crumb("New item"));
        return View("Create", command);
    }

    private async Task<IActionResult> ShowEditFormAsync(EditItemCommand command, ItemEditContext context, CancellationToken cancellationToken)
    {
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            // A deliberate second save replaces what is stored now.
            ModelState.Remove(nameof(EditItemCommand.Version));
            command.Version = conflict.CurrentVersion;
        }

        ViewData["Options"] = await mediator.Send(new GetItemFormOptionsQuery(context.ProductId, WithWhyTargets: false, context.TeamId, context.OwnerId, context.TargetPeriodKey), cancellationToken);
        SetPage("Edit roadmap item", "roadmap", context.ProductId, new Crumb("Roadmap", RoadmapUrl), new Crumb(context.Title, WhyChains.ItemUrl(context.Id)), new Crumb("Edit"));
        return View("Edit", command);
    }

    private async Task<IActionResult> ShowArchiveAsync(ArchiveItemCommand command, CancellationToken cancellationToken)
    {
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            ModelState.Remove(nameof(ArchiveItemCommand.Version));
            command.Version = conflict.CurrentVersion;
        }

        var page = await mediator.Send(new GetItemPageQuery(command.ItemId, null), cancellationToken);
        ViewData["Item"] = page;
        SetPage("Archive roadmap item", "roadmap", page.ProductId, new Crumb("Roadmap", RoadmapUrl), new Crumb(page.Title, WhyChains.ItemUrl(page.Id)), new Crumb("Archive"));
        return View("Archive", command);
    }

    private async Task<IActionResult> ShowDeleteAsync(DeleteItemCommand command, CancellationToken cancellationToken)
    {
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            ModelState.Remove(nameof(DeleteItemCommand.Version));
            command.Version = conflict.CurrentVersion;
        }

        var page = await mediator.Send(new GetItemPageQuery(command.ItemId, null), cancellationToken);
        ViewData["Item"] = page;
        SetPage("Delete roadmap item", "roadmap", page.ProductId, new Crumb("Roadmap", RoadmapUrl), new Crumb(page.Title, WhyChains.ItemUrl(page.Id)), new Crumb("Delete"));
        return View("Delete", command);
    }

    /// <summary>A value that could not be read at all gets a message that says what to enter instead of the generic one.</summary>
    private void ReplaceBindingMessages()
    {
        foreach (var (field, message) in BindingMessages)
        {
            if (ModelState[field] is { Errors.Count: > 0 } entry && entry.Errors.All(e => e.ErrorMessage != ForbiddenCharacterMessage))
            {
                entry.Errors.Clear();
                ModelState.AddModelError(field, message);
            }
        }
    }
}
