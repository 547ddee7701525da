using System.Collections.Concurrent;
using System.Diagnostics;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;

namespace ConvEmbed.Service.Tests.Support;

/// <summary>Synthetic tracks as file bytes (generated once per process), in styles that sound different.</summary>
public static class TestAudio
{
    private static readonly ConcurrentDictionary<(int, int, double, AudioFileFormat), Lazy<Task<byte[]>>> Cache = new();

    /// <summary>Class names of <see cref="SyntheticMusic"/>, by index.</summary>
    public static IReadOnlyList<string> Styles => SyntheticMusic.Labels;

    public static Task<byte[]> TrackAsync(int style, int index, double seconds = 8, AudioFileFormat format = AudioFileFormat.Wav) =>
        Cache.GetOrAdd((style, index, seconds, format), key => new Lazy<Task<byte[]>>(() => MakeAsync(key.Item1, key.Item2, key.Item3, key.Item4))).Value;

    private static async Task<byte[]> MakeAsync(int style, int index, double seconds, AudioFileFormat format)
    {
        var track = new SyntheticMusic().Generate(style, index, seed: 5, seconds: seconds);
        return format == AudioFileFormat.Wav
            ? WavWriter.ToBytes(track.Samples, 1, track.SampleRate)
            : await new FfmpegEncoder(new AudioOptions()).EncodeAsync(track.Samples, 1, track.SampleRate, format);
    }

    /// <summary>An mp3 with title/artist/album tags, written by the ffmpeg command line.</summary>
    public static async Task<byte[]> TaggedMp3Async(string title, string artist, string album) =>
        await FfmpegFileAsync(await TrackAsync(1, 0), ".mp3",
            "-metadata", $"title={title}", "-metadata", $"artist={artist}", "-metadata", $"album={album}", "-codec:a", "libmp3lame", "-q:a", "5");

    /// <summary>A FLAC written to a file, as encoders do: its header states the exact length (a pipe cannot be rewound to write it).</summary>
    public static async Task<byte[]> FlacFileAsync(int style, int index) => await FfmpegFileAsync(await TrackAsync(style, index), ".flac");

    private static async Task<byte[]> FfmpegFileAsync(byte[] wav, string extension, params string[] outputArguments)
    {
        var dir = Directory.CreateTempSubdirectory("convembed-ffmpeg-").FullName;
        try
        {
            var input = Path.Combine(dir, "in.wav");
            var output = Path.Combine(dir, "out" + extension);
            await File.WriteAllBytesAsync(input, wav);
            var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
            foreach (var a in new[] { "-v", "error", "-y", "-i", input }.Concat(outputArguments).Append(output)) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, errors);
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
