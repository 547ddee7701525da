using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Service.Models;

/// <summary>The model that answers now: its row id, kind, vector dimension and loaded embedder.</summary>
public sealed record ActiveModel(long Id, string Kind, string Name, int Dimension, IEmbeddingModel Embedder);
