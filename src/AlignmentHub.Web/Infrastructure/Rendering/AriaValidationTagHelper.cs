using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace AlignmentHub.Web.Infrastructure.Rendering;

/// <summary>
/// Ties a field's error message to its input for assistive technology: an input, select or textarea bound with
/// <c>asp-for</c> whose field has an error gets <c>aria-invalid="true"</c> and <c>aria-describedby</c> pointing at
/// the message rendered by the <c>_FieldError</c> partial (id <c>{field}-error</c>).
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class AriaValidationTagHelper : TagHelper
{
    // After the framework's own tag helpers, which write the id and the error class.
    public override int Order => 1000;

    [HtmlAttributeName("asp-for")]
    public ModelExpression For { get; set; } = null!;

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) && entry.Errors.Count > 0)
        {
            output.Attributes.SetAttribute("aria-invalid", "true");
            var describedBy = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? existing.Value + " " : string.Empty;
            output.Attributes.SetAttribute("aria-describedby", describedBy + ErrorId(name));
        }
    }

    public static string ErrorId(string fieldName) => TagBuilder.CreateSanitizedId(fieldName, "_") + "-error";
}
