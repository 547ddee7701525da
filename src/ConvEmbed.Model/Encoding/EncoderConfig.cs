using System.Globalization;

namespace ConvEmbed.Model.Encoding;

/// <summary>
/// The encoder's layer list. Each output position sees only its receptive field (a "pseudo local crop");
/// the presets differ only in that field, so it can be swept (docs/method.md#encoder-presets: smaller won).
/// </summary>
public sealed record EncoderConfig(string Name, IReadOnlyList<ConvLayer> Layers)
{
    public const int MelBands = 64;
    public const double FramesPerSecond = 100.0; // hop 160 at 16 kHz
    /// <summary>rf0.1: on real music (two seeds, 10 min, bf16) kNN@20 0.524 ± 0.002 against rf0.2's 0.493 ± 0.005, and it
    /// won on synthetic music too (docs/benchmarks.md). rf0.2 is the original design's encoder (docs/method.md#encoder-presets).</summary>
    public const string DefaultPreset = "rf0.1";
    /// <summary>Channels of every layer, and so the embedding's dimension, unless a preset is asked for another width.</summary>
    public const int DefaultChannels = 256;

    public int Channels => Layers[^1].OutChannels;

    /// <summary>Frames seen by one output position: 1 + Σ (k−1)·d·(product of earlier strides).</summary>
    public int ReceptiveFieldFrames
    {
        get
        {
            int rf = 1, jump = 1;
            foreach (var l in Layers) { rf += (l.Kernel - 1) * l.Dilation * jump; jump *= l.Stride; }
            return rf;
        }
    }

    public double ReceptiveFieldSeconds => ReceptiveFieldFrames / FramesPerSecond;

    /// <summary>Input frames between consecutive output positions (product of strides).</summary>
    public int OutputHop => Layers.Aggregate(1, (j, l) => j * l.Stride);

    public string Describe() =>
        $"encoder {Name}: receptive field {ReceptiveFieldFrames} frames ({ReceptiveFieldSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s), " +
        $"output hop {OutputHop} frames, {Channels} channels";

    /// <summary>conv(64→C,k3) BN GELU; four conv(C→C, k, stride, dilation) BN GELU blocks; conv(C→C,k1).</summary>
    public static EncoderConfig Build(string name, int channels, params (int Kernel, int Stride, int Dilation)[] blocks)
    {
        var layers = new List<ConvLayer> { new(MelBands, channels, 3) };
        layers.AddRange(blocks.Select(b => new ConvLayer(channels, channels, b.Kernel, b.Stride, b.Dilation)));
        layers.Add(new ConvLayer(channels, channels, 1, NormAndActivation: false));
        return new EncoderConfig(name, layers);
    }

    /// <summary>Presets by receptive field: rf0.1 (9 frames, the default), rf0.2 (21, the original design's), rf1 (101), rf3 (301).</summary>
    public static IReadOnlyDictionary<string, Func<int, EncoderConfig>> Presets { get; } = new Dictionary<string, Func<int, EncoderConfig>>
    {
        // Two k1 blocks shrink the field while keeping the same depth, strides and cost.
        ["rf0.1"] = c => Build("rf0.1", c, (3, 2, 1), (1, 1, 1), (3, 2, 1), (1, 1, 1)),
        ["rf0.2"] = c => Build("rf0.2", c, (3, 2, 1), (3, 1, 1), (3, 2, 1), (3, 1, 1)),
        // Dilations widen the field at the same cost.
        ["rf1"] = c => Build("rf1", c, (3, 2, 1), (3, 1, 4), (3, 2, 4), (3, 1, 8)),
        ["rf3"] = c => Build("rf3", c, (3, 2, 1), (3, 1, 8), (3, 2, 16), (3, 1, 25)),
    };

    /// <summary>A preset by name, or an error listing the known ones.</summary>
    public static EncoderConfig FromPreset(string name, int channels = DefaultChannels)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive");
        return Presets.TryGetValue(name, out var make)
            ? make(channels)
            : throw new ArgumentException($"unknown encoder preset '{name}' (known: {string.Join(", ", Presets.Keys)})", nameof(name));
    }
}
