using System.Globalization;
using AlignmentHub.Domain.Okrs;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace AlignmentHub.Web.Features.Objectives;

/// <summary>
/// One key-result row as the form renders it. <see cref="Index"/> is the row's position ("0", "1" …) or
/// <see cref="TemplateIndex"/> in the &lt;template&gt; that objective-form.js clones and renumbers.
/// </summary>
public sealed record KeyResultRowModel(string Index, int Number, KeyResultRow Row, int CheckIns, int LinkedItems, bool CanRemove)
{
    public const string TemplateIndex = "__index__";

    public bool IsTemplate => Index == TemplateIndex;

    public bool IsExisting => Row.KeyResultId is not null;

    public string Name(string field) => $"KeyResults[{Index}].{field}";

    public string Id(string field) => TagBuilder.CreateSanitizedId(Name(field), "_");

    /// <summary>What the user typed (kept even when it was not a number), else the row's value.</summary>
    public string? Value(ModelStateDictionary modelState, string field, object? modelValue)
    {
        if (!IsTemplate && modelState.TryGetValue(Name(field), out var entry) && entry.AttemptedValue is not null)
        {
            return entry.AttemptedValue;
        }

        return modelValue switch
        {
            null => null,
            decimal d => d.ToString("0.##########", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => modelValue.ToString(),
        };
    }

    public string? Error(ModelStateDictionary modelState, string field) =>
        IsTemplate ? null : modelState[Name(field)]?.Errors.FirstOrDefault()?.ErrorMessage;

    /// <summary>Whether an option of an enum select is the chosen one (the posted name or number, else the row's value).</summary>
    public bool IsSelected<TEnum>(ModelStateDictionary modelState, string field, TEnum option, TEnum? modelValue)
        where TEnum : struct, Enum
    {
        if (!IsTemplate && modelState.TryGetValue(Name(field), out var entry) && entry.AttemptedValue is { } attempted)
        {
            return string.Equals(attempted, option.ToString(), StringComparison.OrdinalIgnoreCase)
                || attempted == Convert.ToInt32(option, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        return modelValue is { } value && EqualityComparer<TEnum>.Default.Equals(value, option);
    }

    public static IReadOnlyList<MetricType> MetricTypes { get; } = Enum.GetValues<MetricType>();

    public static IReadOnlyList<MetricDirection> Directions { get; } = Enum.GetValues<MetricDirection>();
}
