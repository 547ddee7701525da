using System.Globalization;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Service.Models;

/// <summary>Passage vectors and passage search (docs/passages.md). Bound from <c>ConvEmbed:Passages</c>.</summary>
public sealed record PassageOptions
{
    public const string Section = "ConvEmbed:Passages";

    /// <summary>Whether tracks get passage vectors (on upload, library indexing and re-embedding) and passage search
    /// answers. Turned off, nothing is written and the passage endpoints answer 409; turned on again, the tracks that
    /// lack passages get them in the background.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Length of a passage in seconds, recorded with each model when it is registered (a model keeps its own).</summary>
    public double LengthSeconds { get; init; } = PassagePlan.Default.LengthSeconds;

    /// <summary>Seconds between the starts of consecutive passages.</summary>
    public double HopSeconds { get; init; } = PassagePlan.Default.HopSeconds;

    /// <summary>The longest clip <c>POST /search/passages</c> takes, in seconds.</summary>
    public double MaxClipSeconds { get; init; } = 300;

    /// <summary>Stored passages each passage of a search asks the HNSW index for (its <c>hnsw.ef_search</c>); a second,
    /// four times wider round runs only when the first names too few tracks. More finds more of the exact answer and
    /// costs time: docs/benchmarks.md#passage-search.</summary>
    public int Candidates { get; init; } = 200;

    public PassagePlan Plan => new(LengthSeconds, HopSeconds);

    public IEnumerable<string> Validate()
    {
        foreach (var error in Plan.Validate(Section)) yield return error;
        if (MaxClipSeconds < LengthSeconds || MaxClipSeconds > 1200)
            yield return $"{Section}:MaxClipSeconds must be between LengthSeconds and 1200 (was {MaxClipSeconds.ToString(CultureInfo.InvariantCulture)}).";
        if (Candidates is < 20 or > 1000)
            yield return $"{Section}:Candidates must be between 20 and 1000 (was {Candidates}).";
    }
}
