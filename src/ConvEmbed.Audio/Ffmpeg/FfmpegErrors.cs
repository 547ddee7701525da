using ConvEmbed.Audio.Errors;

namespace ConvEmbed.Audio.Ffmpeg;

/// <summary>Maps a failed ffmpeg run to the front-end's typed errors, with ffmpeg's own message folded in.</summary>
internal static class FfmpegErrors
{
    public static AudioException FromExit(int exitCode, string stderr)
    {
        string detail = string.IsNullOrEmpty(stderr) ? $"ffmpeg exited with code {exitCode}." : $"ffmpeg exited with code {exitCode}: {stderr}";
        // "-map 0:a:0" makes a file without audio fail with this exact message.
        if (stderr.Contains("matches no streams", StringComparison.Ordinal) ||
            stderr.Contains("does not contain any stream", StringComparison.Ordinal))
            return new NoAudioStreamException("The file contains no audio stream. " + detail);
        // The probe could not recognise a container at all.
        if (stderr.Contains("Invalid data found when processing input", StringComparison.Ordinal) ||
            stderr.Contains("Unknown input format", StringComparison.Ordinal))
            return new UnsupportedFormatException("Not a recognised audio format. " + detail);
        return new CorruptAudioException("The audio could not be decoded. " + detail);
    }
}
