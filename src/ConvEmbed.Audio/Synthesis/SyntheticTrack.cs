namespace ConvEmbed.Audio.Synthesis;

/// <summary>One generated track: mono samples with its class.</summary>
public sealed record SyntheticTrack(string Label, int ClassIndex, float[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
