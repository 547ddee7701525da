using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Tests.Support;

namespace ConvEmbed.Audio.Tests.Decoding;

/// <summary>FFmpeg's libraries in process (libconvembed_av.so) against the ffmpeg command, on files ffmpeg writes.</summary>
[Collection(FfmpegCollection.Name)]
public sealed class InProcessDecoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("convembed-inprocess-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The build ships the library: without it every file would quietly fall back to the slower command.</summary>
    [Fact]
    public void TheLibraryIsBuiltAndLoads() => Assert.True(InProcessDecoder.IsAvailable);

    /// <summary>Same demuxer, decoder and resampler as the command: the same samples, stereo 44.1 kHz to mono 16 kHz.</summary>
    [Theory]
    [InlineData("mp3")]
    [InlineData("flac")]
    [InlineData("ogg")]
    [InlineData("opus")]
    [InlineData("m4a")]
    [InlineData("wav")]
    public async Task DecodesAsTheCommandDoes(string extension)
    {
        string file = Tagged(extension, seconds: 3);
        var inProcess = await InProcessDecoder.DecodeFileAsync(file, new AudioOptions());
        var command = await new FfmpegDecoder(new AudioOptions()).DecodeFileAsync(file);
        Assert.Equal(command.Length, inProcess.Length);
        double worst = 0;
        for (int i = 0; i < command.Length; i++) worst = Math.Max(worst, Math.Abs(command[i] - inProcess[i]));
        Assert.True(worst < 1e-5, $"{extension}: largest difference {worst}");
        double rms = Math.Sqrt(inProcess.Average(x => (double)x * x));
        Assert.InRange(rms, 0.05, 1.0); // two sines, not silence
    }

    /// <summary>Tags as ffprobe reads them, and the stream's own tags where the container keeps them there (Ogg).</summary>
    [Theory]
    [InlineData("mp3", "mp3")]
    [InlineData("flac", "flac")]
    [InlineData("ogg", "ogg")]
    [InlineData("m4a", "mov,mp4,m4a,3gp,3g2,mj2")]
    public async Task ProbeReadsFormatLengthAndTags(string extension, string format)
    {
        var info = await InProcessDecoder.ProbeAsync(Tagged(extension, seconds: 2), TimeSpan.FromSeconds(10));
        Assert.Equal(format, info.FormatName);
        Assert.InRange(info.DeclaredSeconds ?? 0, 1.9, 2.2);
        Assert.Equal($"Title {extension}", info.Title);
        Assert.Equal("Ärtist", info.Artist);
        Assert.Equal("Album", info.Album);
    }

    [Fact]
    public async Task EachKindOfBadFileGetsItsError()
    {
        var options = new AudioOptions();
        await Assert.ThrowsAsync<FileNotFoundException>(() => InProcessDecoder.DecodeFileAsync(Path.Combine(_dir, "gone.mp3"), options));

        string text = Path.Combine(_dir, "notes.mp3");
        await File.WriteAllTextAsync(text, "plain text with an audio file's name\n");
        var unsupported = await Assert.ThrowsAsync<UnsupportedFormatException>(() => InProcessDecoder.DecodeFileAsync(text, options));
        Assert.Contains("notes.mp3", unsupported.Message);

        string png = Path.Combine(_dir, "cover.png");
        await File.WriteAllBytesAsync(png, FfmpegTool.Png());
        await Assert.ThrowsAsync<NoAudioStreamException>(() => InProcessDecoder.DecodeFileAsync(png, options));

        string empty = Path.Combine(_dir, "headers-only.flac");
        FfmpegTool.Run("-f", "lavfi", "-i", "sine=duration=1", "-frames:a", "0", "-c:a", "flac", empty);
        var none = await Assert.ThrowsAsync<CorruptAudioException>(() => InProcessDecoder.DecodeFileAsync(empty, options));
        Assert.Contains("ffmpeg produced no audio from headers-only.flac", none.Message);
    }

    /// <summary>The limits hold inside the library: length while decoding, the wall clock, and the caller's cancellation.</summary>
    [Fact]
    public async Task LimitsAndCancellationStopTheDecode()
    {
        string file = Tagged("flac", seconds: 30);
        await Assert.ThrowsAsync<AudioTooLongException>(() =>
            InProcessDecoder.DecodeFileAsync(file, new AudioOptions { MinDuration = TimeSpan.Zero, MaxDuration = TimeSpan.FromSeconds(10) }));
        await Assert.ThrowsAsync<DecodeTimeoutException>(() =>
            InProcessDecoder.DecodeFileAsync(file, new AudioOptions { FfmpegTimeout = TimeSpan.FromTicks(1) }));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => InProcessDecoder.DecodeFileAsync(file, new AudioOptions(), cancelled.Token));
    }

    /// <summary>No shared state in the library: files decoded side by side come out as they do one at a time.</summary>
    [Fact]
    public async Task ParallelDecodesDoNotMix()
    {
        string[] files = ["mp3", "flac", "ogg", "opus"];
        files = files.Select(e => Tagged(e, seconds: 4)).ToArray();
        var alone = new List<float[]>();
        foreach (var f in files) alone.Add(await InProcessDecoder.DecodeFileAsync(f, new AudioOptions()));
        var together = await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => files).Select(f => InProcessDecoder.DecodeFileAsync(f, new AudioOptions())));
        for (int i = 0; i < together.Length; i++) Assert.Equal(alone[i % files.Length], together[i]);
    }

    /// <summary>The AudioDecoder front door decodes files with the library: with no ffmpeg program to start it still
    /// reads an Ogg file (the command path would fail), and with InProcess off it does need the program.</summary>
    [Fact]
    public async Task TheDecoderUsesTheLibraryForFiles()
    {
        string file = Tagged("ogg", seconds: 2);
        var noProgram = new AudioOptions { FfmpegPath = Path.Combine(_dir, "no-such-ffmpeg"), SoxPath = "" };
        var viaDecoder = await new AudioDecoder(noProgram).DecodeFileAsync(file);
        Assert.Equal(await InProcessDecoder.DecodeFileAsync(file, new AudioOptions()), viaDecoder);
        await Assert.ThrowsAsync<FfmpegMissingException>(() => new AudioDecoder(noProgram with { InProcess = false }).DecodeFileAsync(file));
    }

    // Stereo 44.1 kHz: two sines, one per channel, tagged (a non-ASCII artist: tags are UTF-8 both ways).
    private string Tagged(string extension, int seconds)
    {
        string file = Path.Combine(_dir, $"{Guid.NewGuid():N}.{extension}");
        FfmpegTool.Run("-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=660:sample_rate=44100:duration={seconds}",
            "-filter_complex", "[0][1]amerge=inputs=2", "-metadata", $"title=Title {extension}", "-metadata", "artist=Ärtist",
            "-metadata", "album=Album", file);
        return file;
    }
}
