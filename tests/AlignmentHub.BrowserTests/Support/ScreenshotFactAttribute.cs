namespace AlignmentHub.BrowserTests.Support;

/// <summary>
/// A test that only saves the documentation's screenshots: skipped (and reported as skipped, not passed) unless
/// <c>ALIGNMENTHUB_SCREENSHOTS</c> names a folder, so a normal run neither pays for it nor counts it as a check.
/// </summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public const string FolderVariable = "ALIGNMENTHUB_SCREENSHOTS";

    public ScreenshotFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Folder))
        {
            Skip = $"documentation screenshots: set {FolderVariable} to a folder to take them";
        }
    }

    /// <summary>Where the screenshots go (set whenever the test runs).</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(FolderVariable);
}
