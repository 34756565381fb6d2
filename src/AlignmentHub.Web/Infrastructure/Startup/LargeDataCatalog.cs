using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Strategy;

namespace AlignmentHub.Web.Infrastructure.Startup;

/// <summary>The word lists and templates <see cref="LargeDataSeeder"/> combines into its large demo data set.</summary>
internal static class LargeDataCatalog
{
    public const string ProductDescription = "Work-management platform for distributed engineering organisations (large demo data set).";

    public const string VisionText = """
        # One place where distributed teams plan, build and ship

        Atlas gives engineering organisations of 50 to 5,000 people **a single, honest picture of their work**:
        what is planned, why it matters, and whether it is on track.

        ## Who we serve
        - Engineering and product teams spread over time zones
        - Leaders who must explain where effort goes and why

        ## What we believe
        1. Every piece of work should be able to say why it exists.
        2. Status should be a by-product of doing the work, never a report written on Friday.
        3. Speed and reliability are features.

        ## Where we are going
        By 2028, Atlas is the tool enterprise engineering organisations choose first — in Europe, North America and Asia.
        """;

    public static readonly IReadOnlyList<(string Title, string Description, string SuccessMetric, GoalHorizon Horizon)> Goals =
    [
        ("Grow annual recurring revenue to €50 M", "Grow revenue from new and existing customers.", "ARR at the end of the fiscal year", GoalHorizon.MidTerm),
        ("New workspaces see value within 3 days", "Shorten time-to-first-value so trials convert and stick.", "Median days from sign-up to first shipped project", GoalHorizon.ShortTerm),
        ("99.95 % availability every month", "Teams cannot plan when the tool is down.", "Monthly uptime and Sev-1 incidents", GoalHorizon.MidTerm),
        ("Win enterprise accounts with 1,000+ seats", "Move up-market with the controls enterprises need.", "Enterprise accounts above 1,000 seats", GoalHorizon.LongTerm),
        ("Halve churn in the SMB segment", "Small customers leave for lack of adoption, not price.", "Monthly logo churn, SMB", GoalHorizon.MidTerm),
        ("The fastest tool in the category", "Every page answers in under a second.", "P95 page load time", GoalHorizon.ShortTerm),
        ("Open the Japanese and Korean markets", "Localised product, local partners and data residency.", "Qualified pipeline in Japan and Korea", GoalHorizon.LongTerm),
        ("Pass SOC 2 Type II and ISO 27001", "Security reviews must stop blocking enterprise deals.", "Certifications issued", GoalHorizon.MidTerm),
        ("A thriving integration ecosystem", "Partners build on Atlas, customers connect their tools.", "Published partner integrations", GoalHorizon.LongTerm),
        ("Cut cost to serve by 25 %", "Keep gross margin healthy while we grow.", "Infrastructure cost per active workspace", GoalHorizon.MidTerm),
        ("Mobile becomes a first-class client", "People check in and triage on the go.", "Weekly active mobile users", GoalHorizon.MidTerm),
        ("Reporting becomes the reason customers renew", "Leaders see the value of Atlas in its reports.", "Accounts using reports monthly", GoalHorizon.LongTerm),
    ];

    public static readonly (string Title, string Reason) RetiredGoal =
        ("Launch an on-premise edition", "Retired in the annual plan: enterprise buyers accept our cloud with data residency.");

    public static readonly IReadOnlyList<(string Area, string Mission)> Teams =
    [
        ("Search", "Find anything in under a second."),
        ("Payments", "Make paying for Atlas effortless in every market."),
        ("Mobile", "Atlas in your pocket, as good as on the desktop."),
        ("Identity", "Sign-in, SSO and permissions that enterprises trust."),
        ("Platform", "Keep Atlas fast, reliable and affordable to run."),
        ("Data", "Trustworthy data for every report and decision."),
        ("Growth", "Win new customers and help them expand."),
        ("Onboarding", "Every new workspace succeeds in its first week."),
        ("Billing", "Clear invoices and fair, flexible plans."),
        ("Integrations", "Connect Atlas to the tools teams already use."),
        ("Reporting", "Reports leaders read and act on."),
        ("Notifications", "The right message, once, at the right time."),
        ("Collaboration", "Work together in real time without friction."),
        ("Security", "Secure by default, auditable by design."),
        ("Performance", "Every page answers in under a second."),
        ("Design System", "Consistent, accessible building blocks for every team."),
        ("Marketplace", "A home for partner apps and templates."),
        ("Localisation", "Atlas in every language our customers speak."),
        ("Support Tools", "Help our support team help customers fast."),
        ("Public API", "A stable, well-documented API partners love."),
    ];

