using System.CommandLine;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli;

/// <summary>
/// The options that `train`, `embed` and the training benchmarks share, defined once: same names, defaults,
/// checks and help text everywhere. Each call makes a new option (an option belongs to one command).
/// </summary>
public static class TrainingCliOptions
{
    public static Option<string> Encoder(string description = "Encoder preset by receptive field: rf0.1, rf0.2, rf1, rf3.")
    {
        var option = new Option<string>("--encoder") { Description = description, DefaultValueFactory = _ => EncoderConfig.DefaultPreset };
        option.AcceptOnlyFromAmong(EncoderConfig.Presets.Keys.ToArray());
        return option;
    }

    public static Option<string> Variant()
    {
        var names = Enum.GetValues<Variant>().Select(v => v.Name()).ToArray();
        var option = new Option<string>("--variant") { Description = $"ConvEmbed loss: {string.Join(", ", names)}.", DefaultValueFactory = _ => "infonce" };
        option.AcceptOnlyFromAmong(names);
        return option;
    }

    public static Option<int> Seed(string description = "Seed of initialisation, sampling and augmentation.") =>
        new("--seed") { Description = description, DefaultValueFactory = _ => 0 };

    public static Option<int?> Threads() =>
        new Option<int?>("--threads") { Description = "libtorch threads (default: the machine's cores)." }.Must(v => v is null or >= 1, "must be at least 1");

    public static Option<int> Batch() =>
        new Option<int>("--batch") { Description = "Windows per step (the learning rate, 1e-3 at 32, scales with it).", DefaultValueFactory = _ => 32 }
            .Must(v => v >= 2, "must be at least 2");

    public static Option<string?> Cache() =>
        new("--cache") { Description = "Feature cache folder (default $CONVEMBED_CACHE or ~/.cache/convembed/features)." };

    /// <summary>--precision auto|fp32|bf16|fp16 (no default value, so a resumed run can keep its own; unset means auto).</summary>
    public static Option<string?> Precision()
    {
        var option = new Option<string?>("--precision")
        {
            Description = "Forward passes in fp32, or bf16/fp16 under autocast (parameters stay fp32; fp16 on CUDA only, with loss scaling); " +
                          "auto (the default) picks bf16 where the CPU has avx512_bf16 or AMX or the GPU has compute capability 8.0+, fp16 on older GPUs.",
        };
        option.AcceptOnlyFromAmong(Precisions.Names);
        return option;
    }

    /// <summary>The precision asked for (auto when unset), decided for the device (this machine's CPU unless given) and
    /// printed with its reason.</summary>
    public static PrecisionChoice ReadPrecision(ParseResult parse, Option<string?> option, Precision? whenUnset = null, Torch.Device? device = null)
    {
        var requested = parse.GetValue(option) is { } text ? Precisions.Parse(text) : whenUnset ?? Model.Training.Precision.Auto;
        PrecisionChoice choice;
        try { choice = PrecisionChoice.For(requested, device ?? Torch.Device.Cpu); }
        catch (ArgumentException e) { throw new CliError(e.Message); } // fp16 on a CPU
        Stderr.Line(choice.ToString());
        return choice;
    }

    /// <summary>--device auto|cpu|cuda: where the networks, their optimiser state and every batch live.</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where the networks and every batch live: cpu, cuda (a CUDA build of ConvEmbed.Torch), or auto (cuda when libtorch reaches a GPU, else cpu).",
            DefaultValueFactory = _ => Torch.DeviceSetting.Auto,
        };
        option.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        return option;
    }

    /// <summary>The device asked for, decided with the service's rule (<see cref="Torch.DeviceSetting"/>) and printed with its reason.</summary>
    public static Torch.Device ReadDevice(ParseResult parse, Option<string> option)
    {
        var (device, reason) = Torch.DeviceSetting.Choose(parse.GetValue(option) ?? Torch.DeviceSetting.Auto, "--device");
        if (device is not { } chosen) throw new CliError(reason);
        Stderr.Line($"device {chosen}: {reason}");
        return chosen;
    }

    public static Option<string?> Json() =>
        new("--json") { Description = "Write the results as JSON to this file." };
}
