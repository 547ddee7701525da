using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Service.Models;

/// <summary>The model that answers now: its row id, kind, vector dimension and loaded embedder, and the plan its passages
/// are cut by (null while passages are turned off: nothing writes or searches them).</summary>
public sealed record ActiveModel(long Id, string Kind, string Name, int Dimension, IEmbeddingModel Embedder, PassagePlan? Passages);
