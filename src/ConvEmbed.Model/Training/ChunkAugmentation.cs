namespace ConvEmbed.Model.Training;

/// <summary>
/// Different views inside one window, for the single-pass objectives (docs/method.md#chunk-views): the window is cut
/// into <see cref="Chunks"/> stretches along time and each is changed on its own before the one forward pass — a gain
/// (±<see cref="GainDb"/>), a spectral tilt (a straight line across the mel bands, ±<see cref="TiltDb"/> between the
/// lowest and the highest band), a shift along the mel axis (±<see cref="MelShift"/> bins, edge bands repeated), a
/// time stretch (±<see cref="Stretch"/>, nearest frame, read around the chunk's centre), and the chunks' order
/// shuffled. Positions of the last layer then see differently changed audio while the global view is their mean, so
/// the local→global loss asks for invariance to exactly these changes. With <see cref="Mixup"/> &gt; 0 every chunk is
/// also mixed, in power, with the same stretch of a window of the previous batch at a ratio λ ~ U(0, Mixup)
/// (BYOL-A's mixup, per chunk). Works on the host batch in normalised log-mel units (ln-power − mean) / std, before it
/// goes to the device; random numbers come from the step's seeded generator, so runs stay reproducible. The previous
/// batch that mixup keeps is not saved in a checkpoint: a resumed run with mixup is not bit for bit the uninterrupted
/// one (its first step after the resume mixes nothing). The chunk gain is the run's gain setting, on top of the
/// per-window gain of <see cref="Augmentation"/>. Not thread-safe (scratch buffers and the previous batch).
/// </summary>
public sealed class ChunkAugmentation(int chunks, double normalisationStd, double gainDb = 6.0, double tiltDb = 6.0, int melShift = 2,
    double stretch = 0.1, bool shuffle = true, double mixup = 0.0)
{
    private float[] source = [], drawn = [], previous = [];
    private int previousWindows;

    public int Chunks { get; } = chunks;
    public double NormalisationStd { get; } = normalisationStd;
    public double GainDb { get; } = gainDb;
    public double TiltDb { get; } = tiltDb;
    public int MelShift { get; } = melShift;
    public double Stretch { get; } = stretch;
    public bool Shuffle { get; } = shuffle;
    public double Mixup { get; } = mixup;

    /// <summary>A gain of <paramref name="db"/> in normalised units (a shift of db/10·ln 10 in ln-power, over the std).</summary>
    private float Units(double db) => (float)(db / 10.0 * Math.Log(10.0) / NormalisationStd);

    public void Validate()
    {
        if (Chunks < 1) throw new ArgumentException($"chunks must be at least 1 (was {Chunks})");
        if (!(NormalisationStd > 0)) throw new ArgumentException("the normalisation std must be positive");
        if (GainDb < 0 || TiltDb < 0 || MelShift < 0) throw new ArgumentException("chunk gain, tilt and mel shift must be 0 or more");
        if (Stretch is < 0 or >= 0.5) throw new ArgumentException($"chunk stretch must be in [0, 0.5) (was {Stretch})");
        if (Mixup is < 0 or >= 1) throw new ArgumentException($"mixup must be in [0, 1) (was {Mixup})");
    }

    /// <summary>Frames [start, end) of chunk <paramref name="k"/> in a window of <paramref name="frames"/>.</summary>
    public (int Start, int End) ChunkSpan(int k, int frames) => (k * frames / Chunks, (k + 1) * frames / Chunks);

    /// <summary>Changes the <paramref name="windows"/> windows of (bands, frames) in <paramref name="batch"/> in place.</summary>
    public void Apply(Span<float> batch, int windows, int bands, int frames, Random random)
    {
        var size = bands * frames;
        if (batch.Length != windows * size) throw new ArgumentException($"buffer holds {batch.Length} values, {windows * size} needed");
        if (frames < Chunks) throw new ArgumentException($"a window of {frames} frames cannot be cut into {Chunks} chunks");
        if (source.Length < size) source = new float[size];
        // The next batch mixes with these windows as drawn, before any change.
        if (Mixup > 0)
        {
            if (drawn.Length < batch.Length) drawn = new float[batch.Length];
            batch.CopyTo(drawn);
        }
        var mixWith = Mixup > 0 && previousWindows > 0 ? previous.AsMemory(0, previousWindows * size) : Memory<float>.Empty;

        Span<int> order = stackalloc int[Chunks];
        float gain = Units(GainDb), tilt = Units(TiltDb), sigma = (float)NormalisationStd;
        for (var w = 0; w < windows; w++)
        {
            var window = batch.Slice(w * size, size);
            window.CopyTo(source);
            for (var k = 0; k < Chunks; k++) order[k] = k;
            if (Shuffle) random.Shuffle(order);
            for (var k = 0; k < Chunks; k++)
            {
                var (start, end) = ChunkSpan(k, frames);
                var (from, to) = ChunkSpan(order[k], frames);
                var shift = MelShift > 0 ? random.Next(-MelShift, MelShift + 1) : 0;
                var rate = Stretch > 0 ? 1 + (2 * random.NextDouble() - 1) * Stretch : 1.0;
                var offset = (float)(2 * random.NextDouble() - 1) * gain;
                var slope = (float)(2 * random.NextDouble() - 1) * tilt;
                // Nearest source frame of each destination frame: the chunk's centre maps to the source chunk's centre,
                // the rest spreads by the rate (and by the chunks' lengths, which differ by at most one frame).
                double centre = (start + end - 1) / 2.0, sourceCentre = (from + to - 1) / 2.0, scale = rate * (to - from) / (end - start);
                for (var band = 0; band < bands; band++)
                {
                    var row = source.AsSpan(Math.Clamp(band + shift, 0, bands - 1) * frames, frames);
                    var add = offset + (bands > 1 ? slope * (band / (float)(bands - 1) - 0.5f) : 0);
                    var target = window.Slice(band * frames, frames);
                    for (var t = start; t < end; t++)
                        target[t] = row[Math.Clamp((int)Math.Round(sourceCentre + (t - centre) * scale), 0, frames - 1)] + add;
                }
                if (!mixWith.IsEmpty)
                {
                    var other = mixWith.Span.Slice(random.Next(mixWith.Length / size) * size, size);
                    var lambda = (float)(random.NextDouble() * Mixup);
                    if (lambda > 0) MixChunk(window, other, start, end, bands, frames, lambda, sigma);
                }
            }
        }
        if (Mixup > 0)
        {
            (previous, drawn) = (drawn, previous);
            previousWindows = windows;
        }
    }

    /// <summary>x ← ln((1 − λ)·e^{σx} + λ·e^{σo}) / σ over the chunk's frames: a mix in power of normalised log-mels.</summary>
    private static void MixChunk(Span<float> window, ReadOnlySpan<float> other, int start, int end, int bands, int frames, float lambda, float sigma)
    {
        float keep = MathF.Log(1 - lambda), mix = MathF.Log(lambda);
        for (var band = 0; band < bands; band++)
            for (var t = start; t < end; t++)
            {
                var i = band * frames + t;
                float a = sigma * window[i] + keep, b = sigma * other[i] + mix, high = MathF.Max(a, b);
                window[i] = (high + MathF.Log(MathF.Exp(a - high) + MathF.Exp(b - high))) / sigma;
            }
    }

    public string Describe() => Chunks <= 1 && Mixup == 0 ? "off" : FormattableString.Invariant(
        $"{Chunks} chunks: gain ±{GainDb} dB, tilt ±{TiltDb} dB, mel shift ±{MelShift}, stretch ±{Stretch:0.##}, {(Shuffle ? "shuffled" : "in order")}; mixup {Mixup}");
}
