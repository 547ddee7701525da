namespace ConvEmbed.Audio;

/// <summary>The fixed front-end constants of DESIGN.md §1, shared by every model.</summary>
public static class FrontEnd
{
    /// <summary>Every decoder delivers mono float32 at this rate.</summary>
    public const int SampleRate = 16000;
    public const int FftSize = 1024;
    public const int HopLength = 160;
    public const int MelBands = 64;
    public const double MinFrequency = 50.0;
    public const double MaxFrequency = 8000.0;
    /// <summary>Added to the mel power before the natural log, as in the reference.</summary>
    public const float LogOffset = 1e-6f;
    public const int FramesPerSecond = SampleRate / HopLength;

    /// <summary>Frames produced for <paramref name="samples"/> samples with centred frames (torch.stft center=True).</summary>
    public static int FrameCount(int samples) => 1 + samples / HopLength;
}
