namespace ConvEmbed.Torch.Tests.Scopes;

/// <summary>libtorch's autocast through the binding: where it applies, what it restores, and how close bf16 stays to fp32.</summary>
public sealed class AutocastTests
{
    [Fact]
    public void ConvolutionsAndMatrixProductsRunInBf16InsideAndFp32Outside()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.manual_seed(1);
        var x = Torch.randn([2, 8, 32]);
        var w = Torch.randn([4, 8, 3]);
        var m = Torch.randn([8, 8]);

        using (var autocast = Torch.autocast(DeviceType.Cpu, ScalarType.BFloat16))
        {
            Assert.True(AutocastScope.IsEnabled(DeviceType.Cpu));
            Assert.Equal(ScalarType.BFloat16, Functional.conv1d(x, w).DType);
            Assert.Equal(ScalarType.BFloat16, m.matmul(m).DType);
            Assert.Equal(ScalarType.Float32, x.DType); // inputs are not changed, ops cast their own copies
            Assert.Equal(ScalarType.Float32, Functional.conv1d(x, w).@float().DType);
        }

        Assert.False(AutocastScope.IsEnabled(DeviceType.Cpu));
        Assert.Equal(ScalarType.Float32, Functional.conv1d(x, w).DType);
        Assert.Equal(ScalarType.Float32, m.matmul(m).DType);
    }

    [Fact]
    public void ScopesNestAndRestoreThePreviousState()
    {
        using var scope = Torch.NewDisposeScope();
        var m = Torch.randn([4, 4]);
        using (Torch.autocast(DeviceType.Cpu))
        {
            using (Torch.autocast(DeviceType.Cpu, enabled: false))
            {
                Assert.False(AutocastScope.IsEnabled());
                Assert.Equal(ScalarType.Float32, m.matmul(m).DType);
            }
            Assert.True(AutocastScope.IsEnabled());
            Assert.Equal(ScalarType.BFloat16, m.matmul(m).DType);
        }
        Assert.False(AutocastScope.IsEnabled());
    }

    [Fact]
    public void OnlyLowerPrecisionTypesAreAccepted() =>
        Assert.Throws<ArgumentException>(() => Torch.autocast(DeviceType.Cpu, ScalarType.Float64));

    /// <summary>
    /// bf16 rounds inputs, weights and the output to 8 significant bits (relative error ≤ 2^-9 ≈ 0.2 % each). With
    /// native bf16 (avx512_bf16: oneDNN accumulates in fp32) the output differs from fp32 by ≈ 0.3 % of its norm; on
    /// a CPU without it libtorch's fallback kernel also rounds partial sums (64 × 5 = 320 terms here), measured
    /// 2.1 % on an AVX2-only AMD EPYC. 5 % holds on both and still catches a wrong kernel, layout or dtype
    /// conversion (those are off by 100 % or more).
    /// </summary>
    [Fact]
    public void ABf16ConvolutionStaysWithinFivePercentOfFp32AndGradientsAreFp32()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.manual_seed(2);
        var x = Torch.randn([4, 64, 200]);
        var w = Torch.randn([128, 64, 5]).requires_grad_();
        var reference = Functional.conv1d(x, w, padding: 2);
        Tensor low;
        using (Torch.autocast(DeviceType.Cpu))
            low = Functional.conv1d(x, w, padding: 2);

        var error = (low.@float() - reference).norm().item() / reference.norm().item();
        Assert.True(error < 0.05, $"relative error {error:E2}");
        Assert.True(error > 0, "bf16 should not be exactly fp32");

        low.@float().sum().Backward();
        using var grad = w.Grad!;
        Assert.Equal(ScalarType.Float32, grad.DType);
    }
}
