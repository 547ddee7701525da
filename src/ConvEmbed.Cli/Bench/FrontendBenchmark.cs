using System.CommandLine;
using System.Diagnostics;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// `bench frontend`: seconds of audio turned into log-mel per wall-clock second, single-threaded, for 44.1 kHz
/// stereo 16-bit WAV (managed decode + resample) and for mp3 (ffmpeg with one thread). Targets from issue 4:
/// ≥ 300× real time for WAV, ≥ 100× for mp3. Prints; never fails on time.
/// </summary>
public static class FrontendBenchmark
{
    public sealed record Result(
        double AudioSeconds,
        double WavXRealtime,
        double Mp3XRealtime,
        double WavParseXRealtime,
        double ResampleXRealtime,
        double LogmelXRealtime,
        double Mp3DecodeXRealtime,
        double SynthXRealtime,
        int ResamplerTapsPerOutput,
        int ProcessorCount);

    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to this file." };
        var seconds = new Option<double>("--seconds") { Description = "Length of the test track in seconds.", DefaultValueFactory = _ => 60 };
        var cmd = new Command("frontend", "Decode + log-mel throughput (× real time) for 44.1 kHz stereo WAV and mp3 on one core.");
        cmd.Options.Add(json);
        cmd.Options.Add(seconds);
        cmd.SetAction(async (parseResult, ct) =>
        {
            var result = await RunAsync(parseResult.GetValue(seconds), ct);
            Print(result);
            BenchmarkJson.Write(parseResult.GetValue(json), result);
            return 0;
        });
        return cmd;
    }

    public static async Task<Result> RunAsync(double seconds, CancellationToken ct)
    {
        const int rate = 44100;
        var track = new SyntheticMusic(rate).Generate(classIndex: 2, index: 0, seed: 42, seconds: seconds);
        var stereo = new float[track.Samples.Length * 2];
        for (int i = 0; i < track.Samples.Length; i++)
        {
            // Slightly different channels, so the downmix is real work and not a no-op.
            stereo[2 * i] = track.Samples[i];
            stereo[2 * i + 1] = 0.9f * track.Samples[i];
        }
        byte[] wav = WavWriter.ToBytes(stereo, 2, rate);
        byte[] mp3 = await new FfmpegEncoder(new AudioOptions()).EncodeAsync(stereo, 2, rate, AudioFileFormat.Mp3, ct);
        var decoder = new AudioDecoder();

        double wav16k = Measure(seconds, () =>
        {
            var samples = decoder.DecodeAsync(new MemoryStream(wav), ct).GetAwaiter().GetResult();
            new MelSpectrogram().Compute(samples);
        });
        double mp3Total = Measure(seconds, () =>
        {
            var samples = decoder.DecodeAsync(new MemoryStream(mp3), ct).GetAwaiter().GetResult();
            new MelSpectrogram().Compute(samples);
        });

        // Stage by stage, to show where the time goes.
        MonoAudio mono = null!;
        double parse = Measure(seconds, () => mono = WavReader.ReadAsync(new MemoryStream(wav), TimeSpan.FromHours(1), ct).GetAwaiter().GetResult());
        float[] at16k = null!;
        var resampler = new Audio.Resampling.Resampler(rate, FrontEnd.SampleRate);
        double resample = Measure(seconds, () => at16k = resampler.Process(mono.Samples));
        double logmel = Measure(seconds, () => new MelSpectrogram().Compute(at16k));
        double mp3Decode = Measure(seconds, () => decoder.DecodeAsync(new MemoryStream(mp3), ct).GetAwaiter().GetResult());

        // Synthetic music generation at 16 kHz (issue 5 builds libraries of hundreds of tracks with it).
        var music = new SyntheticMusic();
        int cls = 0;
        double synth = Measure(30, () => music.Generate(cls++ % SyntheticMusic.Labels.Count, cls, seed: 1, seconds: 30));

        return new Result(seconds, wav16k, mp3Total, parse, resample, logmel, mp3Decode, synth, resampler.TapsPerPhase, Environment.ProcessorCount);
    }

    /// <summary>Runs <paramref name="work"/> once to warm up, then for at least 2 s (≥ 3 runs); returns audio seconds per wall second.</summary>
    private static double Measure(double audioSeconds, Action work)
    {
        work();
        var sw = Stopwatch.StartNew();
        int runs = 0;
        while (runs < 3 || sw.Elapsed.TotalSeconds < 2)
        {
            work();
            runs++;
        }
        return audioSeconds * runs / sw.Elapsed.TotalSeconds;
    }

    private static void Print(Result r)
    {
        Console.WriteLine($"front-end throughput, {r.AudioSeconds:0} s synthetic track, one thread (× real time; higher is better)");
        Console.WriteLine($"  {"44.1 kHz stereo WAV → log-mel",-34} {r.WavXRealtime,9:0}×   (target ≥ 300×)");
        Console.WriteLine($"  {"mp3 → log-mel",-34} {r.Mp3XRealtime,9:0}×   (target ≥ 100×)");
        Console.WriteLine($"  {"  WAV parse + downmix",-34} {r.WavParseXRealtime,9:0}×");
        Console.WriteLine($"  {"  resample 44.1→16 kHz (" + r.ResamplerTapsPerOutput + " taps)",-34} {r.ResampleXRealtime,9:0}×");
        Console.WriteLine($"  {"  log-mel",-34} {r.LogmelXRealtime,9:0}×");
        Console.WriteLine($"  {"  mp3 decode (ffmpeg, 1 thread)",-34} {r.Mp3DecodeXRealtime,9:0}×");
        Console.WriteLine($"  {"synthetic music generation, 16 kHz",-34} {r.SynthXRealtime,9:0}×");
    }
}
