using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// Kozachenko–Leonenko entropy regulariser (Sablayrolles et al., 2019; used in DINOv2):
/// <code>L = −1/B Σ_b log(min_{b'≠b} ‖x̂_b − x̂_b'‖ + ε)</code>, x̂ = x/‖x‖. Pushes nearest neighbours apart.
/// </summary>
public static class KoLeo
{
    public static Tensor Loss(Tensor x, double eps = 1e-8)
    {
        var n = x.size(0);
        var xn = Functional.normalize(x, dim: 1, eps: eps);
        var eye = new float[n * n];
        for (var i = 0; i < n; i++) eye[i * n + i] = 1e9f; // excludes self-distances from the minimum
        using var self = Torch.Torch.tensor<float>(eye, [n, n], x.Device);
        var d2 = (2.0 - xn.matmul(xn.t()) * 2.0).clamp_min(0) + self;
        var nearest = (-(-d2).max(1)).clamp_min(1e-12).sqrt();
        return -((nearest + eps).log().mean());
    }
}
