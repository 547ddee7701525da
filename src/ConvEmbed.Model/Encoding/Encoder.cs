using ConvEmbed.Torch;
using ConvEmbed.Torch.Modules;

namespace ConvEmbed.Model.Encoding;

/// <summary>
/// The 1-D conv stack over time, mel bands as channels: (B, 64, W) → per-position features (B, C, W/hop).
/// Each output position sees only <see cref="EncoderConfig.ReceptiveFieldFrames"/> frames (a pseudo local crop);
/// the mean over positions is the global view. Parameter names follow PyTorch's nn.Sequential (<c>net.N.*</c>).
/// </summary>
public sealed class Encoder : Module
{
    private readonly Sequential net;

    public Encoder(EncoderConfig config)
    {
        Config = config;
        net = RegisterModule("net", new Sequential());
        foreach (var l in config.Layers)
        {
            net.Add(new Conv1d(l.InChannels, l.OutChannels, l.Kernel, l.Stride, l.Padding, l.Dilation));
            if (!l.NormAndActivation) continue;
            net.Add(new BatchNorm1d(l.OutChannels));
            net.Add(Activation.GELU());
        }
    }

    public EncoderConfig Config { get; }

    public override Tensor forward(Tensor x) => net.forward(x);

    /// <summary>The features the last layer projects: every layer but the last (a 1×1 convolution without norm or
    /// activation), (B, C, positions) — a read-out under study (docs/method.md#read-outs).</summary>
    public Tensor ForwardBeforeProjection(Tensor x)
    {
        for (var i = 0; i < net.Layers.Count - 1; i++) x = net.Layers[i].forward(x);
        return x;
    }

    /// <summary>The last layer alone: <c>Project(ForwardBeforeProjection(x))</c> is <c>forward(x)</c>.</summary>
    public Tensor Project(Tensor beforeProjection) => net.Layers[^1].forward(beforeProjection);

    /// <summary>Copies every parameter and buffer of <paramref name="other"/> (same config) into this encoder.</summary>
    public void CopyFrom(Encoder other) => load_state_dict(other.state_dict().ToDictionary(p => p.Name, p => p.Tensor));
}
