using System.Diagnostics;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Observability;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Processing;

/// <summary>
/// Decode → log-mel → embed, the seconds-long part of an upload or search, with at most
/// <see cref="ProcessingOptions.MaxConcurrency"/> running at once (others wait), so a burst of uploads cannot starve
/// the requests that only read. Embedding is synchronous on the calling thread (native work stays in one dispose scope).
/// </summary>
public sealed class AudioProcessor(FeatureExtractor extractor, IOptions<ProcessingOptions> options, ServiceMetrics metrics) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrency, options.Value.MaxConcurrency);

    /// <summary>Decodes and embeds: the track's vector and, with a <paramref name="passages"/> plan, its passages.</summary>
    public async Task<(LogMel Mel, TrackVectors Vectors)> DecodeAndEmbedAsync(Func<Stream> open, IEmbeddingModel model, PassagePlan? passages,
        CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            var started = Stopwatch.GetTimestamp();
            LogMel mel;
            await using (var input = open()) mel = await extractor.ExtractAsync(input, ct);
            metrics.DecodeSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

            return (mel, Embed(mel, model, passages));
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Embeds an already decoded track (with a model that became active after it was decoded).</summary>
    public async Task<TrackVectors> EmbedAsync(LogMel mel, IEmbeddingModel model, PassagePlan? passages, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            return Embed(mel, model, passages);
        }
        finally
        {
            slots.Release();
        }
    }

    private TrackVectors Embed(LogMel mel, IEmbeddingModel model, PassagePlan? passages)
    {
        var started = Stopwatch.GetTimestamp();
        var vectors = passages is null ? TrackVectors.TrackOnly(model.Embed(mel)) : model.EmbedWithPassages(mel, passages);
        metrics.EmbedSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return vectors;
    }

    public void Dispose() => slots.Dispose();
}
