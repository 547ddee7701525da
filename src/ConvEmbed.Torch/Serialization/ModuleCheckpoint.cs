using ConvEmbed.Torch.Modules;

namespace ConvEmbed.Torch.Serialization;

/// <summary>Saves and restores a module's parameters and buffers as one safetensors file, keyed like a PyTorch state_dict.</summary>
public static class ModuleCheckpoint
{
    public static void Save(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Save(path, module.state_dict(), metadata);

    public static void Load(this Module module, string path, bool strict = true)
    {
        using var scope = DisposeScope.Enter();
        module.load_state_dict(Safetensors.Load(path), strict);
    }
}
