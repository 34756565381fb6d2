using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Escapes line breaks and other control characters in every logged value (user names, paths, form values), so that
/// input such as "a@b.test\r\n[12:00:00 INF] User admin signed in" cannot start a forged line in the plain-text log
/// (security checklist H.35). Runs last, on every event, whichever code logged it.
/// </summary>
public sealed class LogInjectionGuard : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var safe = Clean(value);
            if (!ReferenceEquals(safe, value))
            {
                (replaced ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The text with control characters written as escapes (\r, \n, \u001b …); the same instance when there are none.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case var _ when NeedsEscape(c): builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    // Tab is harmless on one line; U+2028/U+2029 end lines in some viewers.
    private static bool NeedsEscape(char c) => (char.IsControl(c) && c != '\t') || c is '\u2028' or '\u2029';

    private static LogEventPropertyValue Clean(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var escaped = Escape(text);
                return ReferenceEquals(escaped, text) ? value : new ScalarValue(escaped);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Clean).ToList();
                return elements.Where((e, i) => !ReferenceEquals(e, sequence.Elements[i])).Any() ? new SequenceValue(elements) : value;
            case StructureValue structure:
                var properties = structure.Properties.Select(p => new { p, v = Clean(p.Value) }).ToList();
                return properties.Any(x => !ReferenceEquals(x.v, x.p.Value))
                    ? new StructureValue(properties.Select(x => new LogEventProperty(x.p.Name, x.v)), structure.TypeTag)
                    : value;
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new { Key = (ScalarValue)Clean(e.Key), Value = Clean(e.Value), e }).ToList();
                return entries.Any(x => !ReferenceEquals(x.Key, x.e.Key) || !ReferenceEquals(x.Value, x.e.Value))
                    ? new DictionaryValue(entries.Select(x => new KeyValuePair<ScalarValue, LogEventPropertyValue>(x.Key, x.Value)))
                    : value;
            default:
                return value;
        }
    }
}
