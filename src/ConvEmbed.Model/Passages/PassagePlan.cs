using System.Globalization;
using ConvEmbed.Model.Encoding;

namespace ConvEmbed.Model.Passages;

/// <summary>
/// How a track is cut into passages: windows of <see cref="LengthSeconds"/> starting every <see cref="HopSeconds"/>,
/// the first at 0, the last ending no later than the track (a track shorter than one passage is one passage). Passage
/// j starts at j·hop, so two passages lists of the same plan line up by index: a clip matched against a track is a
/// shift of whole hops (docs/passages.md).
/// </summary>
public sealed record PassagePlan(double LengthSeconds, double HopSeconds)
{
    /// <summary>3 s, hop 1.5 s: long enough to hold a bar or two of music (the MFCC statistics and the encoder's mean
    /// over 75 positions are stable at that length), short enough that a 10-s clip is 5 passages matched as a sequence,
    /// and the half-length hop places a found excerpt within ±0.75 s.</summary>
    public static PassagePlan Default { get; } = new(3.0, 1.5);

    public int LengthFrames => (int)Math.Round(LengthSeconds * EncoderConfig.FramesPerSecond);
    public int HopFrames => (int)Math.Round(HopSeconds * EncoderConfig.FramesPerSecond);

    /// <summary>Passages of a track of <paramref name="frames"/> log-mel frames.</summary>
    public int Count(int frames) => frames <= LengthFrames ? 1 : (frames - LengthFrames) / HopFrames + 1;

    /// <summary>Passage <paramref name="index"/>'s first frame and its frame count (the last ones of a short track are shorter).</summary>
    public (int Start, int Frames) Frames(int index, int trackFrames)
    {
        var start = index * HopFrames;
        return (start, Math.Min(LengthFrames, trackFrames - start));
    }

    public double StartSeconds(int index) => index * HopFrames / EncoderConfig.FramesPerSecond;

    /// <summary>
    /// Every how many passages one is in the search index: the most that still tile the track without gaps (2 at the
    /// default plan: 3-s passages every 3 s). The index finds where to look; the passages between are read for the exact
    /// sequence score. Half the index inserts at the default plan (docs/passages.md, "Index").
    /// </summary>
    public int IndexStride => Math.Max(1, (int)Math.Floor(LengthSeconds / HopSeconds + 1e-9));

    /// <summary>Clip passages needed for a search: at least one whole passage.</summary>
    public double MinClipSeconds => LengthSeconds;

    public IEnumerable<string> Validate(string section)
    {
        if (LengthSeconds is < 1 or > 30) yield return $"{section}:LengthSeconds must be between 1 and 30 (was {LengthSeconds.ToString(CultureInfo.InvariantCulture)}).";
        if (HopSeconds < 0.25 || HopSeconds > LengthSeconds)
            yield return $"{section}:HopSeconds must be between 0.25 and LengthSeconds (was {HopSeconds.ToString(CultureInfo.InvariantCulture)}).";
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{LengthSeconds:0.###} s passages, hop {HopSeconds:0.###} s");
}
