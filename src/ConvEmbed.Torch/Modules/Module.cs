namespace ConvEmbed.Torch.Modules;

/// <summary>
/// A network part with named parameters, buffers and child modules (as torch.nn.Module). Owns its tensors:
/// they are kept out of any dispose scope and freed by <see cref="Dispose"/>.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> ownParameters = [];
    private readonly List<(string Name, Tensor Tensor)> ownBuffers = [];
    private readonly List<(string Name, Module Module)> children = [];

    public bool IsTraining { get; private set; } = true;

    public abstract Tensor forward(Tensor x);

    protected Tensor RegisterParameter(string name, Tensor value)
    {
        value.DetachFromDisposeScope().requires_grad_(true);
        ownParameters.Add((name, value));
        return value;
    }

    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ownBuffers.Add((name, value.DetachFromDisposeScope()));
        return value;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        return module;
    }

    /// <summary>Parameters in registration order, with dotted paths ("net.0.weight").</summary>
    public IEnumerable<(string Name, Tensor Tensor)> named_parameters() => Walk(m => m.ownParameters);
    public IEnumerable<(string Name, Tensor Tensor)> named_buffers() => Walk(m => m.ownBuffers);
    public IEnumerable<Tensor> parameters() => named_parameters().Select(p => p.Tensor);

    /// <summary>The direct child modules with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> named_children() => children;

    /// <summary>Parameters then buffers: what a checkpoint holds.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> state_dict() => named_parameters().Concat(named_buffers());

    private IEnumerable<(string, Tensor)> Walk(Func<Module, List<(string, Tensor)>> pick, string prefix = "")
    {
        foreach (var (name, t) in pick(this)) yield return (prefix + name, t);
        foreach (var (name, child) in children)
            foreach (var item in child.Walk(pick, prefix + name + "."))
                yield return item;
    }

    /// <summary>Where the parameters live (the first one's device; CPU for a module without parameters).</summary>
    public Device Device => named_parameters().Select(p => p.Tensor.Device).DefaultIfEmpty(Device.Cpu).First();

    /// <summary>Moves every parameter and buffer of this module and its children to <paramref name="device"/> in place
    /// (as torch.nn.Module.to): the tensors keep their identity, so do that before an optimiser takes them.</summary>
    public Module to(Device device)
    {
        foreach (var (_, t) in state_dict())
            if (t.Device != device) t.MoveTo(device);
        return this;
    }

    public Module train(bool on = true)
    {
        IsTraining = on;
        foreach (var (_, child) in children) child.train(on);
        return this;
    }

    public Module eval() => train(false);

    public void zero_grad()
    {
        foreach (var p in parameters()) p.ZeroGrad();
    }

    /// <summary>Copies tensors by name into this module's parameters and buffers; every name must match in shape.</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        using var noGrad = new NoGradScope();
        var own = state_dict().ToList();
        foreach (var (name, t) in own)
        {
            if (state.TryGetValue(name, out var src))
            {
                // copy_ broadcasts: a saved tensor of another shape would load silently. Refuse it instead.
                if (!src.Shape.SequenceEqual(t.Shape))
                    throw new InvalidDataException($"tensor '{name}' has shape [{string.Join(", ", src.Shape)}] in the saved state but [{string.Join(", ", t.Shape)}] in the module");
                t.copy_(src);
            }
            else if (strict) throw new KeyNotFoundException($"state has no tensor '{name}'");
        }
        if (strict)
            foreach (var name in state.Keys.Except(own.Select(o => o.Name)))
                throw new KeyNotFoundException($"module has no parameter or buffer '{name}'");
    }

    public virtual void Dispose()
    {
        foreach (var (_, t) in ownParameters) t.Dispose();
        foreach (var (_, t) in ownBuffers) t.Dispose();
        foreach (var (_, c) in children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}
