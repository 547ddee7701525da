using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Turns a track's log-mel into vectors: one for the whole track, or one per window. The service embeds uploads and
/// re-embeds its library with one; the CLI's <c>embed</c> writes files with one. Implementations are safe to call from
/// many threads, and synchronous on purpose: native work stays on the calling thread inside its dispose scope.
/// </summary>
public interface IEmbeddingModel : IDisposable
{
    int Dimension { get; }

    float[] Embed(LogMel mel);

    /// <summary>One vector per window of the track, with the window's start in seconds.</summary>
    IReadOnlyList<(double StartSeconds, float[] Embedding)> EmbedSegments(LogMel mel);

    /// <summary>The track's vector (the same as <see cref="Embed"/>'s) and one vector per passage of
    /// <paramref name="plan"/>, from one pass over the audio.</summary>
    TrackVectors EmbedWithPassages(LogMel mel, PassagePlan plan);
}
