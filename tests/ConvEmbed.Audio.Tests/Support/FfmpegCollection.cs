namespace ConvEmbed.Audio.Tests.Support;

/// <summary>Tests that start ffmpeg run one after another, so "no ffmpeg child is left" can be checked after each.</summary>
[CollectionDefinition(Name)]
public sealed class FfmpegCollection
{
    public const string Name = "ffmpeg";
}
