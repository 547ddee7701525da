using ConvEmbed.Audio;
using ConvEmbed.Audio.Synthesis;

namespace ConvEmbed.AudioWriting;

/// <summary>
/// Writes a synthetic library to disk, one folder per class (<c>root/{label}/{label}_{index:000}{ext}</c>), WAV by
/// default, other formats through ffmpeg. Each file is written to a temporary name and renamed, so an interrupted
/// run leaves no half-written track.
/// </summary>
public static class SyntheticLibrary
{
    /// <summary>Generates and writes <paramref name="perClass"/> tracks per class; returns the paths with their labels.</summary>
    public static async Task<IReadOnlyList<(string Path, string Label)>> WriteAsync(
        string root, int perClass, int seed = 0, double seconds = 30, AudioFileFormat format = AudioFileFormat.Wav,
        int sampleRate = FrontEnd.SampleRate, AudioOptions? options = null, CancellationToken cancellationToken = default)
    {
        var music = new SyntheticMusic(sampleRate);
        var encoder = new FfmpegEncoder(options ?? new AudioOptions());
        var written = new List<(string, string)>();
        foreach (var track in music.Library(perClass, seed, seconds))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string folder = Path.Combine(root, track.Label);
            Directory.CreateDirectory(folder);
            int index = written.Count(w => w.Item2 == track.Label);
            string path = Path.Combine(folder, $"{track.Label}_{index:000}{format.Extension()}");
            byte[] bytes = format == AudioFileFormat.Wav
                ? WavWriter.ToBytes(track.Samples, 1, sampleRate)
                : await encoder.EncodeAsync(track.Samples, 1, sampleRate, format, cancellationToken);
            string temp = path + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, path, overwrite: true);
            written.Add((path, track.Label));
        }
        return written;
    }
}
