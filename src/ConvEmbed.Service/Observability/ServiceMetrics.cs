using System.Diagnostics.Metrics;

namespace ConvEmbed.Service.Observability;

/// <summary>The service's own meters, exported with the ASP.NET Core ones at <c>/metrics</c>.</summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "ConvEmbed.Service";

    // From a millisecond query to a minute-long decode; the exporter's default buckets are for milliseconds.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    public ServiceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        TracksIngested = meter.CreateCounter<long>("convembed.tracks.ingested", "{track}", "Tracks stored, by uploads and library indexing (duplicates not counted).");
        DecodeSeconds = meter.CreateHistogram("convembed.decode.duration", "s", "Decoding and log-mel of one uploaded file.", advice: Seconds);
        EmbedSeconds = meter.CreateHistogram("convembed.embed.duration", "s", "Embedding one track with the active model.", advice: Seconds);
        SimilarSeconds = meter.CreateHistogram("convembed.similar.duration", "s", "One similar-tracks query against the vector index.", advice: Seconds);
    }

    public Counter<long> TracksIngested { get; }
    public Histogram<double> DecodeSeconds { get; }
    public Histogram<double> EmbedSeconds { get; }
    public Histogram<double> SimilarSeconds { get; }
}
