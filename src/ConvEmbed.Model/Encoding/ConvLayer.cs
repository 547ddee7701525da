namespace ConvEmbed.Model.Encoding;

/// <summary>
/// One 1-D convolution of the encoder. <see cref="NormAndActivation"/> adds BatchNorm1d + GELU after it
/// (every layer but the last, per docs/method.md#encoder). Padding keeps "same" length before striding: dilation·(k−1)/2.
/// </summary>
public sealed record ConvLayer(int InChannels, int OutChannels, int Kernel, int Stride = 1, int Dilation = 1, bool NormAndActivation = true)
{
    public int Padding => Dilation * (Kernel - 1) / 2;

    public override string ToString() =>
        $"conv({InChannels}→{OutChannels}, k{Kernel}" + (Stride != 1 ? $", s{Stride}" : "") + (Dilation != 1 ? $", d{Dilation}" : "") + ")" +
        (NormAndActivation ? " BN GELU" : "");
}
