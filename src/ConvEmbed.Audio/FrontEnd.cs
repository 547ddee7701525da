namespace ConvEmbed.Audio;

/// <summary>The fixed front-end constants of docs/method.md#front-end, shared by every model.</summary>
public static class FrontEnd
{
    /// <summary>Every decoder delivers mono float32 at this rate.</summary>
    public const int SampleRate = 16000;
    public const int FftSize = 1024;
    public const int HopLength = 160;
    public const int MelBands = 64;
    public const double MinFrequency = 50.0;
    public const double MaxFrequency = 8000.0;
    /// <summary>Added to the mel power before the natural log (docs/method.md#front-end).</summary>
    public const float LogOffset = 1e-6f;
    public const int FramesPerSecond = SampleRate / HopLength;

    /// <summary>Bumped whenever the log-mel computation changes in a way the constants above do not show (window,
    /// padding, mel scale, filter normalisation, resampler): cached features of another version are recomputed.</summary>
    public const int AlgorithmVersion = 1;

    /// <summary>
    /// A 32-bit fingerprint of everything that decides a log-mel (the constants and <see cref="AlgorithmVersion"/>),
    /// stored in every feature-cache file: features made by another front-end are never reused.
    /// </summary>
    public static uint Fingerprint { get; } = ComputeFingerprint();

    private static uint ComputeFingerprint()
    {
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"sr={SampleRate};fft={FftSize};hop={HopLength};mels={MelBands};fmin={MinFrequency:R};fmax={MaxFrequency:R};log={LogOffset:R};scale=htk;v={AlgorithmVersion}");
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(hash);
    }

    /// <summary>Frames produced for <paramref name="samples"/> samples with centred frames (torch.stft center=True).</summary>
    public static int FrameCount(int samples) => 1 + samples / HopLength;
}