    public static readonly IReadOnlyList<string> MemberNames =
    [
        "Ava Fischer", "Ben Okafor", "Chloé Martin", "Daniel Sato", "Emma Novak", "Farid Haddad", "Grace Lin", "Hugo Silva",
        "Ines Kowalski", "Jakob Berg", "Kira Tanaka", "Liam O'Neill", "Maya Patel", "Nils Andersen", "Olivia Rossi",
        "Pablo García", "Quinn Murphy", "Rosa Jansen", "Samir Khan", "Tara Nguyen",
    ];

    public const string ProductManagerName = "Lena Vogel";

    public static readonly IReadOnlyList<string> ObjectiveTitles =
    [
        "Make {0} the fastest in the category",
        "Delight new users of {0}",
        "Grow revenue through {0}",
        "Make {0} reliable at enterprise scale",
        "Reduce the cost of running {0}",
        "Win enterprise buyers with {0}",
        "Help customers get more out of {0}",
        "Take {0} to new markets",
        "Make {0} secure by default",
        "Turn {0} into a reason to renew",
        "Simplify {0} for small teams",
        "Raise the quality bar of {0}",
    ];

    /// <summary>Key result templates; <c>Integer</c> values are whole counts, <c>Scale</c> ones may be scaled per team.</summary>
    public static readonly IReadOnlyList<KrTemplate> KeyResults =
    [
        new("Weekly active users", MetricType.Number, MetricDirection.Increase, 12_000, 18_000, Unit: "users", MetricName: "Weekly active users", Integer: true, Scale: true),
        new("Trial-to-paid conversion", MetricType.Percent, MetricDirection.Increase, 12, 18, MetricName: "Trial conversion"),
        new("Net revenue retention", MetricType.Percent, MetricDirection.Increase, 102, 112, MetricName: "Net revenue retention"),
        new("Monthly logo churn", MetricType.Percent, MetricDirection.Decrease, 3.2m, 2.0m, MetricName: "Monthly churn"),
        new("P95 page load time", MetricType.Number, MetricDirection.Decrease, 1_800, 900, Unit: "ms", MetricName: "P95 page load", Integer: true, Scale: true),
        new("Monthly uptime", MetricType.Percent, MetricDirection.StayAbove, 99.9m, 99.95m, MetricName: "Uptime"),
        new("Sev-1 incidents this quarter", MetricType.Number, MetricDirection.StayBelow, 0, 1, Unit: "incidents", Integer: true),
        new("Cost per active workspace", MetricType.Currency, MetricDirection.Decrease, 4.20m, 3.10m, Currency: "EUR", MetricName: "Cost per workspace", Scale: true),
        new("Qualified enterprise pipeline", MetricType.Currency, MetricDirection.Increase, 0, 2_000_000, Currency: "EUR", Scale: true),
        new("New ARR from expansion", MetricType.Currency, MetricDirection.Increase, 250_000, 600_000, Currency: "USD", Scale: true),
        new("Median days to first shipped project", MetricType.Number, MetricDirection.Decrease, 9, 3, Unit: "days", MetricName: "Days to first value"),
        new("Setup completion rate", MetricType.Percent, MetricDirection.Increase, 40, 70),
        new("Support tickets per 100 accounts", MetricType.Number, MetricDirection.Decrease, 38, 25, Unit: "tickets", MetricName: "Tickets per account"),
        new("Tickets resolved in-app per 100 accounts", MetricType.Number, MetricDirection.Increase, 20, 35, Unit: "tickets", MetricName: "Tickets per account"),
        new("SOC 2 Type II report issued", MetricType.Milestone, MetricDirection.Increase, 0, 1),
        new("Japanese localisation live", MetricType.Boolean, MetricDirection.Increase, 0, 1),
        new("Partner integrations published", MetricType.Number, MetricDirection.Increase, 24, 40, Unit: "integrations", Integer: true),
        new("API error rate", MetricType.Percent, MetricDirection.StayBelow, 0.8m, 0.5m, MetricName: "API error rate"),
        new("Database CPU at peak", MetricType.Percent, MetricDirection.StayWithin, 55, 55, BandLow: 40, BandHigh: 70),
        new("Mobile crash-free sessions", MetricType.Percent, MetricDirection.StayAbove, 99.0m, 99.5m),
        new("Mobile app store rating", MetricType.Number, MetricDirection.Increase, 3.9m, 4.5m, Unit: "stars"),
        new("Reports viewed per account per month", MetricType.Number, MetricDirection.Increase, 6, 12, Unit: "views", Scale: true),
        new("Accounts using scheduled reports", MetricType.Percent, MetricDirection.Increase, 15, 35),
        new("Search success rate", MetricType.Percent, MetricDirection.Increase, 62, 80),
        new("Days to fix high security findings", MetricType.Number, MetricDirection.Decrease, 30, 10, Unit: "days", Integer: true),
        new("Adoption of the new editor", MetricType.Percent, MetricDirection.Increase, 5, 40),
        new("Customer satisfaction (CSAT)", MetricType.Percent, MetricDirection.StayAbove, 88, 90, MetricName: "CSAT"),
        new("Invoices paid on time", MetricType.Percent, MetricDirection.Increase, 82, 95),
        new("Queue wait time at peak", MetricType.Number, MetricDirection.StayWithin, 5, 5, BandLow: 2, BandHigh: 8, Unit: "s"),
        new("Enterprise SSO generally available", MetricType.Milestone, MetricDirection.Increase, 0, 1),
        new("Seats per enterprise account", MetricType.Number, MetricDirection.Increase, 350, 500, Unit: "seats", Integer: true, Scale: true),
        new("Deploys per week", MetricType.Number, MetricDirection.Increase, 8, 20, Unit: "deploys", Integer: true),
    ];

