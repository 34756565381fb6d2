using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;
using Microsoft.Extensions.Options;

namespace AlignmentHub.Web.Infrastructure.Binding;

/// <summary>
/// Puts <see cref="StrictValueModelBinderProvider"/> ahead of the framework's binders for simple values, so every form
/// of the app reads numbers and options strictly. Body, header and service bindings come earlier in the list and are
/// not affected.
/// </summary>
public sealed class StrictBindingSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var providers = options.ModelBinderProviders;
        var first = providers.Select((p, i) => (p, i))
            .FirstOrDefault(x => x.p is FloatingPointTypeModelBinderProvider or EnumTypeModelBinderProvider or SimpleTypeModelBinderProvider);
        if (first.p is null)
        {
            // Registered before AddControllersWithViews: at index 0 it would also take over [FromBody] values.
            throw new InvalidOperationException("Register StrictBindingSetup after AddControllersWithViews.");
        }

        providers.Insert(first.i, new StrictValueModelBinderProvider());
    }
}
