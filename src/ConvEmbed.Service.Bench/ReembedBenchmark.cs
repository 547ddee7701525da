using System.Diagnostics;
using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Service.Training;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// `--reembed`: the service's re-embedding path (<see cref="Reembedder"/>: tracks without a vector of a model, in
/// batches, log-mel read from the feature cache, encoder forward, insert) over every track of the library, with an
/// encoder of the service's default preset (fresh weights: the cost of a forward pass does not depend on them) under a
/// model row of its own. Every synthetic track's feature-cache entry is a symbolic link to the log-mel of one uploaded
/// track, so each one costs what a real track of that length costs without storing N copies. Reports tracks per
/// minute and the process's resident memory along the way (peak and at each tenth), to show whether it stays flat.
/// </summary>
internal sealed class ReembedBenchmark(BenchHost host)
{
    public sealed record Result(int Tracks, double TrackSeconds, double Seconds, double TracksPerMinute, double PeakMiB, IReadOnlyList<(long Done, double RssMiB)> Rss);

    public async Task<Result> RunAsync(CancellationToken ct = default)
    {
        var cache = host.Services.GetRequiredService<FeatureCache>();
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync(ct);
        // The log-mel of an uploaded track, and every track that has no cache entry of its own.
        string? source = null;
        var missing = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT sha256 FROM tracks ORDER BY created_at", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var sha = reader.GetString(0);
                if (cache.Contains(sha)) source ??= cache.PathFor(sha);
                else missing.Add(sha);
            }
        if (source is null) throw new InvalidOperationException("no uploaded track has a cached log-mel to stand in for the others");
        foreach (var sha in missing) File.CreateSymbolicLink(cache.PathFor(sha), source);
        double trackSeconds;
        using (var entry = cache.Open(Path.GetFileNameWithoutExtension(source)))
        {
            var mel = entry.ReadAll();
            trackSeconds = mel.Frames / (double)ConvEmbed.Audio.FrontEnd.FramesPerSecond;
        }

        var encoder = new Encoder(EncoderConfig.FromPreset(EncoderConfig.DefaultPreset));
        using var model = new EncoderModel(encoder, new NormalisationConfig(-4, 3));
        long modelId;
        await using (var register = new NpgsqlCommand(
                         "INSERT INTO models (kind, name, dimension, settings, folder) VALUES ('encoder', 'bench re-embed', $1, '{}', '/nonexistent') RETURNING id", connection))
        {
            register.Parameters.Add(new NpgsqlParameter { Value = model.Dimension });
            modelId = (long)(await register.ExecuteScalarAsync(ct))!;
        }
        var tracks = (long)(await VectorBenchmark.Scalar(connection, "SELECT count(*) FROM tracks"))!;
        var rss = new List<(long, double)>();
        var nextReport = tracks / 10;
        PeakMemory.Reset();
        var started = Stopwatch.GetTimestamp();
        var done = await host.Services.GetRequiredService<Reembedder>().EmbedMissingAsync(modelId, model, ConvEmbed.Model.Passages.PassagePlan.Default, n =>
        {
            if (n >= nextReport)
            {
                rss.Add((n, PeakMemory.CurrentMiB()));
                Console.Error.WriteLine($"  re-embedded {n} of {tracks}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, RSS {rss[^1].Item2:0} MiB");
                nextReport += tracks / 10;
            }
            return Task.CompletedTask;
        }, ct);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var peak = PeakMemory.PeakMiB();

        await using (var clean = new NpgsqlCommand($"DELETE FROM embeddings WHERE model_id = {modelId}; DELETE FROM passages WHERE model_id = {modelId}; DELETE FROM models WHERE id = {modelId}", connection))
            await clean.ExecuteNonQueryAsync(ct);
        foreach (var sha in missing) File.Delete(cache.PathFor(sha));
        return new Result((int)done, trackSeconds, seconds, done / seconds * 60, peak, rss);
    }
}
