namespace ConvEmbed.Torch.Optim;

// Saving and restoring the optimiser's moments, so a resumed run continues exactly.
public sealed partial class AdamW
{
    /// <summary>The first and second moments of every parameter that has them, named "{name}.exp_avg" / "{name}.exp_avg_sq".</summary>
    public IEnumerable<(string Name, Tensor Tensor)> state_dict(IEnumerable<(string Name, Tensor Parameter)> parameters)
    {
        foreach (var (name, p) in parameters)
            if (state.TryGetValue(p, out var s))
            {
                yield return (name + ".exp_avg", s.M);
                yield return (name + ".exp_avg_sq", s.V);
            }
    }

    private static Tensor Beside(Tensor saved, Tensor parameter) => saved.Device == parameter.Device ? saved.clone() : saved.to(parameter.Device);

    /// <summary>Restores moments saved by <see cref="state_dict"/> (copies them) and the step count.</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> saved, IEnumerable<(string Name, Tensor Parameter)> parameters, long stepCount)
    {
        foreach (var (name, p) in parameters)
        {
            if (!saved.TryGetValue(name + ".exp_avg", out var m) || !saved.TryGetValue(name + ".exp_avg_sq", out var v)) continue;
            foreach (var (kind, moment) in new[] { ("exp_avg", m), ("exp_avg_sq", v) })
                if (!moment.Shape.SequenceEqual(p.Shape))
                    throw new InvalidDataException($"optimiser state '{name}.{kind}' has shape [{string.Join(", ", moment.Shape)}] but the parameter has [{string.Join(", ", p.Shape)}]");
            if (state.Remove(p, out var old)) { old.M.Dispose(); old.V.Dispose(); }
            // Saved on the CPU, restored beside the parameter (a run trained on a GPU resumes there or on the CPU).
            state[p] = (Beside(m, p).DetachFromDisposeScope(), Beside(v, p).DetachFromDisposeScope());
        }
        StepCount = stepCount;
    }
}
