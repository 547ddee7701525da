using System.Diagnostics;

namespace ConvEmbed.Audio.Tests.Support;

/// <summary>Runs ffmpeg directly to make test inputs the product never writes (images, videos).</summary>
internal static class FfmpegTool
{
    public static byte[] Run(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-hide_banner", "-loglevel", "error", .. args]) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var ms = new MemoryStream();
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err.Result);
        return ms.ToArray();
    }

    /// <summary>A one-frame PNG: a valid container with no audio stream.</summary>
    public static byte[] Png() => Run("-f", "lavfi", "-i", "color=c=red:s=32x32:d=1", "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1");
}
