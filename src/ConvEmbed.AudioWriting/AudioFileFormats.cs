namespace ConvEmbed.AudioWriting;

/// <summary>File extension and ffmpeg encoder settings of each <see cref="AudioFileFormat"/>.</summary>
public static class AudioFileFormats
{
    public static string Extension(this AudioFileFormat format) => format switch
    {
        AudioFileFormat.Wav => ".wav",
        AudioFileFormat.Mp3 => ".mp3",
        AudioFileFormat.Ogg => ".ogg",
        AudioFileFormat.Flac => ".flac",
        AudioFileFormat.Opus => ".opus",
        AudioFileFormat.M4a => ".m4a",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>ffmpeg output arguments (codec, container) for a compressed format.</summary>
    internal static string[] FfmpegOutput(this AudioFileFormat format) => format switch
    {
        AudioFileFormat.Mp3 => ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"],
        AudioFileFormat.Ogg => ["-c:a", "libvorbis", "-q:a", "4", "-f", "ogg"],
        AudioFileFormat.Flac => ["-c:a", "flac", "-f", "flac"],
        AudioFileFormat.Opus => ["-c:a", "libopus", "-b:a", "96k", "-f", "ogg"],
        // Fragmented MP4 can be written to a pipe (a plain one needs to seek back for its index).
        AudioFileFormat.M4a => ["-c:a", "aac", "-b:a", "128k", "-movflags", "frag_keyframe+empty_moov", "-f", "mp4"],
        _ => throw new ArgumentOutOfRangeException(nameof(format), "WAV is written in managed code."),
    };
}
