using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace AlignmentHub.Web.Infrastructure.Rendering;

/// <summary>One-shot messages shown after a redirect ("Goal saved.").</summary>
public static class Flash
{
    private const string Key = "flash";

    public static void Success(this ITempDataDictionary tempData, string message) => tempData[Key] = "success|" + message;

    public static void Warning(this ITempDataDictionary tempData, string message) => tempData[Key] = "warning|" + message;

    public static (string Kind, string Message)? Read(ITempDataDictionary tempData)
    {
        if (tempData[Key] is not string value || value.IndexOf('|', StringComparison.Ordinal) is var bar && bar < 0)
        {
            return null;
        }

        return (value[..bar], value[(bar + 1)..]);
    }
}

/// <summary>A breadcrumb trail; the last crumb is the current page and has no link.</summary>
public sealed record Crumb(string Text, string? Url = null);
