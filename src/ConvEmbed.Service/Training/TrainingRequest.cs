using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;

namespace ConvEmbed.Service.Training;

/// <summary>Body of <c>POST /admin/training</c>; every field is optional.</summary>
/// <param name="Minutes">Wall-clock training budget (default 10). Give this or <paramref name="Steps"/>.<example>10</example></param>
/// <param name="Steps">Step budget instead of minutes (tests and power users; reproducible).<example>null</example></param>
/// <param name="Objective">convembed (single pass, default) or dino (the baseline).<example>convembed</example></param>
/// <param name="Variant">ConvEmbed loss: infonce (default), infonce-nosg, vicreg, dinofree.<example>infonce</example></param>
/// <param name="Encoder">Encoder preset by receptive field: rf0.1 (default), rf0.2, rf1, rf3.<example>rf0.1</example></param>
/// <param name="Seed">Seed of initialisation, sampling and augmentation.<example>0</example></param>
/// <param name="Batch">Windows per step (default 32).<example>32</example></param>
/// <param name="Window">Frames per training window, 100 per second (default 600).<example>600</example></param>
/// <param name="Precision">auto (default: bf16 where the CPU has avx512_bf16 or AMX or the GPU compute capability 8.0+;
/// fp16 on an older GPU; else fp32), fp32, bf16, or fp16 (CUDA only, with loss scaling); bf16 and fp16 run the forward
/// passes under autocast; the model is stored in fp32 either way.<example>auto</example></param>
/// <param name="Whiten">Fit a PCA whitening on the window vectors of the library's tracks (at most 2000) when training
/// ends, store it with the model and whiten every track vector the model gives (default false: on the public corpus it
/// did not beat the plain vectors).<example>false</example></param>
public sealed record TrainingRequest(double? Minutes = null, int? Steps = null, string? Objective = null, string? Variant = null,
    string? Encoder = null, int? Seed = null, int? Batch = null, int? Window = null, string? Precision = null, bool? Whiten = null)
{
    public const double MaxMinutes = 24 * 60;

    /// <summary>The settings a job runs with on <paramref name="device"/> (the service's), or the reasons the request is refused.</summary>
    public (TrainingSettings? Settings, IReadOnlyList<string> Errors) Validate(DeviceType device = DeviceType.Cpu)
    {
        var errors = new List<string>();
        if (Minutes is not null && Steps is not null) errors.Add("Give minutes or steps, not both.");
        if (Minutes is <= 0 or > MaxMinutes) errors.Add($"minutes must be in (0, {MaxMinutes}] (was {Minutes}).");
        if (Steps is < 1 or > 1_000_000) errors.Add($"steps must be between 1 and 1000000 (was {Steps}).");
        var objective = (Objective ?? ObjectiveFactory.ConvEmbed).ToLowerInvariant();
        if (objective is not (ObjectiveFactory.ConvEmbed or ObjectiveFactory.Dino))
            errors.Add($"objective must be '{ObjectiveFactory.ConvEmbed}' or '{ObjectiveFactory.Dino}' (was '{Objective}').");
        var variantName = (Variant ?? "infonce").ToLowerInvariant();
        var variants = Enum.GetValues<Variant>().Select(v => v.Name()).ToArray();
        if (!variants.Contains(variantName)) errors.Add($"variant must be one of {string.Join(", ", variants)} (was '{Variant}').");
        var encoder = Encoder ?? EncoderConfig.DefaultPreset;
        if (!EncoderConfig.Presets.ContainsKey(encoder)) errors.Add($"encoder must be one of {string.Join(", ", EncoderConfig.Presets.Keys)} (was '{Encoder}').");
        if (Batch is < 2 or > 512) errors.Add($"batch must be between 2 and 512 (was {Batch}).");
        if (Window is { } window && TrainingOptions.WindowProblem(window) is { } problem) errors.Add(problem + ".");
        var precision = (Precision ?? "auto").Trim().ToLowerInvariant();
        if (!Precisions.Names.Contains(precision)) errors.Add($"precision must be auto, fp32, bf16 or fp16 (was '{Precision}').");
        else if (PrecisionChoice.Unsupported(Precisions.Parse(precision), device) is { } unsupported)
            errors.Add($"{unsupported} (this service computes on {device.ToString().ToLowerInvariant()}: ConvEmbed:Device).");
        if (errors.Count > 0) return (null, errors);
        return (new TrainingSettings(Steps is null ? Minutes ?? 10 : null, Steps, objective, variantName, encoder, Seed ?? 0, Batch ?? 32, Window ?? 600,
            precision, Whiten ?? false), []);
    }
}
