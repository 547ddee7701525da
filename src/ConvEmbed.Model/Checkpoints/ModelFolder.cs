using System.Text.Json;
using System.Text.Json.Serialization;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch.Serialization;

namespace ConvEmbed.Model.Checkpoints;

/// <summary>
/// A model on disk: <c>model.safetensors</c> (the embedding backbone), <c>config.json</c> (<see cref="ModelConfig"/>),
/// and, for resuming, <c>training/state-N.safetensors</c> (heads, teacher, optimiser moments) named by <c>training/state.json</c>
/// (see <see cref="TrainingCheckpoint"/>). Files are written to a temporary name, fsynced and renamed, so a crash never
/// leaves half a file.
/// </summary>
public static class ModelFolder
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";
    /// <summary>The tensor file of checkpoints written before they were named by step (still read by resume).</summary>
    public const string StateFile = "training/state.safetensors";
    public const string StateJsonFile = "training/state.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void SaveModel(string folder, Encoder encoder, ModelConfig config)
    {
        Directory.CreateDirectory(folder);
        Atomically(Path.Combine(folder, WeightsFile), tmp => encoder.Save(tmp));
        Atomically(Path.Combine(folder, ConfigFile), tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(config, Json)));
    }

    public static ModelConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"not a ConvEmbed model folder (no {ConfigFile}): {Path.GetFullPath(folder)}", path);
        var config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), Json)
                     ?? throw new InvalidDataException($"{path}: empty model config");
        if (config.Format != ModelConfig.CurrentFormat)
            throw new InvalidDataException($"{path}: unsupported model format '{config.Format}' (expected {ModelConfig.CurrentFormat})");
        if (config.FrontEnd != new FrontEndConfig())
            throw new InvalidDataException($"{path}: the model was trained on another front-end ({config.FrontEnd}) than this build computes ({new FrontEndConfig()}); retrain it");
        return config;
    }

    /// <summary>The embedding encoder with its trained weights, in eval mode.</summary>
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
