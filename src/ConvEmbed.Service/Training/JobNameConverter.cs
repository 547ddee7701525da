using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvEmbed.Service.Training;

/// <summary>Job kinds and states in JSON by their <see cref="JobNames"/> (lower case: <c>reembedding</c>).</summary>
public sealed class JobNameConverter<T>() : JsonStringEnumConverter<T>(JobNames.Policy, allowIntegerValues: false) where T : struct, Enum;
