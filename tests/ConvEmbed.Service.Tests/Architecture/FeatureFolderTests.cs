using NetArchTest.Rules;

namespace ConvEmbed.Service.Tests.Architecture;

/// <summary>
/// The service's feature folders (one namespace each) depend one way: Tracks, Search, Map and Training on Models; Models
/// on Storage only; Storage on no feature folder. Read from the compiled IL (method bodies included), so a type used
/// anywhere counts, not only in signatures. A new folder must be given its place here.
/// </summary>
public sealed class FeatureFolderTests
{
    private const string Root = "ConvEmbed.Service";

    /// <summary>What each folder may use. Extensions (and Program.cs) wire everything together and are left out.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Errors"] = [],
        ["Observability"] = [],
        ["Network"] = [],
        ["Storage"] = ["Errors"],
        ["Processing"] = ["Observability"],
        ["Models"] = ["Storage", "Errors"],
        ["Tracks"] = ["Models", "Processing", "Storage", "Observability", "Errors"],
        ["Search"] = ["Tracks", "Models", "Processing", "Storage", "Observability", "Errors"],
        ["Map"] = ["Models", "Storage", "Errors"],
        ["Training"] = ["Tracks", "Models", "Storage", "Errors"],
        ["Library"] = ["Tracks", "Models", "Processing", "Storage", "Errors"],
        ["Playlists"] = ["Search", "Library", "Tracks", "Models", "Storage", "Errors"],
        ["Passages"] = ["Training", "Tracks", "Models", "Processing", "Storage", "Observability", "Errors"],
        ["Health"] = ["Storage", "Errors"],
        ["Admin"] = ["Training", "Library", "Models", "Storage", "Errors"],
    };

    private static readonly string[] Composition = ["Extensions"];

    public static TheoryData<string> Folders() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Folders))]
    public void AFolderUsesOnlyTheFoldersBelowIt(string folder)
    {
        var forbidden = Allowed.Keys.Concat(Composition).Where(f => f != folder && !Allowed[folder].Contains(f)).Select(f => $"{Root}.{f}").ToArray();

        var result = Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespace($"{Root}.{folder}")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful,
            $"{folder} may use only {string.Join(", ", Allowed[folder].DefaultIfEmpty("no other folder"))}; these types use more: " +
            string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    [Fact]
    public void EveryFolderHasItsPlace()
    {
        var namespaces = typeof(Program).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Root + ".", StringComparison.Ordinal)).Select(n => n[(Root.Length + 1)..].Split('.')[0]).ToHashSet();

        Assert.Empty(namespaces.Except(Allowed.Keys).Except(Composition).Except(["Microsoft", "System"]));
    }

    [Fact]
    public void TheRulesThemselvesHaveNoCycle()
    {
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        void Visit(string folder)
        {
            Assert.True(visiting.Add(folder), $"the allowed dependencies go round through {folder}");
            foreach (var next in Allowed[folder]) if (!done.Contains(next)) Visit(next);
            visiting.Remove(folder);
            done.Add(folder);
        }
        foreach (var folder in Allowed.Keys) if (!done.Contains(folder)) Visit(folder);
    }
}
