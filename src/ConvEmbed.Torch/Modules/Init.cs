namespace ConvEmbed.Torch.Modules;

/// <summary>PyTorch's default layer initialisation, so models start where the same model in PyTorch starts.</summary>
internal static class Init
{
    /// <summary>U(−1/√fan_in, 1/√fan_in): what kaiming_uniform(a=√5) gives for weights, and the bias rule.</summary>
    public static Tensor Uniform(long[] shape, long fanIn)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var noGrad = new NoGradScope();
        return Torch.zeros(shape).uniform_(-bound, bound);
    }
}
