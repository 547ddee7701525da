namespace ConvEmbed.Audio;

/// <summary>
/// How audio is accepted and decoded. Bound from configuration (<c>ConvEmbed:Audio</c>); the defaults here are the
/// only place the limits are written down.
/// </summary>
public sealed record AudioOptions
{
    /// <summary>Shortest accepted track. The encoder is fully convolutional, so anything longer than its receptive
    /// field could be embedded; one second keeps clearly broken uploads out.</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest accepted track; longer input is rejected while decoding, before it is held in memory.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>The ffmpeg executable: a name looked up on PATH or a full path.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The second decoder, tried on a file ffmpeg cannot read (SoX with libsox-fmt-all); empty turns it off.</summary>
    public string SoxPath { get; init; } = "sox";

    /// <summary>Decode files on disk with FFmpeg's libraries inside the process (<see cref="Decoding.InProcessDecoder"/>)
    /// rather than starting the ffmpeg command for each; the command is still used for streams, and whenever the
    /// library is not available. Off: every decode starts ffmpeg, which isolates a decoder crash in a child process.</summary>
    public bool InProcess { get; init; } = true;

    /// <summary>Wall-clock limit for one ffmpeg (or sox) decode; the process is killed when it is exceeded.</summary>
    public TimeSpan FfmpegTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work, so a bad configuration fails at start-up.</summary>
    public AudioOptions Validate()
    {
        if (MinDuration < TimeSpan.Zero) throw new ArgumentException("MinDuration must not be negative.");
        if (MaxDuration <= MinDuration) throw new ArgumentException("MaxDuration must be longer than MinDuration.");
        if (string.IsNullOrWhiteSpace(FfmpegPath)) throw new ArgumentException("FfmpegPath must be set.");
        if (FfmpegTimeout <= TimeSpan.Zero) throw new ArgumentException("FfmpegTimeout must be positive.");
        return this;
    }
}
