namespace ConvEmbed.Torch.Modules;

/// <summary>A parameter-free element-wise layer (GELU, ReLU, …) so it can sit in a <see cref="Sequential"/>.</summary>
public sealed class Activation(string name, Func<Tensor, Tensor> function) : Module
{
    public static Activation GELU() => new("GELU", x => x.gelu());
    public static Activation ReLU() => new("ReLU", x => x.relu());
    public static Activation Tanh() => new("Tanh", x => x.tanh());

    public string Name { get; } = name;

    public override Tensor forward(Tensor x) => function(x);
}
