using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Okrs;

/// <summary>
/// The reading side of OKRs on the demo data: the period's tree, the objective page, flags and every progress figure
/// against a hand calculation. No test of this class changes data (check-ins are in <see cref="CheckInTests"/>).
/// </summary>
public sealed class OkrPagesTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    public static TheoryData<string> Roles => new() { Demo.Admin, Demo.ProductManager, Demo.Member, Demo.Executive };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_okr_page_renders_for_each_role(string email)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var periods = await factory.QueryAsync(db => db.Periods.AsNoTracking().Select(p => p.Key).ToListAsync());
        var teams = await factory.QueryAsync(db => db.Teams.AsNoTracking().Select(t => t.Id).ToListAsync());
        var objectives = await factory.QueryAsync(db => db.Objectives.AsNoTracking().Select(o => o.Id).ToListAsync());

        var urls = new List<string> { "/okrs" };
        urls.AddRange(periods.Select(p => "/okrs?period=" + p));
        urls.AddRange(teams.Select(t => "/okrs?team=" + t));
        urls.AddRange(objectives.Select(o => "/okrs/objectives/" + o));

        foreach (var url in urls)
        {
            var page = await client.GetAsync(url);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)page.StatusCode} for {email}");
            Assert.NotNull(page.Document.QuerySelector("h1"));
        }
    }

    [Theory]
    [InlineData("/okrs/objectives/999999")]
    [InlineData("/okrs/objectives/0")]
    [InlineData("/okrs/objectives/-3")]
    [InlineData("/okrs/objectives/abc")]
    [InlineData("/okrs/objectives/99999999999")]
    public async Task Unknown_objectives_answer_404(string url)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);

        var page = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("couldn't find that page", page.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("period=2031-Q1", "There are no OKRs for the period “2031-Q1”")]
    [InlineData("period=2026-Q9", "“2026-Q9” is not a period")]
    [InlineData("period=last-quarter", "“last-quarter” is not a period")]
    [InlineData("period=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "is not a period")]
    [InlineData("period=%00", "is not a period")]
    [InlineData("team=abc", "There is no team “abc”")]
    [InlineData("team=999999", "There is no team “999999”")]
    [InlineData("team=-1", "There is no team “-1”")]
    [InlineData("team=99999999999999999999", "There is no team")]
    public async Task An_unknown_or_malformed_period_or_team_gets_a_friendly_message_and_the_current_quarter(string query, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync("/okrs?" + query);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var alert = page.Document.QuerySelector("main .alert-warning")?.TextContent ?? string.Empty;
        Assert.Contains(message, alert, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page.Html, StringComparison.Ordinal);
        Assert.Equal(OkrTestData.CurrentKey, SelectedPeriod(page));
        Assert.NotEmpty(page.Document.QuerySelectorAll("article.okr-objective")); // the current quarter is shown instead
    }

    [Fact]
    public async Task The_current_quarter_is_shown_by_default_as_a_tree_from_goal_to_key_results()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var expected = await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey);

        var page = await client.GetAsync("/okrs");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(OkrTestData.CurrentKey, SelectedPeriod(page));
        Assert.Equal(string.Empty, page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#okr-team")!.Value);
        Assert.Equal(expected.Select(o => o.Title).Order(), page.Document.QuerySelectorAll("article.okr-objective h3").Select(h => h.TextContent.Trim()).Order());

        // Goals in rank order, each with its rank badge and a link to the goal.
        var sections = page.Document.QuerySelectorAll("section.okr-goal").ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], sections.Select(s => s.QuerySelector(".rank-badge")!.TextContent.Trim()));
        var goals = await factory.RankedGoalsAsync();
        Assert.Equal(goals.Select(g => g.Title), sections.Select(s => s.QuerySelector("h2 a")!.TextContent.Trim()));
        Assert.Equal(goals.Select(g => $"/products/1/goals/{g.Id}"), sections.Select(s => s.QuerySelector("h2 a")!.GetAttribute("href")));

        // Rank 1: Growth's objective with Insights' objective nested under it (aligned to it as a parent).
        var first = sections[0];
        var node = first.QuerySelectorAll(":scope > ul > li.okr-node").Single(li => Title(li) == "Grow expansion revenue");
        var nested = node.QuerySelectorAll(":scope > ul.okr-children > li.okr-node").Select(Title).ToList();
        Assert.Equal(["Show customers the value they get from Beacon"], nested);
        Assert.Contains("Turn more trials into paying customers", first.QuerySelectorAll(":scope > ul > li.okr-node").Select(Title));

        // Team, owner and every active key result with current and target values.
        var objective = Objective(page, "Make the first week effortless");
        Assert.Contains("Onboarding", objective.QuerySelector(".okr-meta")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Tom Becker", objective.QuerySelector(".okr-meta")!.TextContent, StringComparison.Ordinal);
        var latency = KeyResultRow(page, "P95 API latency");
        Assert.Matches(@"^[\d.,]+ ms · target 250 ms$", latency.QuerySelector(".okr-kr-values")!.TextContent.Trim());
        var cost = KeyResultRow(page, "Cost per 1,000 tickets");
        Assert.EndsWith("target 3 EUR", cost.QuerySelector(".okr-kr-values")!.TextContent.Trim(), StringComparison.Ordinal);
        var wizard = KeyResultRow(page, "Setup wizard completion rate");
        Assert.EndsWith("target 75 %", wizard.QuerySelector(".okr-kr-values")!.TextContent.Trim(), StringComparison.Ordinal);
        var band = KeyResultRow(page, "Database CPU at peak");
        Assert.EndsWith("band 40 % – 70 %", band.QuerySelector(".okr-kr-values")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Not yet", KeyResultRow(page, "Guided import from Zendesk launched").QuerySelector(".okr-kr-values")!.TextContent.Trim());
        Assert.All(page.Document.QuerySelectorAll("li.okr-kr"), row => Assert.NotNull(row.QuerySelector("details.how-calculated")));
        var latencyId = (await factory.KeyResultAsync("P95 API latency")).Id;
        var latencyObjective = (await factory.KeyResultAsync("P95 API latency")).ObjectiveId;
        Assert.Equal($"/okrs/objectives/{latencyObjective}#kr-{latencyId}", latency.QuerySelector("a.okr-kr-title")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Every_progress_figure_on_the_list_equals_a_hand_calculation()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var objectives = await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey);

        var page = await client.GetAsync("/okrs");

        foreach (var objective in objectives)
        {
            var card = Objective(page, objective.Title);
            Assert.Equal(OkrTestData.Figure(OkrTestData.ObjectiveProgress(objective)), card.QuerySelector(".okr-objective-progress .progress-figure")!.TextContent.Trim());
            var rows = card.QuerySelectorAll("li.okr-kr").ToList();
            Assert.Equal(objective.KeyResults.Where(k => k.Status == KeyResultStatus.Active).Select(k => k.Title), rows.Select(r => r.QuerySelector(".okr-kr-title")!.TextContent.Trim()));
            foreach (var kr in objective.KeyResults)
            {
                var row = rows.Single(r => r.QuerySelector(".okr-kr-title")!.TextContent.Trim() == kr.Title);
                Assert.Equal(OkrTestData.Figure(OkrTestData.Shown(kr)), row.QuerySelector(".progress-figure")!.TextContent.Trim());
            }
        }
    }

    [Fact]
    public async Task Each_goal_shows_the_weighted_mean_of_the_objectives_aligned_to_it()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var objectives = await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey);
        var goals = await factory.QueryAsync(db => db.Goals.AsNoTracking().Where(g => g.Rank != null).Select(g => new { g.Id, g.Title }).ToListAsync());

        var page = await client.GetAsync("/okrs");

        foreach (var goal in goals)
        {
            // Goal progress = Σ(objective progress × weight) ÷ Σ weight over the objectives aligned directly to the goal
            // (each objective's own figure is itself checked against a hand calculation above).
            var direct = objectives.Where(o => o.GoalId == goal.Id).ToList();
            var section = page.Document.QuerySelectorAll("section.okr-goal")
                .Single(s => s.QuerySelector("h2 a")?.TextContent.Trim() == goal.Title);
            var shown = section.QuerySelector(".okr-goal-progress .progress-figure")!.TextContent.Trim();
            var expected = direct.Count == 0 ? 0m : Math.Round(
                direct.Sum(o => OkrTestData.ObjectiveProgress(o) * o.Weight) / direct.Sum(o => o.Weight), 1, MidpointRounding.AwayFromZero);
            Assert.Equal(OkrTestData.Figure(expected), shown);
            Assert.Contains("Weighted mean", section.QuerySelector(".okr-goal-progress details")!.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_progress_figure_on_the_objective_pages_equals_a_hand_calculation()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var objectives = await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey);

        foreach (var objective in objectives)
        {
            var page = await client.GetAsync($"/okrs/objectives/{objective.Id}");

            Assert.Equal(OkrTestData.Figure(OkrTestData.ObjectiveProgress(objective)), page.Document.QuerySelector("[aria-labelledby='okr-progress'] .progress-figure")!.TextContent.Trim());
            foreach (var kr in objective.KeyResults)
            {
                var card = page.Document.QuerySelector($"article#kr-{kr.Id}")!;
                Assert.Equal(OkrTestData.Figure(OkrTestData.Shown(kr)), card.QuerySelector(".progress-figure")!.TextContent.Trim());
                Assert.Contains("How was this calculated?", card.QuerySelector("details.how-calculated")!.TextContent, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_decreasing_latency_key_result_shows_its_formula_with_the_inputs()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var kr = await factory.KeyResultAsync("P95 API latency");
        var current = kr.Current!.Value;
        var expected = Math.Round((current - 420m) / (250m - 420m) * 100m, 1, MidpointRounding.AwayFromZero);

        var page = await client.GetAsync($"/okrs/objectives/{kr.ObjectiveId}");

        var card = page.Document.QuerySelector($"article#kr-{kr.Id}")!;
        Assert.Contains("Decrease: lower is better", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("420 ms → 250 ms", card.TextContent, StringComparison.Ordinal);
        Assert.Equal(expected.ToString("0.#", CultureInfo.CurrentCulture) + " %", card.QuerySelector(".progress-figure")!.TextContent.Trim());
        var formula = card.QuerySelector("details.how-calculated p")!.TextContent;
        Assert.Contains($"({current.ToString("0.##", CultureInfo.InvariantCulture)} − 420) ÷ (250 − 420)", formula, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_show_the_latest_confidence_with_text_stale_and_behind_on_the_list_and_the_objective_page()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var objectives = await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey);
        var latest = await factory.QueryAsync(db => db.CheckIns.AsNoTracking().ToListAsync());
        var (period, now) = (await OkrTestData.PeriodAsync(factory, OkrTestData.CurrentKey), DateTimeOffset.UtcNow);

        var list = await client.GetAsync("/okrs");

        var staleSeen = 0;
        foreach (var objective in objectives)
        {
            var detail = await client.GetAsync($"/okrs/objectives/{objective.Id}");
            foreach (var kr in objective.KeyResults)
            {
                var newest = latest.Where(c => c.KeyResultId == kr.Id).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).FirstOrDefault();
                var level = newest is null ? "No check-in yet" : newest.Confidence >= 7 ? "On track" : newest.Confidence >= 4 ? "At risk" : "Off track";
                var stale = (now - (kr.LastCheckInAt ?? kr.CreatedAt)).TotalDays > kr.CadenceDays;
                var elapsed = OkrTestData.ElapsedPercent(period, DateOnly.FromDateTime(now.UtcDateTime));
                var behind = elapsed - Math.Clamp(OkrTestData.Shown(kr), 0m, 100m) > 25m;
                staleSeen += stale ? 1 : 0;

                foreach (var place in new[] { KeyResultRow(list, kr.Title), detail.Document.QuerySelector($"article#kr-{kr.Id}")! })
                {
                    var confidence = place.QuerySelector("[data-flag='confidence']")!;
                    Assert.StartsWith(level, confidence.TextContent.Trim(), StringComparison.Ordinal);
                    if (newest is not null)
                    {
                        Assert.Contains($"{newest.Confidence}/10", confidence.TextContent, StringComparison.Ordinal);
                        Assert.Contains(level.Replace(' ', '-').ToLowerInvariant(), confidence.ClassName, StringComparison.Ordinal); // colour too
                    }

                    Assert.Equal(stale, place.QuerySelector("[data-flag='stale']") is not null);
                    Assert.Equal(behind, place.QuerySelector("[data-flag='behind']") is not null);
                }
            }
        }

        Assert.True(staleSeen >= 2, "The demo's Insights key results have had no check-in for three weeks.");
        Assert.Contains("Stale", KeyResultRow(list, "Report load time").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switching_to_the_previous_quarter_shows_its_closed_objective_with_the_score()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var previous = OkrTestData.PreviousKey;

        var page = await client.GetAsync("/okrs?period=" + previous);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(previous, SelectedPeriod(page));
        var titles = page.Document.QuerySelectorAll("article.okr-objective h3").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Launch the new setup wizard"], titles);
        var closed = Objective(page, "Launch the new setup wizard");
        Assert.Contains("Closed · score 0.8", closed.TextContent, StringComparison.Ordinal);
        Assert.Empty(closed.QuerySelectorAll("[data-flag='stale'], [data-flag='behind']")); // history, not a warning
        Assert.Contains(previous, page.Document.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var next = page.Document.QuerySelectorAll(".okr-period-steps a").Single();
        Assert.Equal("/okrs?period=" + OkrTestData.CurrentKey, next.GetAttribute("href"));
    }

    [Theory]
    [InlineData(Demo.ProductManager, true)]
    [InlineData(Demo.Admin, true)]
    [InlineData(Demo.Member, true)]
    [InlineData(Demo.Executive, false)]
    public async Task An_empty_period_says_what_to_do_next_and_offers_new_objective_only_to_those_who_may_create(string email, bool mayCreate)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var next = OkrTestData.NextKey;

        var page = await client.GetAsync("/okrs?period=" + next);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var empty = page.Document.QuerySelector(".empty-state")!;
        Assert.Contains($"No objectives for {next} yet", empty.TextContent, StringComparison.Ordinal);
        var links = page.Document.QuerySelectorAll("a[href^='/okrs/objectives/new']").Select(a => a.GetAttribute("href")!).ToList();
        if (!mayCreate)
        {
            Assert.Empty(links);
            return;
        }

        Assert.NotEmpty(empty.QuerySelectorAll("a[href^='/okrs/objectives/new']"));
        Assert.All(links, href => Assert.EndsWith("period=" + next, href, StringComparison.Ordinal));
        if (email == Demo.Member)
        {
            var onboarding = await factory.TeamIdAsync("Onboarding");
            Assert.All(links, href => Assert.Equal($"/okrs/objectives/new?team={onboarding}&period={next}", href));
        }
    }

    [Fact]
    public async Task The_team_filter_shows_one_team_and_names_a_parent_objective_of_another_team()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var platform = await factory.TeamIdAsync("Platform");
        var insights = await factory.TeamIdAsync("Insights");

        var platformPage = await client.GetAsync($"/okrs?team={platform}");
        var insightsPage = await client.GetAsync($"/okrs?period={OkrTestData.CurrentKey}&team={insights}");

        Assert.Equal(HttpStatusCode.OK, platformPage.StatusCode);
        Assert.Equal(platform.ToString(CultureInfo.InvariantCulture), platformPage.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#okr-team")!.Value);
        Assert.Equal(["Be the most reliable support platform", "Cut infrastructure cost per ticket"],
            platformPage.Document.QuerySelectorAll("article.okr-objective h3").Select(h => h.TextContent.Trim()).Order());
        Assert.Equal(
            ["The most reliable support platform in our category", "Reduce cost to serve by 20 %"],
            platformPage.Document.QuerySelectorAll("section.okr-goal h2 a").Select(a => a.TextContent.Trim()));

        var nested = Objective(insightsPage, "Show customers the value they get from Beacon");
        var parentId = await factory.QueryAsync(db => db.Objectives.Where(o => o.Title == "Grow expansion revenue").Select(o => o.Id).SingleAsync());
        var parentLink = nested.QuerySelectorAll("a").Single(a => a.GetAttribute("href") == $"/okrs/objectives/{parentId}");
        Assert.Equal("Grow expansion revenue", parentLink.TextContent.Trim());
        Assert.Contains("Contributes to Grow expansion revenue (Growth)", TestText.Normalise(nested.TextContent), StringComparison.Ordinal);
        // It is listed under the goal its parent serves (rank 1), though the parent itself is filtered out.
        var section = insightsPage.Document.QuerySelectorAll("section.okr-goal").Single(s => s.QuerySelectorAll("h3").Any(h => h.TextContent.Trim() == "Show customers the value they get from Beacon"));
        Assert.Equal("1", section.QuerySelector(".rank-badge")!.TextContent.Trim());
        Assert.Equal(["Self-serve analytics for support leads", "Show customers the value they get from Beacon"],
            insightsPage.Document.QuerySelectorAll("article.okr-objective h3").Select(h => h.TextContent.Trim()).Order());
    }

    [Fact]
    public async Task The_objective_page_shows_breadcrumb_alignment_key_results_trend_data_and_history()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var objective = (await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey)).Single(o => o.Title == "Make the first week effortless");
        var goal = (await factory.RankedGoalsAsync())[1];
        var checkIns = await factory.QueryAsync(db => db.CheckIns.AsNoTracking().Where(c => db.KeyResults.Any(k => k.Id == c.KeyResultId && k.ObjectiveId == objective.Id)).ToListAsync());

        var page = await client.GetAsync($"/okrs/objectives/{objective.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var crumbs = page.Document.QuerySelectorAll(".breadcrumb li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["OKRs", OkrTestData.CurrentKey, "Onboarding", "Make the first week effortless"], crumbs);
        Assert.Equal(
            ["/okrs", "/okrs?period=" + OkrTestData.CurrentKey, $"/okrs?period={OkrTestData.CurrentKey}&team={objective.TeamId}"],
            page.Document.QuerySelectorAll(".breadcrumb a").Select(a => a.GetAttribute("href")));
        var why = page.Document.QuerySelector("#okr-why")!.ParentElement!;
        Assert.Contains("Serves goal", why.TextContent, StringComparison.Ordinal);
        Assert.Contains("#2", why.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/products/1/goals/{goal.Id}", why.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == goal.Title).GetAttribute("href"));

        var kr = objective.KeyResults.Single(k => k.Title == "Median days to first resolved ticket");
        var card = page.Document.QuerySelector($"article#kr-{kr.Id}")!;
        Assert.Contains("Decrease: lower is better", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("12 days → 6 days", card.TextContent, StringComparison.Ordinal);
        var canvas = card.QuerySelector("canvas[data-okr-chart]")!;
        using var chart = System.Text.Json.JsonDocument.Parse(canvas.GetAttribute("data-okr-chart")!);
        var history = checkIns.Where(c => c.KeyResultId == kr.Id).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToList();
        Assert.Equal(history.Select(c => c.Value), chart.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDecimal()));
        Assert.Equal(history.Select(c => c.Confidence), chart.RootElement.GetProperty("confidence").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(history.Select(c => c.CreatedAt.ToUnixTimeMilliseconds()), chart.RootElement.GetProperty("at").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Equal(6m, chart.RootElement.GetProperty("target").GetDecimal());
        Assert.Equal("img", canvas.GetAttribute("role"));
        var rows = card.QuerySelectorAll("details.okr-history tbody tr").ToList();
        Assert.Equal(Math.Min(10, history.Count), rows.Count); // the latest ten; the history page has them all
        Assert.Equal(history[^1].Value, decimal.Parse(rows[0].QuerySelector("[data-value]")!.GetAttribute("data-value")!, CultureInfo.InvariantCulture)); // newest first
        Assert.Equal(history[^1].AuthorName, rows[0].Children[4].TextContent.Trim());

        // An executive reads: no check-in form and no edit, close, carry-over or move links.
        Assert.Empty(page.Document.QuerySelectorAll("form.okr-checkin"));
        Assert.Empty(page.Document.QuerySelectorAll($"a[href^='/okrs/objectives/{objective.Id}/'], a[href^='/okrs/key-results/']"));
        Assert.Contains("chart.umd.min.js", page.Html, StringComparison.Ordinal);
        Assert.Contains("/js/okr-charts.js", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_child_objective_names_its_parent_and_the_goal_up_the_chain()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var ids = await factory.QueryAsync(db => db.Objectives.Where(o => o.Title == "Show customers the value they get from Beacon" || o.Title == "Grow expansion revenue")
            .ToDictionaryAsync(o => o.Title, o => o.Id));

        var child = await client.GetAsync($"/okrs/objectives/{ids["Show customers the value they get from Beacon"]}");
        var parent = await client.GetAsync($"/okrs/objectives/{ids["Grow expansion revenue"]}");

        var why = SpokenText(child.Document.QuerySelector("#okr-why")!.ParentElement!);
        Assert.Equal("Why it matters Contributes to parent objective Grow expansion revenue (Growth), which serves goal #1 Grow net revenue retention to 115 %", why);
        Assert.NotNull(child.Document.QuerySelector($"a[href='/okrs/objectives/{ids["Grow expansion revenue"]}']"));
        Assert.NotNull(parent.Document.QuerySelector($"a[href='/okrs/objectives/{ids["Show customers the value they get from Beacon"]}']"));
    }

    [Theory]
    [InlineData(Demo.Member, "Make the first week effortless", true, true)]
    [InlineData(Demo.Member, "Be the most reliable support platform", false, false)]
    [InlineData(Demo.ProductManager, "Be the most reliable support platform", true, true)]
    [InlineData(Demo.Admin, "Show customers the value they get from Beacon", true, true)]
    [InlineData(Demo.Executive, "Make the first week effortless", false, false)]
    public async Task The_check_in_form_and_the_edit_links_follow_the_permissions(string email, string title, bool checkIn, bool edit)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var objective = (await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey)).Single(o => o.Title == title);

        var page = await client.GetAsync($"/okrs/objectives/{objective.Id}");

        Assert.Equal(checkIn ? objective.KeyResults.Count : 0, page.Document.QuerySelectorAll("form.okr-checkin").Length);
        var actions = page.Document.QuerySelectorAll(".page-actions a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(edit ? [$"/okrs/objectives/{objective.Id}/edit", $"/okrs/objectives/{objective.Id}/carry-over", $"/okrs/objectives/{objective.Id}/close", $"/okrs/objectives/{objective.Id}/retire", $"/okrs/objectives/{objective.Id}/delete"] : [], actions);
        Assert.Equal(edit ? objective.KeyResults.Select(k => $"/okrs/key-results/{k.Id}/move").ToList() : [],
            page.Document.QuerySelectorAll("a[href$='/move']").Select(a => a.GetAttribute("href")!).ToList());
        Assert.Equal(edit ? objective.KeyResults.Select(k => $"/okrs/key-results/{k.Id}/retire").ToList() : [],
            page.Document.QuerySelectorAll("a[href^='/okrs/key-results/'][href$='/retire']").Select(a => a.GetAttribute("href")!).ToList());
        if (checkIn)
        {
            var form = page.Document.QuerySelector($"form[action='/okrs/key-results/{objective.KeyResults.First().Id}/check-ins']")!;
            Assert.NotNull(form.QuerySelector($"input[name='{TestClient.TokenField}']"));
            Assert.Equal(["", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], form.QuerySelectorAll("select[name='Confidence'] option").Select(o => o.GetAttribute("value")));
        }
    }

    [Fact]
    public async Task Yes_no_and_milestone_key_results_are_checked_in_with_not_yet_or_done()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var kr = await factory.KeyResultAsync("Guided import from Zendesk launched");

        var page = await client.GetAsync($"/okrs/objectives/{kr.ObjectiveId}");

        var form = page.Document.QuerySelector($"form[action='/okrs/key-results/{kr.Id}/check-ins']")!;
        var options = form.QuerySelectorAll("select[name='Value'] option").Select(o => (o.GetAttribute("value"), o.TextContent.Trim())).ToList();
        Assert.Equal([("", "Choose…"), ("0", "Not yet"), ("1", "Done")], options);
        Assert.Null(form.QuerySelector("input[name='Value']"));
    }

    [Fact]
    public async Task The_pages_read_the_database_in_a_constant_number_of_queries()
    {
        var counter = new QueryCounter();
        using var counted = factory.WithDbContextInterceptor(counter);
        using var client = await TestClient.SignedInAsync(counted, Demo.Admin);
        var objectives = await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey);
        var platform = await factory.TeamIdAsync("Platform");
        var oneKeyResult = objectives.First(o => o.KeyResults.Count == 1 && o.GoalId != null);
        var threeKeyResults = objectives.First(o => o.KeyResults.Count == 3 && o.GoalId != null);

        // The OKR list and objective pages keep what they read until the data changes (ReadModelCache); their counts
        // after a change, at two data sizes, are in Dashboards.QueryCountTests. Here: warm, every command counted.
        async Task<int> WarmAsync(string url)
        {
            await counter.MeasureGetAsync(client, url); // a first GET, then the measured one
            return counter.Count;
        }

        var small = await WarmAsync($"/okrs/objectives/{oneKeyResult.Id}");
        var large = await WarmAsync($"/okrs/objectives/{threeKeyResults.Id}");

        Assert.Equal(await WarmAsync("/okrs"), await WarmAsync($"/okrs?team={platform}"));
        Assert.Equal(small, large);
        Assert.InRange(small, 1, 5);
    }

    /// <summary>The text a screen reader gets: without aria-hidden decoration, spaces normalised.</summary>
    internal static string SpokenText(IElement element)
    {
        var copy = (IElement)element.Clone();
        foreach (var hidden in copy.QuerySelectorAll("[aria-hidden='true']").ToList())
        {
            hidden.Remove();
        }

        return TestText.Normalise(copy.TextContent);
    }

    private static string Title(IElement node) => node.QuerySelector(":scope > article h3")!.TextContent.Trim();

    private static string? SelectedPeriod(Page page) =>
        page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#okr-period")?.Value;

    private static IElement Objective(Page page, string title) =>
        page.Document.QuerySelectorAll("article.okr-objective").Single(a => a.QuerySelector("h3")!.TextContent.Trim() == title);

    private static IElement KeyResultRow(Page page, string title) =>
        page.Document.QuerySelectorAll("li.okr-kr").Single(li => li.QuerySelector(".okr-kr-title")!.TextContent.Trim() == title);
}

/// <summary>The demo OKRs read straight from the database, and the brief's formulas computed by hand (not by the domain).</summary>
internal static class OkrTestData
{
    public static string CurrentKey => Key(DateOnly.FromDateTime(DateTime.UtcNow));

    public static string PreviousKey => Key(DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-3));

    public static string NextKey => Key(DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(3));

    public static string Key(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Year}-Q{((date.Month - 1) / 3) + 1}");

    /// <summary>The active objectives of a period with their active key results, in id order.</summary>
    public static async Task<List<Objective>> ObjectivesAsync(AlignmentHubFactory factory, string periodKey)
    {
        var objectives = await factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults)
            .Where(o => db.Periods.Any(p => p.Id == o.PeriodId && p.Key == periodKey) && o.Status != ObjectiveStatus.Retired)
            .OrderBy(o => o.Id).ToListAsync());
        return objectives;
    }

    public static Task<Period> PeriodAsync(AlignmentHubFactory factory, string key) =>
        factory.QueryAsync(db => db.Periods.AsNoTracking().SingleAsync(p => p.Key == key));

    /// <summary>Brief §2, by hand: the figure shown for a key result (may exceed 100; never below 0).</summary>
    public static decimal Shown(KeyResult kr)
    {
        var v = kr.Current ?? kr.Baseline;
        if (kr.MetricType is MetricType.Boolean or MetricType.Milestone)
        {
            return v >= 1m ? 100m : 0m;
        }

        return kr.Direction switch
        {
            MetricDirection.StayAbove => v >= kr.Target ? 100m : 0m,
            MetricDirection.StayBelow => v <= kr.Target ? 100m : 0m,
            MetricDirection.StayWithin => v >= kr.BandLow && v <= kr.BandHigh ? 100m : 0m,
            _ => Math.Max(0m, Math.Round((v - kr.Baseline) / (kr.Target - kr.Baseline) * 100m, 1, MidpointRounding.AwayFromZero)),
        };
    }

    /// <summary>Brief §2, by hand: weighted mean of the key results, each counted at most 100 %.</summary>
    public static decimal ObjectiveProgress(Objective objective)
    {
        var active = objective.KeyResults.Where(k => k.Status == KeyResultStatus.Active).ToList();
        return Math.Round(active.Sum(k => Math.Min(100m, Shown(k)) * k.Weight) / active.Sum(k => k.Weight), 1, MidpointRounding.AwayFromZero);
    }

    public static decimal ElapsedPercent(Period period, DateOnly today)
    {
        var total = period.EndDate.DayNumber - period.StartDate.DayNumber + 1;
        return Math.Clamp((decimal)(today.DayNumber - period.StartDate.DayNumber + 1) / total, 0m, 1m) * 100m;
    }

    /// <summary>A progress figure as the pages print it: "49.4 %".</summary>
    public static string Figure(decimal percent) => percent.ToString("0.#", CultureInfo.CurrentCulture) + " %";
}
