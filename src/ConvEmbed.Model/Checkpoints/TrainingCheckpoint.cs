using System.Text.Json;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Serialization;

namespace ConvEmbed.Model.Checkpoints;

/// <summary>
/// The full training state next to a model: every parameter and buffer of the objective (heads, DINO's teacher
/// and centre), AdamW's moments, and step/time/options, so <c>--resume</c> continues a run exactly.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>Where a run stands and what it trains (<paramref name="Dino"/> only for the DINO objective).</summary>
    public sealed record State(int Step, double Seconds, long OptimizerSteps, string Objective, TrainingOptions Options, DinoSettings? Dino = null);

    public static void Save(string folder, Objective objective, Trainer trainer, TrainingOptions options)
    {
        var tensors = objective.state_dict().Select(t => ("objective." + t.Name, t.Tensor))
            .Concat(trainer.Optimizer.state_dict(trainer.TrainableParameters).Select(t => ("optimizer." + t.Name, t.Tensor)));
        ModelFolder.Atomically(Path.Combine(folder, ModelFolder.StateFile), tmp => Safetensors.Save(tmp, tensors));
        var state = new State(trainer.Step, trainer.Seconds, trainer.Optimizer.StepCount, objective.Name, options, (objective as DinoObjective)?.Settings);
        ModelFolder.Atomically(Path.Combine(folder, ModelFolder.StateJsonFile),
            tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(state, ModelFolder.Json)));
    }

    public static State ReadState(string folder)
    {
        var path = Path.Combine(folder, ModelFolder.StateJsonFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"nothing to resume: {Path.GetFullPath(path)} does not exist", path);
        return JsonSerializer.Deserialize<State>(File.ReadAllText(path), ModelFolder.Json)
               ?? throw new InvalidDataException($"{path}: empty training state");
    }

    /// <summary>Loads tensors into the objective and optimiser and moves the trainer to the saved step.</summary>
    public static void Restore(string folder, Objective objective, Trainer trainer, State state)
    {
        if (state.Objective != objective.Name)
            throw new InvalidDataException($"the saved run trained {state.Objective}, not {objective.Name}");
        using var scope = Torch.Torch.NewDisposeScope();
        var tensors = Safetensors.Load(Path.Combine(folder, ModelFolder.StateFile));
        objective.load_state_dict(Strip(tensors, "objective."));
        trainer.Optimizer.load_state_dict(Strip(tensors, "optimizer."), trainer.TrainableParameters, state.OptimizerSteps);
        trainer.Restore(state.Step, state.Seconds);
    }

    private static Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
}
