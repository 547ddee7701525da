namespace ConvEmbed.Torch.Modules;

/// <summary>Runs its children in order; they are named "0", "1", … as in torch.nn.Sequential, so state keys match.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> layers = [];

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    public IReadOnlyList<Module> Layers => layers;

    public Sequential Add(Module module)
    {
        RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        layers.Add(module);
        return this;
    }

    public override Tensor forward(Tensor x)
    {
        // Intermediate activations belong to the caller's dispose scope (autograd needs them until backward).
        var y = x;
        foreach (var layer in layers) y = layer.forward(y);
        return y;
    }
}
