using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AlignmentHub.BrowserTests.Security;

/// <summary>Records every dialog (alert, confirm, prompt) a page opens and every CSP violation it reports.</summary>
public sealed class ScriptWatch
{
    public ConcurrentQueue<string> Dialogs { get; } = new();

    public ConcurrentQueue<string> CspViolations { get; } = new();

    public static async Task<ScriptWatch> AttachAsync(IPage page)
    {
        var watch = new ScriptWatch();
        page.Dialog += async (_, dialog) =>
        {
            watch.Dialogs.Enqueue($"{dialog.Type}: {dialog.Message} (on {page.Url})");
            await dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.StartsWith("csp-violation", StringComparison.Ordinal))
            {
                watch.CspViolations.Enqueue($"{message.Text} (on {page.Url})");
            }
        };

        // Playwright's init scripts are not subject to the page's CSP: report each violation event to the console.
        await page.Context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error('csp-violation ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));");
        return watch;
    }
}

/// <summary>Script canaries typed into the real forms by a signed-in administrator.</summary>
public static class Canaries
{
    public sealed record Stored(List<string> Pages, List<string> Markers);

    /// <summary>Messages of refused saves while planting, for the failure message.</summary>
    public static List<string> Problems { get; } = [];

    private static int counter;

    /// <summary>A canary with a marker ("bxss3") that shows up as text when it is stored and encoded.</summary>
    private static (string Value, string Marker) Next()
    {
        var n = Interlocked.Increment(ref counter);
        var marker = $"bxss{n}z"; // the z ends it: bxss1 is no match for bxss12
        var value = (n % 4) switch
        {
            0 => $"<script>alert('{marker}')</script>",
            1 => $"\"><img src=x onerror=alert('{marker}')>",
            2 => $"</script><script>alert('{marker}')</script>",
            _ => $"{{{{constructor}}}} '><svg onload=alert('{marker}')> {marker}",
        };
        return (value, marker);
    }

    public static async Task<Stored> PlantAsync(IPage page)
    {
        var pages = new List<string>();
        var markers = new List<string>();

        async Task<bool> SubmitAsync(ILocator form, string button)
        {
            // Selects a user must choose (horizon, team…) get their first real option.
            await form.EvaluateAsync("f => f.querySelectorAll('select').forEach(s => { if (!s.value) { const o = [...s.options].find(o => o.value && !o.disabled); if (o) { s.value = o.value; } } })");
            await form.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
            var messages = await page.Locator(".field-validation-error:not(:empty)").AllInnerTextsAsync();
            Problems.AddRange(messages.Select(m => $"{button}: {m}"));
            return messages.Count == 0;
        }

        async Task FillAsync(ILocator form, string name, List<string> planted)
        {
            var (value, marker) = Next();
            await form.Locator($"[name='{name}']").FillAsync(value);
            planted.Add(marker);
        }

        // A goal: title, success metric, description.
        await page.GotoAsync("/products/1/goals/new");
        var goalForm = page.Locator("form.form-card");
        var goalMarkers = new List<string>();
        await FillAsync(goalForm, "Title", goalMarkers);
        await FillAsync(goalForm, "SuccessMetric", goalMarkers);
        await FillAsync(goalForm, "Description", goalMarkers);
        if (await SubmitAsync(goalForm, "Add goal"))
        {
            markers.AddRange(goalMarkers);
            pages.Add("/products/1/goals");
            var goalLink = await page.GotoAsync("/products/1/goals") is not null
                ? await page.Locator("a[href^='/products/1/goals/']").Filter(new() { HasText = goalMarkers[0] }).First.GetAttributeAsync("href")
                : null;
            if (goalLink is not null)
            {
                pages.Add(goalLink);
            }
        }

        // The vision, as Markdown: script, a javascript: link, a raw handler; and the reason.
        await page.GotoAsync("/products/1/vision/edit");
        var visionForm = page.Locator("form.card");
        var (reason, reasonMarker) = Next();
        var (visionCanary, visionMarker) = Next();
        await visionForm.Locator("[name='Text']").FillAsync(
            $"# Vision {visionMarker}\n\n{visionCanary}\n\n[click](javascript:alert('{visionMarker}'))\n\n<img src=x onerror=alert('{visionMarker}')>\n\n[ok](https://example.com)");
        await visionForm.Locator("[name='Reason']").FillAsync(reason);
        if (await SubmitAsync(visionForm, "Save new version"))
        {
            markers.Add(visionMarker);
            markers.Add(reasonMarker);
            pages.Add("/products/1/vision");
            pages.Add("/products/1/vision/history");
        }

        // A roadmap item, then customer evidence on it (a javascript: link first, which must be refused).
        await page.GotoAsync("/roadmap/items/new?product=1");
        var itemForm = page.Locator("form.item-form");
        var itemMarkers = new List<string>();
        await FillAsync(itemForm, "Title", itemMarkers);
        await FillAsync(itemForm, "Description", itemMarkers);
        if (await SubmitAsync(itemForm, "Add item") && Regex.IsMatch(new Uri(page.Url).AbsolutePath, @"^/roadmap/items/\d+$"))
        {
            markers.AddRange(itemMarkers);
            var itemUrl = new Uri(page.Url).AbsolutePath;
            pages.Add(itemUrl);
            var evidence = page.Locator("form[action$='/evidence']");
            var evidenceMarkers = new List<string>();
            await FillAsync(evidence, "EvidenceText", evidenceMarkers);
            await evidence.Locator("[name='EvidenceLink']").FillAsync("javascript:alert('evidence')");
            var refused = !await SubmitAsync(evidence, "Add evidence");
            if (!refused)
            {
                throw new InvalidOperationException("A javascript: evidence link was accepted.");
            }

            evidence = page.Locator("form[action$='/evidence']");
            await evidence.Locator("[name='EvidenceLink']").FillAsync("https://example.com/\"><img src=x onerror=alert('evidence')>");
            if (await SubmitAsync(evidence, "Add evidence"))
            {
                markers.AddRange(evidenceMarkers);
            }
        }

        // A check-in note on the decreasing key result of the demo objective.
        await page.GotoAsync("/okrs");
        await page.GetByRole(AriaRole.Link, new() { Name = "Make the first week effortless", Exact = true }).ClickAsync();
        var objectiveUrl = new Uri(page.Url).AbsolutePath;
        var checkIn = page.GetByRole(AriaRole.Form, new() { Name = "Check in on “Median days to first resolved ticket”" });
        await checkIn.Locator("[name='Value']").FillAsync("9");
        await checkIn.Locator("[name='Confidence']").SelectOptionAsync("8");
        var noteMarkers = new List<string>();
        await FillAsync(checkIn, "Note", noteMarkers);
        if (await SubmitAsync(checkIn, "Save check-in"))
        {
            markers.AddRange(noteMarkers);
            pages.Add(objectiveUrl);
        }

        // The objective itself: its description (the title stays, other tests of the class find it by name).
        await page.GotoAsync(objectiveUrl + "/edit");
        var objectiveForm = page.Locator("form.objective-form");
        var objectiveMarkers = new List<string>();
        await FillAsync(objectiveForm, "Description", objectiveMarkers);
        if (await SubmitAsync(objectiveForm, "Save objective"))
        {
            markers.AddRange(objectiveMarkers);
        }

        return new Stored(pages, markers);
    }
}
