using System.Diagnostics;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Embeddings;
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

    public async Task<(LogMel Mel, float[] Embedding)> DecodeAndEmbedAsync(Func<Stream> open, IEmbeddingModel model, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            var started = Stopwatch.GetTimestamp();
            LogMel mel;
            await using (var input = open()) mel = await extractor.ExtractAsync(input, ct);
            metrics.DecodeSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

            started = Stopwatch.GetTimestamp();
            var embedding = model.Embed(mel);
            metrics.EmbedSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return (mel, embedding);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Embeds an already decoded track (with a model that became active after it was decoded).</summary>
    public async Task<float[]> EmbedAsync(LogMel mel, IEmbeddingModel model, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var embedding = model.Embed(mel);
            metrics.EmbedSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return embedding;
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();
}
