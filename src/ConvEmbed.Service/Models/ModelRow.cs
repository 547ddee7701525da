using ConvEmbed.Model.Passages;

namespace ConvEmbed.Service.Models;

/// <summary>A row of <c>models</c>: what is needed to load it (kind, settings, folder) and to search with it (id, dimension,
/// the plan its passages are cut by).</summary>
public sealed record ModelRow(long Id, string Kind, string Name, int Dimension, string Settings, string? Folder,
    DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, bool IsActive, PassagePlan Passages);
