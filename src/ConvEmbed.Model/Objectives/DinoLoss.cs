using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// DINO's cross-view loss with its centring state (Caron et al., 2021, "Emerging Properties in Self-Supervised
/// Vision Transformers"): with teacher outputs t_i of the global views and student outputs s_v of all views,
/// <code>L = 1/|P| Σ_{(i,v)∈P, v≠i} −Σ_k softmax((t_i − c)/τ_t)_k · log softmax(s_v/τ_s)_k,  c ← m·c + (1−m)·mean(t)</code>
/// </summary>
public sealed class DinoLoss(int prototypes, double studentTemperature = 0.1, double centerMomentum = 0.9)
{
    // Owned by the objective that registers it as a buffer (saved with the training state).
    private readonly Tensor center = Torch.Torch.zeros([1, prototypes]).DetachFromDisposeScope();

    public Tensor Center => center;

    /// <summary>teacher: (G·B, K) outputs of the G global views; student: (V·B, K) of all V views, globals first.</summary>
    public Tensor Compute(Tensor teacher, Tensor student, int globalViews, int batch, double teacherTemperature)
    {
        Tensor[] targets;
        using (Torch.Torch.no_grad())
        {
            var p = Functional.softmax((teacher - center) / teacherTemperature, 1);
            targets = Enumerable.Range(0, globalViews).Select(i => p.narrow(0, i * batch, batch)).ToArray();
        }
        var views = (int)(student.size(0) / batch);
        var logProbs = Functional.log_softmax(student / studentTemperature, 1);
        Tensor? total = null;
        var terms = 0;
        for (var i = 0; i < globalViews; i++)
            for (var v = 0; v < views; v++)
            {
                if (v == i) continue;
                var term = -((targets[i] * logProbs.narrow(0, v * batch, batch)).sum(1).mean());
                total = total is null ? term : total + term;
                terms++;
            }
        return total! / terms;
    }

    /// <summary>Moves the centre towards the batch mean of the teacher's outputs.</summary>
    public void UpdateCenter(Tensor teacher)
    {
        using var noGrad = Torch.Torch.no_grad();
        using var scope = Torch.Torch.NewDisposeScope();
        center.mul_(centerMomentum).add_(teacher.mean(0, keepdim: true), 1 - centerMomentum);
    }
}
