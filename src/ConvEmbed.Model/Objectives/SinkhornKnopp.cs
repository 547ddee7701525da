using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// Balanced soft assignment of B samples to K prototypes (Cuturi, 2013; as in SwAV, Caron et al., 2020):
/// Q = exp(logits)ᵀ, then alternately rescale rows to sum 1/K and columns to sum 1/B, <c>iterations</c> times;
/// returns B·Qᵀ, whose rows sum to 1 and whose prototype columns are used equally (each sums to B/K).
/// </summary>
public static class SinkhornKnopp
{
    public static Tensor Targets(Tensor logits, int iterations = 3)
    {
        using var noGrad = Torch.Torch.no_grad();
        long b = logits.size(0), k = logits.size(1);
        var q = (logits - logits.max()).exp().t(); // (K, B); 0-d tensors broadcast: no wait for the device
        q = q / q.sum();
        for (var i = 0; i < iterations; i++)
        {
            q = q / q.sum(1, keepdim: true) / k;
            q = q / q.sum(0, keepdim: true) / b;
        }
        return (q * b).t();
    }
}
