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
    private readonly Tensor? queueTracks;       // (N) the library track of each queued global as a float (−1: unknown)

    /// <summary>
    /// The objective on <paramref name="config"/>'s encoder, with stop-gradient on the globals or not, and τ. With
    /// <paramref name="queueSize"/> &gt; 0, that many past globals are kept as extra negatives (MoCo's queue, He et al.,
    /// 2020): every local is then classified among the batch's globals and these N, with no extra forward pass. A
    /// queued global of the local's own track is left out of its softmax (on a library of a few hundred tracks a queue
    /// of a thousand holds every track several times: kept, they would teach each track to move away from itself).
    /// </summary>
    public InfoNceObjective(EncoderConfig config, bool stopGradient = true, double temperature = Temperature, int queueSize = 0,
        bool otherWindows = false) : base(config)
    {
        OtherWindows = otherWindows;
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(queueSize);
        if (otherWindows && queueSize > 0) throw new ArgumentException("a queue and globals from other windows do not go together");
        head = RegisterModule("h", new ProjectionHead(config.Channels, 512, HeadDimension));
        StopGradient = stopGradient;
        LossTemperature = temperature;
        if (queueSize > 0)
        {
            queue = RegisterBuffer("queue", Torch.Torch.zeros([queueSize, HeadDimension]));
            queueState = RegisterBuffer("queue_state", Torch.Torch.zeros([2]));
            queueTracks = RegisterBuffer("queue_tracks", Torch.Torch.full([queueSize], -1f));
        }
    }

    /// <summary>How many past globals serve as extra negatives (0: none).</summary>
    public int QueueSize => queue is null ? 0 : (int)queue.size(0);

    /// <summary>How many of the queue's rows hold globals yet, and the row the next global goes to (read from the
    /// buffer saved with a run, so a resumed run continues the ring; one small copy per step).</summary>
    public (int Filled, int Next) QueuePosition => queueState?.data<float>() is { } state ? ((int)state[0], (int)state[1]) : (0, 0);

    /// <summary>The queue's rows as they are (for tests and inspection); empty without a queue.</summary>
    public float[] QueueValues => queue?.data<float>() ?? [];

    /// <summary>The library track of each queue row (−1: empty or unknown); empty without a queue.</summary>
    public int[] QueueTracks => queueTracks?.data<float>().Select(v => (int)v).ToArray() ?? [];

    /// <summary>Whether the queue's tensor records gradients (it must not: it only ever holds detached copies).</summary>
    public bool QueueRequiresGrad => queue?.RequiresGrad ?? false;

    public bool StopGradient { get; }

    /// <summary>With several windows per track: a window's locals are classified among the batch's windows by the
    /// mean of their track's other windows, every other global of their own track (its other windows, and those of a
    /// second draw of it) left out of the negatives (a research setting, `bench objectives --other-windows`). The
    /// positive then shares no audio with the local.</summary>
    public bool OtherWindows { get; }

    protected override bool GlobalFromOtherWindows => OtherWindows;

    /// <summary>The projection head the loss acts through, on features (B, C, T) → (B, 128, T).</summary>
    public Tensor Project(Tensor features) => head.forward(features);

    /// <summary>τ of this objective's softmax.</summary>
    public double LossTemperature { get; }

    public override string Name => StopGradient ? "convembed/infonce" : "convembed/infonce-nosg";

    protected override Tensor Loss(Tensor features, Tensor global, int[]? tracks)
    {
        var z = Project(features);                               // (B, D, T)
        var g = Project(global.unsqueeze(2)).squeeze(2);         // (B, D)
        var target = StopGradient ? g.detach() : g;
        // Globals from other windows: the globals of one track (the windows of one draw, and a track drawn twice)
        // leave each other's softmax.
        if (OtherWindows) return LocalToGlobal(z, target, LossTemperature, groups: tracks);
        if (queue is null) return LocalToGlobal(z, target, LossTemperature);
        var (filled, next) = QueuePosition;
        var loss = LocalToGlobal(z, target, LossTemperature, filled > 0 ? queue.narrow(0, 0, filled) : null, ExcludedNegatives(tracks, filled));
        Enqueue(Functional.normalize(g.detach(), dim: 1).@float(), tracks, filled, next);
        return loss;
    }

    /// <summary>For globals of these library <paramref name="tracks"/>: (B, filled rows), true where the queue row holds
    /// a global of global b's own track, which its locals' softmax leaves out; null when nothing is left out.</summary>
    public bool[,]? ExcludedNegatives(int[]? tracks) => ExcludedNegatives(tracks, QueuePosition.Filled);

    private bool[,]? ExcludedNegatives(int[]? tracks, int filled)
    {
        if (queueTracks is null || filled == 0 || tracks is null || tracks.All(t => t < 0)) return null;
        var queued = queueTracks!.narrow(0, 0, filled).data<float>(); // one small copy a step
        var mask = new bool[tracks.Length, filled];
        var any = false;
        for (var b = 0; b < tracks.Length; b++)
            for (var n = 0; n < filled; n++)
                if (tracks[b] >= 0 && queued[n] == tracks[b]) any = mask[b, n] = true;
        return any ? mask : null;
    }

    /// <summary>Writes this batch's normalised globals (and their tracks) over the oldest rows (a ring), outside autograd.</summary>
    private void Enqueue(Tensor globals, int[]? tracks, int filled, int next)
    {
        using var noGrad = Torch.Torch.no_grad();
        int size = QueueSize, rows = (int)Math.Min(globals.size(0), size);
        float[] after = [Math.Min(size, filled + rows), 0];
        var ids = Enumerable.Range(0, rows).Select(r => tracks is null ? -1f : tracks[r]).ToArray();
        for (var done = 0; done < rows;)
        {
            var n = Math.Min(rows - done, size - next);
            queue!.narrow(0, next, n).copy_(globals.narrow(0, done, n));
            queueTracks!.narrow(0, next, n).copy_(Torch.Torch.tensor<float>(ids.AsSpan(done, n).ToArray(), [n], queueTracks.Device));
            (done, next) = (done + n, (next + n) % size);
        }
        after[1] = next;
        queueState!.copy_(Torch.Torch.tensor<float>(after, [2], queueState.Device)); // small ints: exact as floats
    }

    /// <summary>The loss from locals z (B, D, T) and globals g (B, D), with optional extra negatives (N, D), normalised
    /// and without gradient, that no local belongs to; <paramref name="excluded"/> (B, N) leaves negative n out of the
    /// softmax of global b's locals. With <paramref name="groups"/> (one per global), globals b' ≠ b of b's group (the
    /// other windows of b's track) are left out of the softmax of b's locals too.</summary>
    public static Tensor LocalToGlobal(Tensor z, Tensor g, double temperature = Temperature, Tensor? negatives = null, bool[,]? excluded = null,
        int[]? groups = null)
    {
        long b = z.size(0), d = z.size(1), t = z.size(2);
        if (groups is not null && groups.Length != b) throw new ArgumentException($"{groups.Length} groups for {b} globals");
        var zn = Functional.normalize(z, dim: 1).permute(0, 2, 1).reshape(b * t, d); // rows (b, t)
        var gn = Functional.normalize(g, dim: 1);
        if (negatives is not null) gn = Torch.Torch.cat([gn.@float(), negatives.to(ScalarType.Float32)], 0);
        var logits = zn.matmul(gn.t()).@float() / temperature;                        // (B·T, B [+ N]), fp32 under autocast
        if (negatives is not null && excluded is not null || groups is not null)
        {
            long n = negatives?.size(0) ?? 0, columns = b + n;
            if (excluded is not null && (excluded.GetLength(0) != b || excluded.GetLength(1) != n)) throw new ArgumentException($"the exclusions must be ({b}, {n})");
            var penalty = new float[b * columns];
            for (var i = 0; i < b; i++)
            {
                for (var j = 0; j < n; j++)
                    if (excluded is not null && excluded[i, j]) penalty[i * columns + b + j] = -1e9f; // exp(−1e9) = 0: out of the softmax
                for (var j = 0; groups is not null && j < b; j++)
                    if (j != i && groups[j] == groups[i]) penalty[i * columns + j] = -1e9f;
            }
            using var shift = Torch.Torch.tensor<float>(penalty, [b, 1, columns], logits.Device);
            logits = (logits.reshape(b, t, columns) + shift).reshape(b * t, columns);
        }
        var targets = new long[b * t];
        for (var i = 0; i < targets.Length; i++) targets[i] = i / t;                  // the own track
        using var target = Torch.Torch.tensor<long>(targets, [b * t], logits.Device);
        return Functional.cross_entropy(logits, target);
    }
}
