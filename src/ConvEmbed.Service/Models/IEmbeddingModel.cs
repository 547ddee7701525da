using ConvEmbed.Audio.Features;

namespace ConvEmbed.Service.Models;

/// <summary>Turns a track's log-mel into its ℓ2-normalised vector. Implementations are safe to call from many threads.</summary>
public interface IEmbeddingModel : IDisposable
{
    int Dimension { get; }

    /// <summary>Synchronous on purpose: native work stays on one thread inside its dispose scope.</summary>
    float[] Embed(LogMel mel);
}
