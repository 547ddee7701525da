namespace ConvEmbed.Audio.Decoding;

/// <summary>Mono float samples (nominally in [-1, 1]) at a sample rate.</summary>
public sealed record MonoAudio(float[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
