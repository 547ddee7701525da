using System.Text.Json;

namespace ConvEmbed.Service.Training;

/// <summary>
/// The one place job kinds and states get their names: the member's name in lower case (<c>reembedding</c>), both in
/// JSON and in <c>training_jobs</c> (whose CHECK constraints list the same names).
/// </summary>
public static class JobNames
{
    public static readonly JsonNamingPolicy Policy = JsonNamingPolicy.SnakeCaseLower;

    /// <summary>The states of a job that has not ended; at most one job is in one of them (a unique partial index).</summary>
    public static readonly IReadOnlyList<JobState> Open = [JobState.Queued, JobState.Running, JobState.Reembedding];

    /// <summary><see cref="Open"/> as an SQL list, e.g. for <c>WHERE state IN {OpenSql}</c>.</summary>
    public static readonly string OpenSql = $"({string.Join(", ", Open.Select(s => $"'{Name(s)}'"))})";

    public static string Name(JobState state) => NameOf(state);

    public static string Name(JobKind kind) => NameOf(kind);

    public static bool IsOpen(this JobState state) => Open.Contains(state);

    public static JobState ParseState(string name) => Parse<JobState>(name);

    public static JobKind ParseKind(string name) => Parse<JobKind>(name);

    private static string NameOf<T>(T value) where T : struct, Enum =>
        Enum.IsDefined(value) ? Policy.ConvertName(value.ToString()) : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no such member.");

    private static T Parse<T>(string name) where T : struct, Enum =>
        Enum.GetValues<T>().FirstOrDefault(v => NameOf(v) == name) is var value && NameOf(value) == name
            ? value
            : throw new InvalidDataException($"'{name}' is not a {typeof(T).Name} (one of {string.Join(", ", Enum.GetValues<T>().Select(NameOf))}).");
}
