using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// Uploads N different 3-minute synthetic mp3s over HTTP, <c>concurrency</c> at a time: tracks per minute, and the
/// upload → embedding latency (request sent → 201 with the vector) at p50 and p99.
/// </summary>
internal static class IngestBenchmark
{
    public sealed record Result(int Tracks, double Seconds, double TracksPerMinute, double P50Ms, double P99Ms, int Concurrency, double TrackSeconds);

    public static async Task<IReadOnlyList<byte[]>> MakeTracksAsync(int count, double seconds)
    {
        var music = new SyntheticMusic();
        var encoder = new FfmpegEncoder(new AudioOptions());
        var files = new byte[count][];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var track = music.Generate(i % SyntheticMusic.Labels.Count, i, seed: 77, seconds: seconds);
            files[i] = await encoder.EncodeAsync(track.Samples, 1, track.SampleRate, AudioFileFormat.Mp3, ct);
        });
        return files;
    }

    public static async Task<Result> RunAsync(HttpClient client, IReadOnlyList<byte[]> files, int concurrency, double trackSeconds)
    {
        var latencies = new double[files.Count];
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(files[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("audio/mpeg");
            form.Add(file, "file", $"bench_{i:0000}.mp3");
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync("/tracks", form, ct);
            latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"upload {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Result(files.Count, seconds, files.Count / seconds * 60, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), concurrency, trackSeconds);
    }
}
