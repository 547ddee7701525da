using System.Text.Json;
using System.Text.Json.Serialization;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Serialization;

namespace ConvEmbed.Model.Checkpoints;

/// <summary>
/// A model on disk: <c>model.safetensors</c> (the embedding backbone), <c>config.json</c> (<see cref="ModelConfig"/>),
/// <c>whitening.safetensors</c> when its vectors are whitened (<see cref="PcaWhitening"/>, named by the config), and, for resuming, <c>training/state-N.safetensors</c> (heads, teacher, optimiser moments) named by <c>training/state.json</c>
/// (see <see cref="TrainingCheckpoint"/>). Files are written to a temporary name, fsynced and renamed, so a crash never
/// leaves half a file.
/// </summary>
public static class ModelFolder
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";
    public const string WhiteningFile = "whitening.safetensors";
    /// <summary>The tensor file of checkpoints written before they were named by step (still read by resume).</summary>
    public const string StateFile = "training/state.safetensors";
    public const string StateJsonFile = "training/state.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the encoder, the whitening of its vectors if given (<paramref name="config"/>'s
    /// <see cref="ModelConfig.Whitening"/> describes it) and the config, each atomically; the config last, so it only
    /// ever names files that are there. A model saved without a whitening loses an earlier one.</summary>
    public static void SaveModel(string folder, Encoder encoder, ModelConfig config, PcaWhitening? whitening = null)
    {
        if (config.Whitening is null != whitening is null)
            throw new ArgumentException("a whitening and its description in the config come together");
        if (whitening is not null && whitening.Dimension != encoder.Config.Channels)
            throw new ArgumentException($"the whitening has {whitening.Dimension} dimensions, the encoder gives {encoder.Config.Channels}");
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, WeightsFile);
        Atomically(weights, tmp => encoder.Save(tmp));
        var whiteningPath = Path.Combine(folder, WhiteningFile);
        if (whitening is not null) Atomically(whiteningPath, tmp => SaveWhitening(tmp, whitening));
        config = config with
        {
            Format = whitening is null ? ModelConfig.CurrentFormat : ModelConfig.WhitenedFormat,
            Whitening = config.Whitening is null ? null : config.Whitening with { WeightsSha256 = Sha256(weights) },
        };
        Atomically(Path.Combine(folder, ConfigFile), tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(config, Json)));
        if (whitening is null) File.Delete(whiteningPath); // no longer named by the config
    }

    private static void SaveWhitening(string path, PcaWhitening whitening)
    {
        using var scope = Torch.Torch.NewDisposeScope();
        var d = whitening.Dimension;
        Safetensors.Save(path,
        [
            ("mean", Torch.Torch.tensor(whitening.Mean, d)),
            ("components", Torch.Torch.tensor(whitening.Components.SelectMany(c => c).ToArray(), d, d)),
            ("eigenvalues", Torch.Torch.tensor(whitening.Eigenvalues, d)),
        ]);
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    /// <summary>The whitening a model folder's config names, or null when it has none.</summary>
    public static PcaWhitening? LoadWhitening(string folder, ModelConfig config)
    {
        if (config.Whitening is null) return null;
        var path = Path.Combine(folder, WhiteningFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"the model's config names a whitening but the folder has no {WhiteningFile}: {Path.GetFullPath(folder)}", path);
        if (config.Whitening.WeightsSha256 is { } expected && Sha256(Path.Combine(folder, WeightsFile)) != expected)
            throw new InvalidDataException($"{path} was fitted for other weights than {Path.Combine(folder, WeightsFile)} (a save was interrupted?): train the model again with its whitening, or remove the whitening from {ConfigFile}");
        using var scope = Torch.Torch.NewDisposeScope();
        var tensors = Safetensors.Load(path);
        if (!tensors.TryGetValue("mean", out var mean) || !tensors.TryGetValue("components", out var components) || !tensors.TryGetValue("eigenvalues", out var eigenvalues))
            throw new InvalidDataException($"{path}: a whitening needs the tensors mean, components and eigenvalues");
        if (mean.Shape is not [var d] || components.Shape is not [var r, var c] || r != d || c != d || eigenvalues.Shape is not [var n] || n != d)
            throw new InvalidDataException($"{path}: the whitening's tensors do not have the shapes [d], [d, d], [d]");
        var rows = components.data<float>();
        try
        {
            return PcaWhitening.From(mean.data<float>(), Enumerable.Range(0, (int)d).Select(i => rows.AsSpan(i * (int)d, (int)d).ToArray()).ToArray(),
                eigenvalues.data<double>());
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    public static ModelConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"not a ConvEmbed model folder (no {ConfigFile}): {Path.GetFullPath(folder)}", path);
        var config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), Json)
                     ?? throw new InvalidDataException($"{path}: empty model config");
        if (config.Format is not (ModelConfig.CurrentFormat or ModelConfig.WhitenedFormat))
            throw new InvalidDataException($"{path}: unsupported model format '{config.Format}' (expected {ModelConfig.CurrentFormat} or {ModelConfig.WhitenedFormat})");
        if (config.Format == ModelConfig.WhitenedFormat && config.Whitening is null)
            throw new InvalidDataException($"{path}: format {config.Format} is a whitened model, but the config describes no whitening");
        if (config.Format != ModelConfig.WhitenedFormat && config.Whitening is not null)
            throw new InvalidDataException($"{path}: the config describes a whitening but its format is {config.Format} (expected {ModelConfig.WhitenedFormat})");
        if (config.FrontEnd != new FrontEndConfig())
            throw new InvalidDataException($"{path}: the model was trained on another front-end ({config.FrontEnd}) than this build computes ({new FrontEndConfig()}); retrain it");
        return config;
    }

    /// <summary>The embedding encoder with its trained weights, in eval mode (the whitening: <see cref="LoadWhitening"/>).</summary>
    public static (Encoder Encoder, ModelConfig Config) LoadModel(string folder)
    {
        var config = ReadConfig(folder);
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"model folder has no {WeightsFile}: {Path.GetFullPath(folder)}", weights);
        var encoder = new Encoder(config.ToEncoderConfig());
        try
        {
            encoder.Load(weights);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
        encoder.eval();
        return (encoder, config);
    }

    public static void Atomically(string path, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + $".tmp-{Environment.ProcessId}";
        try
        {
            write(tmp);
            using (var written = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) written.Flush(flushToDisk: true); // on disk before it is published
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
