using ConvEmbed.Torch.Modules;

namespace ConvEmbed.Torch.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019), as torch.optim.AdamW:
/// θ ← θ(1 − lr·λ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// </summary>
public sealed partial class AdamW : IDisposable
{
    private readonly Dictionary<Tensor, (Tensor M, Tensor V)> state = new(ReferenceEqualityComparer.Instance);

    public AdamW(IEnumerable<ParamGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        Groups = groups.ToList();
        (Beta1, Beta2, Eps) = (beta1, beta2, eps);
    }

    /// <summary>Two groups, as the trainer wants (docs/method.md#training): weight decay on weight matrices and kernels (dim ≥ 2) only,
    /// none on norm scales/shifts and biases (dim 1).</summary>
    public static AdamW ForModule(Module module, double lr = 1e-3, double weightDecay = 0.01) =>
        ForParameters(module.parameters(), lr, weightDecay);

    /// <summary>The same two groups over any set of parameters (e.g. a student without its EMA teacher).</summary>
    public static AdamW ForParameters(IEnumerable<Tensor> parameters, double lr = 1e-3, double weightDecay = 0.01)
    {
        var ps = parameters.ToList();
        return new AdamW([
            new ParamGroup(ps.Where(p => p.Dim >= 2).ToList(), lr, weightDecay),
            new ParamGroup(ps.Where(p => p.Dim < 2).ToList(), lr, 0.0),
        ]);
    }

    public IReadOnlyList<ParamGroup> Groups { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public long StepCount { get; private set; }

    /// <summary>Sets every group's learning rate (for schedules computed per step).</summary>
    public void SetLearningRate(double lr)
    {
        foreach (var g in Groups) g.LearningRate = lr;
    }

    public void zero_grad()
    {
        foreach (var g in Groups)
            foreach (var p in g.Parameters) p.ZeroGrad();
    }

    public void step()
    {
        StepCount++;
        var bc1 = 1 - Math.Pow(Beta1, StepCount);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        using var noGrad = new NoGradScope();
        using var scope = DisposeScope.Enter();
        foreach (var group in Groups)
            foreach (var p in group.Parameters)
            {
                var g = p.Grad;
                if (g is null) continue;
                if (!state.TryGetValue(p, out var s))
                {
                    s = (Torch.zeros(p.Shape, p.DType, p.Device).DetachFromDisposeScope(),
                         Torch.zeros(p.Shape, p.DType, p.Device).DetachFromDisposeScope());
                    state[p] = s;
                }
                if (group.WeightDecay != 0) p.mul_(1 - group.LearningRate * group.WeightDecay);
                s.M.mul_(Beta1).add_(g, 1 - Beta1);
                s.V.mul_(Beta2).addcmul_(g, g, 1 - Beta2);
                var denom = s.V.sqrt();
                denom.mul_(1 / bc2Sqrt);
                using (var e = Torch.full([], Eps, p.DType, p.Device)) denom.add_(e);
                p.addcdiv_(s.M, denom, -group.LearningRate / bc1);
            }
    }

    public void Dispose()
    {
        foreach (var (m, v) in state.Values)
        {
            m.Dispose();
            v.Dispose();
        }
        state.Clear();
    }
}
