using ConvEmbed.Audio;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Cli.Tests.Commands;

/// <summary>`embed --passages` then `passages`: a re-encoded excerpt of one file is found in it at its time.</summary>
public sealed class PassagesCommandTests
{
    private const double Section = 8;

    private static float[] Sections(params (int Style, int Index)[] sections)
    {
        var music = new SyntheticMusic();
        return sections.SelectMany(s => music.Generate(s.Style, s.Index, seed: 4, seconds: Section).Samples).ToArray();
    }

    [Fact]
    public async Task AnExcerptIsFoundInItsFileAtItsTime()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("music"));
        var b = Sections((3, 3), (4, 4), (5, 5));
        await File.WriteAllBytesAsync(dir.File("music/a.wav"), WavWriter.ToBytes(Sections((0, 0), (1, 1), (2, 2)), 1, FrontEnd.SampleRate));
        await File.WriteAllBytesAsync(dir.File("music/b.wav"), WavWriter.ToBytes(b, 1, FrontEnd.SampleRate));
        var excerpt = b.AsSpan((int)(6.4 * FrontEnd.SampleRate), 9 * FrontEnd.SampleRate).ToArray().Select(v => v * 0.6f).ToArray();
        await File.WriteAllBytesAsync(dir.File("clip.mp3"), await new FfmpegEncoder(new AudioOptions()).EncodeAsync(excerpt, 1, FrontEnd.SampleRate, AudioFileFormat.Mp3));

        var embed = await CliProcess.RunAsync(dir.Path, "embed", "music", "--model", "mfcc", "--passages", "--out", "p.jsonl", "--cache", "cache");
        Assert.True(embed.ExitCode == 0, embed.Stderr);
        var (stored, plan) = PassageFile.Read(dir.File("p.jsonl"));
        Assert.Equal(PassagePlan.Default, plan);
        Assert.Equal(2 * 15, stored.Count); // (24 s − 3 s) / 1.5 s + 1 per file

        var search = await CliProcess.RunAsync(dir.Path, "passages", "p.jsonl", "clip.mp3", "--model", "mfcc", "--k", "2", "--cache", "cache");
        Assert.True(search.ExitCode == 0, search.Stderr);
        var lines = search.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("clip.mp3: 5 passages", lines[0]);
        Assert.EndsWith("b.wav", lines[1]);
        var start = System.Text.RegularExpressions.Regex.Match(lines[1], @"(\d+):(\d\d\.\d)–").Groups; // m:ss.s–m:ss.s
        var seconds = int.Parse(start[1].Value) * 60 + double.Parse(start[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 6.4 - 1.5, 6.4 + 1.5);
        Assert.EndsWith("a.wav", lines[2]);
    }

    [Theory]
    [InlineData(2, "embed", "music", "--model", "random:1", "--passages", "--out", "q.jsonl")]
    [InlineData(2, "embed", "music", "--model", "mfcc", "--passages", "--out", "q.csv")]
    [InlineData(2, "embed", "music", "--model", "mfcc", "--passages", "--passage-hop", "9", "--out", "q.jsonl")]
    [InlineData(1, "passages", "missing.jsonl", "music/a.wav", "--model", "mfcc")]
    [InlineData(1, "passages", "bad.jsonl", "music/a.wav", "--model", "mfcc")]
    [InlineData(1, "passages", "good.jsonl", "short.wav", "--model", "mfcc")]
    [InlineData(2, "passages", "good.jsonl", "music/a.wav", "--model", "mfcc", "--k", "0")]
    public async Task BadArgumentsGiveOneLineAndANonZeroExit(int exitCode, params string[] args)
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("music"));
        await File.WriteAllBytesAsync(dir.File("music/a.wav"), WavWriter.ToBytes(Sections((0, 0)), 1, FrontEnd.SampleRate));
        await File.WriteAllBytesAsync(dir.File("short.wav"), WavWriter.ToBytes(Sections((0, 1)).AsSpan(0, 2 * FrontEnd.SampleRate).ToArray(), 1, FrontEnd.SampleRate));
        await File.WriteAllTextAsync(dir.File("bad.jsonl"), "{\"path\": \"x.wav\"}\n");
        PassageFile.Write(dir.File("good.jsonl"), [new PassageRecord("x.wav", 0, 0, 3, Enumerable.Repeat(0.1f, 80).ToArray())]);

        var run = await CliProcess.RunAsync(dir.Path, [.. args, "--cache", "cache"]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.StartsWith("convembed: ", run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
