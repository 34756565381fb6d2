using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace AlignmentHub.Web.Infrastructure.Binding;

/// <summary>
/// Binds numbers (decimal, double, float, int, long) and single-choice enums with <see cref="FormValueParser"/>: a value
/// it cannot read strictly is not guessed at but refused with a message beside the field, so the form comes back (422,
/// input kept, see AppController.SubmitAsync) instead of saving something else than what was typed.
/// </summary>
public sealed class StrictValueModelBinder(Type type) : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var name = bindingContext.ModelName;
        var result = bindingContext.ValueProvider.GetValue(name);
        if (result == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        // Kept so the form shows the typed text again; of a key posted twice, the first value counts (as the framework does).
        bindingContext.ModelState.SetModelValue(name, result);
        var text = result.FirstValue;
        if (string.IsNullOrWhiteSpace(text))
        {
            // As the framework: empty is "no value", which only a nullable field may hold; validators say what is missing.
            if (bindingContext.ModelMetadata.IsReferenceOrNullableType)
            {
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else
            {
                bindingContext.ModelState.TryAddModelError(name, bindingContext.ModelMetadata.ModelBindingMessageProvider.ValueMustNotBeNullAccessor(result.ToString()));
            }

            return Task.CompletedTask;
        }

        var problem = type.IsEnum ? FormValueParser.ParseChoice(text, type, out var value) : FormValueParser.ParseNumber(text, type, out value);
        if (problem == FormValueProblem.None)
        {
            bindingContext.Result = ModelBindingResult.Success(value);
            return Task.CompletedTask;
        }

        var message = FormValueParser.Message(problem, type)
            ?? bindingContext.ModelMetadata.ModelBindingMessageProvider.AttemptedValueIsInvalidAccessor(text, bindingContext.ModelMetadata.DisplayName ?? name);
        bindingContext.ModelState.TryAddModelError(name, message);
        return Task.CompletedTask;
    }
}

/// <summary>Chooses <see cref="StrictValueModelBinder"/> for the numbers and single-choice enums it reads (nullable or not).</summary>
public sealed class StrictValueModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Metadata.UnderlyingOrModelType;
        return FormValueParser.IsNumber(type) || FormValueParser.IsChoice(type) ? new StrictValueModelBinder(type) : null;
    }
}
