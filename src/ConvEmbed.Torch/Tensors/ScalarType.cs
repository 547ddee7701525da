namespace ConvEmbed.Torch;

/// <summary>Element types; the numeric values are the shim's dtype codes (native/shim/runtime.cpp).</summary>
public enum ScalarType
{
    Float32 = 0,
    Float16 = 1,
    Int64 = 2,
    /// <summary>Used by tests for precise finite-difference gradient checks.</summary>
    Float64 = 3,
    Bool = 4,
    /// <summary>bfloat16: fp32's exponent range with 8 bits of mantissa; what <see cref="Torch.autocast"/> computes in on CPUs.</summary>
    BFloat16 = 5,
}

internal static class ScalarTypes
{
    public static ScalarType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(Half) ? ScalarType.Float16
        : typeof(T) == typeof(long) ? ScalarType.Int64
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : typeof(T) == typeof(bool) ? ScalarType.Bool
        : throw new NotSupportedException($"no tensor dtype for {typeof(T).Name}");

    public static int ElementSize(this ScalarType t) => t switch
    {
        ScalarType.Float32 => 4,
        ScalarType.Float16 => 2,
        ScalarType.Int64 => 8,
        ScalarType.Float64 => 8,
        ScalarType.Bool => 1,
        ScalarType.BFloat16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
