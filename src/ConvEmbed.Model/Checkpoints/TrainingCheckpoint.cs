using System.Text.Json;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Optim;
using ConvEmbed.Torch.Serialization;

namespace ConvEmbed.Model.Checkpoints;

/// <summary>
/// The full training state next to a model: every parameter and buffer of the objective (heads, DINO's teacher
/// and centre), AdamW's moments, and step/time/options, so <c>--resume</c> continues a run exactly.
/// Crash-safe: the tensors go to a new file named by the step (<c>training/state-N.safetensors</c>, fsynced), then
/// <c>training/state.json</c> — which names that file and its SHA-256 — replaces the previous one by a single rename.
/// That rename is the commit: a crash before it leaves the previous checkpoint whole, after it the new one; older
/// tensor files are deleted only then. Resuming verifies the hash.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>Where a run stands and what it trains (<paramref name="Dino"/> only for the DINO objective);
    /// <paramref name="Tensors"/> and <paramref name="Sha256"/> name the tensor file this state belongs to;
    /// <paramref name="LossScale"/> is an fp16 run's <see cref="GradScaler"/> state.</summary>
    public sealed record State(int Step, double Seconds, long OptimizerSteps, string Objective, TrainingOptions Options, DinoSettings? Dino = null,
        string? Tensors = null, string? Sha256 = null, LossScaleState? LossScale = null);

    /// <summary>A <see cref="GradScaler"/>'s scale, good steps since it last changed, and skipped steps.</summary>
    public sealed record LossScaleState(double Scale, int GoodSteps, long SkippedSteps);

    public static void Save(string folder, Objective objective, Trainer trainer, TrainingOptions options)
    {
        var tensors = objective.state_dict().Select(t => ("objective." + t.Name, t.Tensor))
            .Concat(trainer.Optimizer.state_dict(trainer.TrainableParameters).Select(t => ("optimizer." + t.Name, t.Tensor)));
        var training = Path.Combine(folder, Path.GetDirectoryName(ModelFolder.StateJsonFile)!);
        var name = $"state-{trainer.Step}.safetensors";
        ModelFolder.Atomically(Path.Combine(training, name), tmp => Safetensors.Save(tmp, tensors));
        var state = new State(trainer.Step, trainer.Seconds, trainer.Optimizer.StepCount, objective.Name, options, (objective as DinoObjective)?.Settings,
            name, Sha256Of(Path.Combine(training, name)),
            trainer.Scaler is { } scaler ? new LossScaleState(scaler.Scale, scaler.GoodSteps, scaler.SkippedSteps) : null);
        ModelFolder.Atomically(Path.Combine(folder, ModelFolder.StateJsonFile),
            tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(state, ModelFolder.Json)));
        // Committed: tensor files of earlier saves (and the unnamed file of older versions) are no longer referenced.
        foreach (var old in Directory.EnumerateFiles(training, "state*.safetensors").Where(f => Path.GetFileName(f) != name))
            File.Delete(old);
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
        var file = state.Tensors is { } named
            ? Path.Combine(folder, Path.GetDirectoryName(ModelFolder.StateJsonFile)!, named)
            : Path.Combine(folder, ModelFolder.StateFile); // checkpoints written before the tensor file was named
        if (!File.Exists(file)) throw new FileNotFoundException($"the training state names {Path.GetFileName(file)}, which is missing: the checkpoint is incomplete", file);
        if (state.Sha256 is { } expected && Sha256Of(file) != expected)
            throw new InvalidDataException($"{file} does not match the SHA-256 recorded in {ModelFolder.StateJsonFile}: the checkpoint is damaged; resume is refused");
        using var scope = Torch.Torch.NewDisposeScope();
        var tensors = Safetensors.Load(file);
        objective.load_state_dict(Strip(tensors, "objective."));
        trainer.Optimizer.load_state_dict(Strip(tensors, "optimizer."), trainer.TrainableParameters, state.OptimizerSteps);
        trainer.Restore(state.Step, state.Seconds);
        if (trainer.Scaler is { } scaler && state.LossScale is { } saved) scaler.Restore(saved.Scale, saved.GoodSteps, saved.SkippedSteps);
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
}
