namespace ConvEmbed.Service.Models;

/// <summary>What trained an encoder model, stored in its row's <c>settings</c>.</summary>
public sealed record EncoderModelSettings(string Objective, string Encoder, int Steps, double Minutes, double TrainingLoss,
    double? EmbeddingStd, int Seed, int Batch, int Window, int Tracks, long JobId, string Device = "cpu");
