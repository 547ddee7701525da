using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Storage;

/// <summary>Adapts an options record's own <c>Validate()</c> to the options pipeline, so bad settings stop start-up.</summary>
internal sealed class OptionsValidation<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
