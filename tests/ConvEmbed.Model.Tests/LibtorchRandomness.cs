namespace ConvEmbed.Model.Tests;

/// <summary>
/// Test classes that seed libtorch's generator (<c>manual_seed</c>, which the trainer calls every step) run one at a
/// time: the generator is process-wide, so a seed set by one class in the middle of another's step breaks the
/// bit-for-bit reproducibility tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LibtorchRandomness
{
    public const string Name = "libtorch's global random generator";
}
