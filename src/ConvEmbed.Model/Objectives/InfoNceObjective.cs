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

    public InfoNceObjective(EncoderConfig config, bool stopGradient = true, double temperature = Temperature) : base(config)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        head = RegisterModule("h", new ProjectionHead(config.Channels, 512, 128));
        StopGradient = stopGradient;
        LossTemperature = temperature;
    }

    public bool StopGradient { get; }

    /// <summary>τ of this objective's softmax.</summary>
    public double LossTemperature { get; }

    public override string Name => StopGradient ? "convembed/infonce" : "convembed/infonce-nosg";

    protected override Tensor Loss(Tensor features, Tensor global)
    {
        var z = head.forward(features);                          // (B, D, T)
        var g = head.forward(global.unsqueeze(2)).squeeze(2);    // (B, D)
        return LocalToGlobal(z, StopGradient ? g.detach() : g, LossTemperature);
    }

    /// <summary>The loss from locals z (B, D, T) and globals g (B, D).</summary>
    public static Tensor LocalToGlobal(Tensor z, Tensor g, double temperature = Temperature)
    {
        long b = z.size(0), d = z.size(1), t = z.size(2);
        var zn = Functional.normalize(z, dim: 1).permute(0, 2, 1).reshape(b * t, d); // rows (b, t)
        var gn = Functional.normalize(g, dim: 1);
        var logits = zn.matmul(gn.t()).@float() / temperature;                        // (B·T, B), fp32 under autocast
        var targets = new long[b * t];
        for (var i = 0; i < targets.Length; i++) targets[i] = i / t;                  // the own track
        using var target = Torch.Torch.tensor<long>(targets, [b * t], logits.Device);
        return Functional.cross_entropy(logits, target);
    }
}
