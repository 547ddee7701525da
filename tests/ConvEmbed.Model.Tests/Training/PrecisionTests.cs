using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Training;

/// <summary>Which precision a run uses (decided from given CPU flags, not this machine's) and what bf16 changes in a loss.</summary>
[Collection(LibtorchRandomness.Name)]
public sealed class PrecisionTests
{
    private static readonly HashSet<string> Zen4 = ["fpu", "avx2", "avx512f", "avx512_bf16", "avx512_vnni"];
    private static readonly HashSet<string> SapphireRapids = ["avx2", "avx512f", "amx_tile", "amx_bf16", "amx_int8"];
    private static readonly HashSet<string> Skylake = ["fpu", "avx2", "avx512f", "avx512_vnni"];

    [Fact]
    public void AutoPicksBf16OnlyWhereTheCpuHasIt()
    {
        var zen4 = PrecisionChoice.Choose(Precision.Auto, DeviceType.Cpu, Zen4);
        Assert.Equal(Precision.Bf16, zen4.Precision);
        Assert.Equal("precision bf16: auto, CPU has avx512_bf16", zen4.ToString());
        Assert.Equal(Precision.Bf16, PrecisionChoice.Choose(Precision.Auto, DeviceType.Cpu, SapphireRapids).Precision);

        var skylake = PrecisionChoice.Choose(Precision.Auto, DeviceType.Cpu, Skylake);
        Assert.Equal(Precision.Fp32, skylake.Precision);
        Assert.Contains("neither avx512_bf16 nor amx_bf16", skylake.Reason);
        Assert.Equal(Precision.Fp32, PrecisionChoice.Choose(Precision.Auto, DeviceType.Cpu, new HashSet<string>()).Precision);
    }

    [Fact]
    public void AnExplicitRequestWinsAndSaysWhenBf16IsEmulated()
    {
        Assert.Equal(Precision.Fp32, PrecisionChoice.Choose(Precision.Fp32, DeviceType.Cpu, Zen4).Precision);
        var emulated = PrecisionChoice.Choose(Precision.Bf16, DeviceType.Cpu, Skylake);
        Assert.Equal(Precision.Bf16, emulated.Precision);
        Assert.Contains("emulated", emulated.Reason);
    }

    [Fact]
    public void OnCudaTheDeviceDecidesAndAnOlderGpuGetsFp16WithLossScaling()
    {
        var ampere = PrecisionChoice.Choose(Precision.Auto, DeviceType.Cuda, Skylake, cudaHasBf16: true);
        Assert.Equal(Precision.Bf16, ampere.Precision);
        Assert.False(ampere.ScalesLoss);
        var turing = PrecisionChoice.Choose(Precision.Auto, DeviceType.Cuda, Zen4, cudaHasBf16: false);
        Assert.Equal(Precision.Fp16, turing.Precision);
        Assert.True(turing.ScalesLoss);
        Assert.Equal(ScalarType.Float16, turing.AutocastType);
        Assert.Contains("compute capability below 8.0", turing.Reason);
        Assert.Equal(Precision.Fp16, PrecisionChoice.Choose(Precision.Fp16, DeviceType.Cuda, Zen4, cudaHasBf16: true).Precision);
        Assert.Equal(Precision.Fp32, PrecisionChoice.Choose(Precision.Fp32, DeviceType.Cuda, Zen4, cudaHasBf16: true).Precision);
    }

    [Fact]
    public void Fp16IsRefusedOnACpuAndNeverChosenThere()
    {
        var e = Assert.Throws<ArgumentException>(() => PrecisionChoice.Choose(Precision.Fp16, DeviceType.Cpu, Zen4));
        Assert.Contains("CUDA device only", e.Message);
        Assert.Throws<ArgumentException>(() => PrecisionChoice.For(Precision.Fp16, Device.Cpu));
        Assert.Equal(Precision.Fp32, PrecisionChoice.For(Precision.Fp16, Device.Meta).Precision); // meta computes nothing
        Assert.NotEqual(Precision.Fp16, PrecisionChoice.Choose(Precision.Auto, DeviceType.Cpu, Skylake).Precision);
    }

    [Fact]
    public void ACpuOnlyLibtorchReportsNoCudaBf16() => Assert.False(TorchRuntime.CudaBf16Supported);

    [Fact]
    public void CpuFlagsComeFromTheFlagsLine()
    {
        var flags = CpuFlags.Parse(["processor\t: 0", "model name\t: AMD EPYC", "flags\t\t: fpu avx2 avx512_bf16", "bogomips\t: 4792.8"]);
        Assert.True(flags.SetEquals(["fpu", "avx2", "avx512_bf16"]), string.Join(" ", flags));
        Assert.Empty(CpuFlags.Parse(["processor : 0"]));
    }

    [Theory]
    [InlineData("auto", Precision.Auto)]
    [InlineData("FP32", Precision.Fp32)]
    [InlineData("bfloat16", Precision.Bf16)]
    [InlineData("fp16", Precision.Fp16)]
    public void PrecisionsParse(string text, Precision expected) => Assert.Equal(expected, Precisions.Parse(text));

    [Fact]
    public void AnUnknownPrecisionIsRefused() => Assert.Contains("auto, fp32, bf16 or fp16", Assert.Throws<ArgumentException>(() => Precisions.Parse("fp8")).Message);

    /// <summary>
    /// The ConvEmbed loss of one fixed batch under bf16 autocast against fp32. bf16 keeps 8 significant bits, so
    /// each input and weight is rounded by at most 2^-9 ≈ 0.2 % relative; with fp32 accumulation and the loss in fp32
    /// the loss (≈ ln B here) moves by well under 2 %. A bf16 path that ran the loss itself in bf16 or mixed up
    /// dtypes would fail the dtype checks or land far outside.
    /// </summary>
    [Theory]
    [InlineData(ObjectiveFactory.ConvEmbed)]
    [InlineData(ObjectiveFactory.Dino)]
    public void ALossUnderAutocastEqualsTheFp32LossWithinTwoPercent(string name)
    {
        Torch.Torch.manual_seed(5);
        using var objective = ObjectiveFactory.Create(name, EncoderConfig.FromPreset("rf0.2", channels: 32), dino: new DinoSettings { Prototypes = 64 });
        objective.train();
        using var scope = Torch.Torch.NewDisposeScope();
        Torch.Torch.manual_seed(6);
        var batch = name == ObjectiveFactory.Dino
            ? new TrainingBatch(4, Globals: Torch.Torch.randn([8, 64, 160]), Locals: Torch.Torch.randn([16, 64, 40]))
            : new TrainingBatch(4, Windows: Torch.Torch.randn([4, 64, 160]));

        // Training mode updates BatchNorm's running statistics but normalises with the batch's own, so both passes
        // see the same normalisation; DINO's centre only moves in AfterStep, which is not called.
        var fp32 = objective.Loss(batch);
        Tensor bf16;
        using (Torch.Torch.autocast(DeviceType.Cpu))
            bf16 = objective.Loss(batch);

        Assert.Equal(ScalarType.Float32, bf16.DType);
        double a = fp32.item(), b = bf16.item();
        Assert.True(Math.Abs(a - b) <= 0.02 * Math.Abs(a), $"fp32 loss {a:F5}, bf16 loss {b:F5}");
        Assert.NotEqual(a, b); // autocast really changed the arithmetic
    }
}
