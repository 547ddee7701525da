using System.CommandLine;

namespace ConvEmbed.Cli;

/// <summary>
/// Range checks on one option, reported as a parse error (exit 2). They run on the option's own result, where the
/// value is known (a command-level validator does not see defaults).
/// </summary>
public static class OptionChecks
{
    public static Option<T> Must<T>(this Option<T> option, Func<T, bool> ok, string message)
    {
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<T>();
            if (!ok(value)) r.AddError($"{option.Name} {message} (was {value})");
        });
        return option;
    }
}
