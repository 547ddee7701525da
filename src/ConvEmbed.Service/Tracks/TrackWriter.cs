using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Observability;
using ConvEmbed.Service.Processing;

namespace ConvEmbed.Service.Tracks;

/// <summary>
/// Stores a decoded track, for uploads and library files alike: in one transaction the row (the unique hash decides
/// between racing writers), its log-mel in the feature cache and — for an upload — its original in the blob store,
/// and its vector (and passages) of the model active at commit, embedded again (up to three times) when a switch came in between.
/// Any failure leaves no row, no cache entry and no blob.
/// </summary>
public sealed class TrackWriter(TrackStore store, ModelRegistry models, AudioProcessor processor, FeatureCache cache, ServiceMetrics metrics)
{
    /// <summary>The stored track (null when the same bytes were stored by someone else first), and its vector.</summary>
    public sealed record Written(Track? Track, ActiveModel Model, float[] Embedding);

    /// <param name="original">Puts an upload's original in place and takes it away again; null for a file that stays
    /// where it is (a library file).</param>
    public async Task<Written> AddAsync(Track track, string? fileName, LogMel mel, ActiveModel model, TrackVectors vectors,
        (Action Publish, Action Remove)? original, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await store.AddAsync(track, fileName, model.Id, vectors,
                    publish: async token =>
                    {
                        await cache.WriteAsync(track.Sha256, mel, token);
                        original?.Publish();
                    },
                    unpublish: () =>
                    {
                        original?.Remove();
                        try { File.Delete(cache.PathFor(track.Sha256)); } catch (IOException) { }
                    }, ct);
                if (stored is not null) metrics.TracksIngested.Add(1);
                return new Written(stored, model, vectors.Track);
            }
            catch (ActiveModelChangedException) when (attempt < 3)
            {
                model = await models.GetActiveAsync(ct);
                vectors = await processor.EmbedAsync(mel, model.Embedder, model.Passages, ct);
            }
        }
    }
}
