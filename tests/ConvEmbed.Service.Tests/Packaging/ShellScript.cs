using System.Text.RegularExpressions;

namespace ConvEmbed.Service.Tests.Packaging;

/// <summary>The two things the packaging tests read out of shell text: a quoted list variable and apt-get installs.</summary>
public static partial class ShellScript
{
    /// <summary>The words of the first <c>NAME="word word …"</c> assignment in <paramref name="script"/>.</summary>
    public static IReadOnlyList<string> ListVariable(string script, string name)
    {
        var match = Regex.Match(script, $@"(?:^|[\s;]){Regex.Escape(name)}=""([^""$]*)""", RegexOptions.Multiline);
        if (!match.Success) throw new InvalidDataException($"no {name}=\"…\" assignment found");
        return Words(match.Groups[1].Value);
    }

    /// <summary>The packages every <c>apt-get install</c> in <paramref name="script"/> names, list variables expanded.</summary>
    public static IReadOnlyList<string> AptInstalls(string script)
    {
        var packages = new List<string>();
        foreach (var command in CommandSeparator().Split(script))
        {
            var words = Words(command);
            var install = words.IndexOf("install");
            if (install < 1 || words[install - 1] != "apt-get") continue;
            foreach (var word in words.Skip(install + 1).Where(w => !w.StartsWith('-')))
            {
                var variable = VariableReference().Match(word);
                packages.AddRange(variable.Success ? ListVariable(script, variable.Groups[1].Value) : [word]);
            }
        }
        return packages;
    }

    private static List<string> Words(string text) => text.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries).ToList();

    [GeneratedRegex(@";|&&|\|\||\n")]
    private static partial Regex CommandSeparator();

    [GeneratedRegex(@"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")]
    private static partial Regex VariableReference();
}
