namespace ConvEmbed.Torch.Optim;

/// <summary>
/// Dynamic loss scaling for fp16 training, as torch.cuda.amp.GradScaler: the loss is multiplied by a scale before
/// backward so gradients that fp16 would flush to zero (below 6e-5) stay representable; the gradients are divided by
/// it again before clipping and the optimiser step. A step whose gradients overflowed (inf or NaN) is skipped and the
/// scale halved; after <see cref="GrowthInterval"/> good steps in a row it doubles. Scales are powers of two, so
/// scaling and unscaling are exact in binary floating point: with no overflow a scaled run equals an unscaled one.
/// </summary>
public sealed class GradScaler
{
    public GradScaler(double initScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initScale > 0) || !double.IsFinite(initScale)) throw new ArgumentOutOfRangeException(nameof(initScale), "the scale must be a positive finite number");
        if (!(growthFactor > 1)) throw new ArgumentOutOfRangeException(nameof(growthFactor), "growth must be > 1");
        if (!(backoffFactor is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(backoffFactor), "back-off must be in (0, 1)");
        if (growthInterval < 1) throw new ArgumentOutOfRangeException(nameof(growthInterval), "the growth interval must be ≥ 1");
        (Scale, GrowthFactor, BackoffFactor, GrowthInterval) = (initScale, growthFactor, backoffFactor, growthInterval);
    }

    /// <summary>The factor the next loss is multiplied by.</summary>
    public double Scale { get; private set; }
    public double GrowthFactor { get; }
    public double BackoffFactor { get; }
    public int GrowthInterval { get; }
    /// <summary>Good steps since the scale last changed.</summary>
    public int GoodSteps { get; private set; }
    /// <summary>Steps skipped because their gradients overflowed.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The loss to call backward on.</summary>
    public Tensor scale(Tensor loss) => loss * Scale;

    /// <summary>
    /// Divides every gradient by the scale, in place, and returns their global L2 norm — one read-back, which the
    /// step needs anyway for clipping; infinite or NaN when any gradient overflowed.
    /// </summary>
    public double unscale_(IEnumerable<Tensor> parameters)
    {
        using var noGrad = new NoGradScope();
        using var scope = DisposeScope.Enter();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var inverse = 1 / Scale;
        foreach (var g in grads) g.mul_(inverse);
        return Torch.stack(grads.Select(g => g.norm(2)).ToList()).norm(2).item();
    }

    /// <summary>
    /// Takes the optimiser step when <paramref name="gradientNorm"/> (from <see cref="unscale_"/>) is finite, then
    /// adjusts the scale. Returns whether the step was taken.
    /// </summary>
    public bool step(AdamW optimizer, double gradientNorm)
    {
        var finite = double.IsFinite(gradientNorm);
        if (finite) optimizer.step();
        update(finite);
        return finite;
    }

    /// <summary>Backs off after an overflow, grows after <see cref="GrowthInterval"/> good steps.</summary>
    public void update(bool finite)
    {
        if (!finite)
        {
            Scale *= BackoffFactor;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++GoodSteps < GrowthInterval) return;
        var grown = Scale * GrowthFactor;
        if (double.IsFinite(grown) && grown <= float.MaxValue) Scale = grown;
        GoodSteps = 0;
    }

    /// <summary>Continues a saved run's scaling.</summary>
    public void Restore(double scale, int goodSteps, long skippedSteps)
    {
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), "the saved scale must be a positive finite number");
        (Scale, GoodSteps, SkippedSteps) = (scale, goodSteps, skippedSteps);
    }
}
