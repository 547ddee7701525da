using System.Text.Json.Serialization;

namespace ConvEmbed.Service.Training;

/// <summary>What a job does, named by <see cref="JobNames"/>.</summary>
[JsonConverter(typeof(JobNameConverter<JobKind>))]
public enum JobKind
{
    /// <summary>Train a new model, then re-embed every track and switch to it.</summary>
    Train,
    /// <summary>Only re-embed with an existing model (activating one that lacks vectors) and switch.</summary>
    Reembed,
}
