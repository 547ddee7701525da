namespace ConvEmbed.Service.Models;

/// <summary>What trained an encoder model, stored in its row's <c>settings</c>; <paramref name="Whitened"/>: its vectors
/// are whitened by a whitening stored with it.</summary>
public sealed record EncoderModelSettings(string Objective, string Encoder, int Steps, double Minutes, double TrainingLoss,
    double? EmbeddingStd, int Seed, int Batch, int Window, int Tracks, long JobId, string Device = "cpu", bool Whitened = false);