    public static readonly IReadOnlyList<string> CheckInNotes =
    [
        "Steady progress this week.",
        "Blocked on another team, recovering.",
        "Good results from the latest release.",
        "Numbers from the weekly dashboard.",
        "Dip after the holiday week, expected.",
        "Experiment results are in: positive.",
        "Data pipeline was late; value estimated.",
        "On track after the fix shipped on Tuesday.",
        "Needs a decision in the next review.",
        "Customer feedback confirms the trend.",
    ];

    public static readonly IReadOnlyList<string> ItemQualifiers =
    [
        "Bulk", "Faster", "Simpler", "Smarter", "Offline", "Real-time", "Scheduled", "Self-service", "Guided", "Configurable",
        "Shared", "Audited", "Localised", "Accessible", "Mobile", "Enterprise", "Automated", "Redesigned", "Versioned", "Secure",
        "Keyboard-first", "Multi-region", "Template-based", "AI-assisted", "Granular",
    ];

    public static readonly IReadOnlyList<string> ItemFeatures =
    [
        "project import", "saved filters", "board view", "timeline view", "workload chart", "sprint planning", "time tracking",
        "invoice export", "plan upgrades", "seat management", "SSO setup", "SCIM provisioning", "role editor", "audit log export",
        "search results", "search suggestions", "notification digest", "mention alerts", "Slack integration", "Teams integration",
        "GitHub sync", "Jira importer", "webhooks", "REST API pagination", "API tokens", "report builder", "dashboard sharing",
        "CSV export", "custom fields", "workflow rules", "approval steps", "comment threads", "file previews", "real-time editing",
        "templates gallery", "onboarding checklist", "sample workspace", "trial extension", "usage analytics", "status page",
        "incident banner", "background jobs", "cache layer", "read replicas", "data residency", "encryption keys",
        "password policies", "session management", "mobile push", "widget library", "design tokens", "dark mode",
        "translation memory", "right-to-left layouts", "partner listings", "app reviews", "support console", "customer timeline",
        "release notes", "feature flags",
    ];

    public static readonly IReadOnlyList<decimal> Efforts = [1m, 2m, 2m, 3m, 3m, 3m, 5m, 5m, 5m, 8m, 8m, 13m, 21m];

    public static readonly IReadOnlyList<decimal> RiceImpacts = [0.25m, 0.5m, 1m, 1m, 2m, 2m, 3m];

    public static readonly IReadOnlyList<int> RiceConfidences = [20, 50, 50, 80, 80, 80, 100];
}

internal sealed record KrTemplate(
    string Title,
    MetricType Type,
    MetricDirection Direction,
    decimal Baseline,
    decimal Target,
    decimal? BandLow = null,
    decimal? BandHigh = null,
    string? Unit = null,
    string? Currency = null,
    string? MetricName = null,
    bool Integer = false,
    bool Scale = false);
