namespace ConvEmbed.Torch.Optim;

/// <summary>torch.nn.utils.clip_grad_norm_: scales all gradients so their global L2 norm is at most maxNorm.</summary>
public static class GradientClipping
{
    /// <returns>The global norm before clipping.</returns>
    public static double clip_grad_norm_(IEnumerable<Tensor> parameters, double maxNorm)
    {
        using var noGrad = new NoGradScope();
        using var scope = DisposeScope.Enter();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var total = Torch.stack(grads.Select(g => g.norm(2)).ToList()).norm(2).item();
        Scale(grads, maxNorm, total);
        return total;
    }

    /// <summary>The same clipping when the global norm is already known (a loss scaler's unscale measured it): no
    /// second pass over the gradients and no second read-back.</summary>
    public static void clip_grad_norm_(IEnumerable<Tensor> parameters, double maxNorm, double totalNorm)
    {
        using var noGrad = new NoGradScope();
        Scale(parameters.Select(p => p.Grad).OfType<Tensor>(), maxNorm, totalNorm);
    }

    private static void Scale(IEnumerable<Tensor> grads, double maxNorm, double total)
    {
        var coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads) g.mul_(coef);
    }
}
