using System.Diagnostics.Metrics;

namespace ConvEmbed.Service.Observability;

/// <summary>The service's own meters, exported with the ASP.NET Core ones at <c>/metrics</c>.</summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "ConvEmbed.Service";

    public ServiceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        TracksIngested = meter.CreateCounter<long>("convembed.tracks.ingested", "{track}", "Tracks stored by uploads (duplicates not counted).");
        DecodeSeconds = meter.CreateHistogram<double>("convembed.decode.duration", "s", "Decoding and log-mel of one uploaded file.");
        EmbedSeconds = meter.CreateHistogram<double>("convembed.embed.duration", "s", "Embedding one track with the active model.");
        SimilarSeconds = meter.CreateHistogram<double>("convembed.similar.duration", "s", "One similar-tracks query against the vector index.");
    }

    public Counter<long> TracksIngested { get; }
    public Histogram<double> DecodeSeconds { get; }
    public Histogram<double> EmbedSeconds { get; }
    public Histogram<double> SimilarSeconds { get; }
}
