using AlignmentHub.Domain.Common;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Impact;

/// <summary>The impact page's model: what the check found, and the form as the user filled it in.</summary>
/// <param name="Changed">The POST found that what would be affected changed since the page was shown.</param>
public sealed record RetireView(ImpactPage Page, RetireCommand Form, bool Changed);

/// <summary>
/// The impact check (brief §5, "nothing becomes an orphan silently"): before a goal is retired or marked achieved, or an
/// objective or key result retired, the page lists exactly which items and objectives lose their justification and
/// offers re-link, drop or cancel; the POST applies the choice and the retirement in one transaction.
/// </summary>
public sealed class ImpactController(IMediator mediator) : AppController
{
    private const string FormFields = "Version,Reason,SeenItems,SeenObjectives,ObjectiveChoice,ObjectiveTarget,ItemChoice,ItemTarget";

    [HttpGet("products/{productId:int}/goals/{goalId:int}/retire")]
    public Task<IActionResult> RetireGoal([FromRoute] int productId, [FromRoute] int goalId, CancellationToken cancellationToken) =>
        ShowAsync(Command(ImpactSubject.Goal, ImpactAction.Retire, goalId, productId), changed: false, cancellationToken);

    [HttpPost("products/{productId:int}/goals/{goalId:int}/retire")]
    public Task<IActionResult> RetireGoal([FromRoute] int productId, [FromRoute] int goalId, [Bind(FormFields)] RetireCommand command, CancellationToken cancellationToken) =>
        SubmitRetireAsync(Route(command, ImpactSubject.Goal, ImpactAction.Retire, goalId, productId), cancellationToken);

    [HttpGet("products/{productId:int}/goals/{goalId:int}/achieve")]
    public Task<IActionResult> AchieveGoal([FromRoute] int productId, [FromRoute] int goalId, CancellationToken cancellationToken) =>
        ShowAsync(Command(ImpactSubject.Goal, ImpactAction.Achieve, goalId, productId), changed: false, cancellationToken);

    [HttpPost("products/{productId:int}/goals/{goalId:int}/achieve")]
    public Task<IActionResult> AchieveGoal([FromRoute] int productId, [FromRoute] int goalId, [Bind(FormFields)] RetireCommand command, CancellationToken cancellationToken) =>
        SubmitRetireAsync(Route(command, ImpactSubject.Goal, ImpactAction.Achieve, goalId, productId), cancellationToken);

    [HttpGet("okrs/objectives/{objectiveId:int}/retire")]
    public Task<IActionResult> RetireObjective([FromRoute] int objectiveId, CancellationToken cancellationToken) =>
        ShowAsync(Command(ImpactSubject.Objective, ImpactAction.Retire, objectiveId, null), changed: false, cancellationToken);

    [HttpPost("okrs/objectives/{objectiveId:int}/retire")]
    public Task<IActionResult> RetireObjective([FromRoute] int objectiveId, [Bind(FormFields)] RetireCommand command, CancellationToken cancellationToken) =>
        SubmitRetireAsync(Route(command, ImpactSubject.Objective, ImpactAction.Retire, objectiveId, null), cancellationToken);

    /// <summary>Delete an objective: the same impact check, then the objective goes to "Recently deleted" (30 days).</summary>
    [HttpGet("okrs/objectives/{objectiveId:int}/delete")]
    public Task<IActionResult> DeleteObjective([FromRoute] int objectiveId, CancellationToken cancellationToken) =>
        ShowAsync(Command(ImpactSubject.Objective, ImpactAction.Delete, objectiveId, null), changed: false, cancellationToken);

    [HttpPost("okrs/objectives/{objectiveId:int}/delete")]
    public Task<IActionResult> DeleteObjective([FromRoute] int objectiveId, [Bind(FormFields)] RetireCommand command, CancellationToken cancellationToken) =>
        SubmitRetireAsync(Route(command, ImpactSubject.Objective, ImpactAction.Delete, objectiveId, null), cancellationToken);

    [HttpGet("okrs/key-results/{keyResultId:int}/retire")]
    public Task<IActionResult> RetireKeyResult([FromRoute] int keyResultId, CancellationToken cancellationToken) =>
        ShowAsync(Command(ImpactSubject.KeyResult, ImpactAction.Retire, keyResultId, null), changed: false, cancellationToken);

    [HttpPost("okrs/key-results/{keyResultId:int}/retire")]
    public Task<IActionResult> RetireKeyResult([FromRoute] int keyResultId, [Bind(FormFields)] RetireCommand command, CancellationToken cancellationToken) =>
        SubmitRetireAsync(Route(command, ImpactSubject.KeyResult, ImpactAction.Retire, keyResultId, null), cancellationToken);

    private static RetireCommand Command(ImpactSubject kind, ImpactAction action, int id, int? productId) =>
        Route(new RetireCommand(), kind, action, id, productId);

    /// <summary>What the subject is comes from the route only, never from the form.</summary>
    private static RetireCommand Route(RetireCommand command, ImpactSubject kind, ImpactAction action, int id, int? productId)
    {
        command.Kind = kind;
        command.Action = action;
        command.SubjectId = id;
        command.ProductId = productId;
        return command;
    }

    private async Task<IActionResult> SubmitRetireAsync(RetireCommand command, CancellationToken cancellationToken)
    {
        // 404 and 403 come before anything the form says.
        _ = await mediator.Send(new GetImpactSubjectQuery(command.Kind, command.Action, command.SubjectId, command.ProductId), cancellationToken);
        var changed = false;
        return await SubmitAsync(
            command,
            async c =>
            {
                try
                {
                    return await mediator.Send(c, cancellationToken);
                }
                catch (ImpactChangedException)
                {
                    changed = true;
                    throw new DomainException(ImpactChangedException.Text);
                }
            },
            result =>
            {
                TempData.Success(result.Message);
                return Redirect(result.RedirectUrl);
            },
            () => ShowAsync(command, changed, cancellationToken));
    }

    private async Task<IActionResult> ShowAsync(RetireCommand form, bool changed, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetImpactQuery(form.Kind, form.Action, form.SubjectId, form.ProductId), cancellationToken);
        var subject = page.Subject;
        var last = new Crumb(subject.ActionLabel);
        if (subject.Kind == ImpactSubject.Goal)
        {
            var productId = subject.ProductId!.Value;
            SetPage(subject.ActionLabel, "goals", productId, new Crumb(subject.ProductName ?? "Product", "/"),
                new Crumb("Goals", ImpactUrls.Goals(productId)), new Crumb(subject.BackTitle, subject.BackUrl), last);
        }
        else
        {
            SetPage(subject.ActionLabel, "okrs", subject.ProductId, new Crumb("OKRs", "/okrs"), new Crumb(subject.BackTitle, subject.BackUrl), last);
        }

        return View("Retire", new RetireView(page, form, changed));
    }
}
