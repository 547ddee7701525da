using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Heads;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// Local→global InfoNCE over the batch (van den Oord et al., 2018, "Representation Learning with Contrastive
/// Predictive Coding"), the ConvEmbed default:
/// <code>L = −1/(B·T) Σ_{b,t} log( exp(cos(z[b,t], g[b])/τ) / Σ_{b'} exp(cos(z[b,t], g[b'])/τ) )</code>
/// with τ = 0.1 (the default; another τ is a research setting of `bench objectives --temperature`) and, by default,
/// stop-gradient on g. Every local is classified among the batch's globals, so a
/// constant embedding costs exactly ln B: collapse is impossible across the batch.
/// </summary>
public sealed class InfoNceObjective : SinglePassObjective
{
    public const double Temperature = 0.1;
    private readonly ProjectionHead head;

    private const int HeadDimension = 128;
    private readonly Tensor? queue, queueState; // (N, D) past globals, normalised; [filled, next] as floats (saved with the run)

    /// <summary>
    /// The objective on <paramref name="config"/>'s encoder, with stop-gradient on the globals or not, and τ. With
    /// <paramref name="queueSize"/> &gt; 0, that many past globals are kept as extra negatives (MoCo's queue, He et al.,
    /// 2020): every local is then classified among the batch's globals and these N, with no extra forward pass.
    /// </summary>
    public InfoNceObjective(EncoderConfig config, bool stopGradient = true, double temperature = Temperature, int queueSize = 0) : base(config)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(queueSize);
        head = RegisterModule("h", new ProjectionHead(config.Channels, 512, HeadDimension));
        StopGradient = stopGradient;
        LossTemperature = temperature;
        if (queueSize > 0)
        {
            queue = RegisterBuffer("queue", Torch.Torch.zeros([queueSize, HeadDimension]));
            queueState = RegisterBuffer("queue_state", Torch.Torch.zeros([2]));
        }
    }

    /// <summary>How many past globals serve as extra negatives (0: none).</summary>
    public int QueueSize => queue is null ? 0 : (int)queue.size(0);

    /// <summary>How many of the queue's rows hold globals yet, and the row the next global goes to (read from the
    /// buffer saved with a run, so a resumed run continues the ring; one small copy per step).</summary>
    public (int Filled, int Next) QueuePosition => queueState?.data<float>() is { } state ? ((int)state[0], (int)state[1]) : (0, 0);

    /// <summary>The queue's rows as they are (for tests and inspection); empty without a queue.</summary>
    public float[] QueueValues => queue?.data<float>() ?? [];

    /// <summary>Whether the queue's tensor records gradients (it must not: it only ever holds detached copies).</summary>
    public bool QueueRequiresGrad => queue?.RequiresGrad ?? false;

    public bool StopGradient { get; }

    /// <summary>τ of this objective's softmax.</summary>
    public double LossTemperature { get; }

    public override string Name => StopGradient ? "convembed/infonce" : "convembed/infonce-nosg";

    protected override Tensor Loss(Tensor features, Tensor global)
    {
        var z = head.forward(features);                          // (B, D, T)
        var g = head.forward(global.unsqueeze(2)).squeeze(2);    // (B, D)
        if (queue is null) return LocalToGlobal(z, StopGradient ? g.detach() : g, LossTemperature);
        var (filled, next) = QueuePosition;
        var loss = LocalToGlobal(z, StopGradient ? g.detach() : g, LossTemperature, filled > 0 ? queue.narrow(0, 0, filled) : null);
        Enqueue(Functional.normalize(g.detach(), dim: 1).@float(), filled, next);
        return loss;
    }

    /// <summary>Writes this batch's normalised globals over the oldest rows (a ring), outside autograd.</summary>
    private void Enqueue(Tensor globals, int filled, int next)
    {
        using var noGrad = Torch.Torch.no_grad();
        int size = QueueSize, rows = (int)Math.Min(globals.size(0), size);
        float[] after = [Math.Min(size, filled + rows), 0];
        for (var done = 0; done < rows;)
        {
            var n = Math.Min(rows - done, size - next);
            queue!.narrow(0, next, n).copy_(globals.narrow(0, done, n));
            (done, next) = (done + n, (next + n) % size);
        }
        after[1] = next;
        queueState!.copy_(Torch.Torch.tensor<float>(after, [2], queueState.Device)); // small ints: exact as floats
    }

    /// <summary>The loss from locals z (B, D, T) and globals g (B, D), with optional extra negatives (N, D), normalised
    /// and without gradient, that no local belongs to.</summary>
    public static Tensor LocalToGlobal(Tensor z, Tensor g, double temperature = Temperature, Tensor? negatives = null)
    {
        long b = z.size(0), d = z.size(1), t = z.size(2);
        var zn = Functional.normalize(z, dim: 1).permute(0, 2, 1).reshape(b * t, d); // rows (b, t)
        var gn = Functional.normalize(g, dim: 1);
        if (negatives is not null) gn = Torch.Torch.cat([gn.@float(), negatives.to(ScalarType.Float32)], 0);
        var logits = zn.matmul(gn.t()).@float() / temperature;                        // (B·T, B [+ N]), fp32 under autocast
        var targets = new long[b * t];
        for (var i = 0; i < targets.Length; i++) targets[i] = i / t;                  // the own track
        using var target = Torch.Torch.tensor<long>(targets, [b * t], logits.Device);
        return Functional.cross_entropy(logits, target);
    }
}
