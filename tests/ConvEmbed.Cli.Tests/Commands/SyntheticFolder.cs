using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;

namespace ConvEmbed.Cli.Tests.Commands;

/// <summary>
/// A tiny labelled library shared by a test class: 2 tracks of 3 s for each synthetic class, plus one file that
/// is not audio at all despite its extension, and a feature cache of its own.
/// </summary>
public sealed class SyntheticFolder : IDisposable
{
    private readonly TempFolder root = new();

    public SyntheticFolder()
    {
        SyntheticLibrary.WriteAsync(Music, perClass: 2, seed: 1, seconds: 3).GetAwaiter().GetResult();
        File.WriteAllBytes(System.IO.Path.Combine(Music, "broken.mp3"), Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919 % 251)).ToArray());
    }

    public string Music => System.IO.Path.Combine(root.Path, "music");
    public string Cache => System.IO.Path.Combine(root.Path, "cache");
    public int Tracks => 2 * SyntheticMusic.Labels.Count;

    public void Dispose() => root.Dispose();
}
