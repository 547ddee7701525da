namespace ConvEmbed.Torch.Modules;

/// <summary>1-D convolution over (N, C, L), as torch.nn.Conv1d; kernel 1 doubles as a fast per-position Linear.</summary>
public sealed class Conv1d : Module
{
    public Conv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true)
    {
        (Stride, Padding, Dilation, Groups) = (stride, padding, dilation, groups);
        var fanIn = inChannels / groups * kernelSize;
        Weight = RegisterParameter("weight", Init.Uniform([outChannels, inChannels / groups, kernelSize], fanIn));
        if (bias) Bias = RegisterParameter("bias", Init.Uniform([outChannels], fanIn));
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }
    public long KernelSize => Weight.size(2);

    public override Tensor forward(Tensor x) => Functional.conv1d(x, Weight, Bias, Stride, Padding, Dilation, Groups);
}
