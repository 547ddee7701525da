using System.Collections.Concurrent;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Passages;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Models;

/// <summary>
/// Loaded embedders, by model id. The active model is read from the database on every call (so every instance follows
/// a switch at once); an embedder is loaded once (an encoder from its folder, the bootstrap model from its stored
/// constants) and kept for the life of the process, so a request that started on the old model finishes on it.
/// </summary>
public sealed class ModelRegistry(ModelStore store, ComputeDevice device, IOptions<PassageOptions> passages, ILogger<ModelRegistry> logger) : IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<IEmbeddingModel>> loaded = new();

    public async Task<ActiveModel> GetActiveAsync(CancellationToken ct)
    {
        var row = await store.GetActiveAsync(ct)
                  ?? throw new InvalidOperationException("No model is active: the service registers the bootstrap model at start-up; is the database initialised?");
        return new ActiveModel(row.Id, row.Kind, row.Name, row.Dimension, Embedder(row), PassagesOf(row));
    }

    /// <summary>The plan a model's passages are written by, or null while passages are turned off.</summary>
    public PassagePlan? PassagesOf(ModelRow row) => passages.Value.Enabled ? row.Passages : null;

    /// <summary>A registered model's row (null when there is none by that id).</summary>
    public Task<ModelRow?> GetRowAsync(long id, CancellationToken ct) => store.GetAsync(id, ct);

    /// <summary>The loaded embedder of any registered model (e.g. one being re-embedded with before it is active).</summary>
    public async Task<IEmbeddingModel> GetModelAsync(long id, CancellationToken ct) =>
        Embedder(await store.GetAsync(id, ct) ?? throw new InvalidDataException($"Model {id} does not exist."));

    private IEmbeddingModel Embedder(ModelRow row) => loaded.GetOrAdd(row.Id, _ => new Lazy<IEmbeddingModel>(() => Load(row))).Value;

    private IEmbeddingModel Load(ModelRow row)
    {
        logger.LogInformation("Loading model {ModelId} ({Kind}) on {Device}", row.Id, row.Kind, row.Kind == ModelKinds.Bootstrap ? "cpu (MFCC statistics)" : device.Device);
        return row.Kind switch
        {
            ModelKinds.Bootstrap => new MfccModel(MfccStandardisation.FromJson(row.Settings)),
            ModelKinds.Encoder when row.Folder is not null => EncoderModel.Load(row.Folder, device.Device),
            _ => throw new InvalidDataException($"Model {row.Id} of kind '{row.Kind}' cannot be loaded (folder: {row.Folder ?? "none"})."),
        };
    }

    public void Dispose()
    {
        foreach (var model in loaded.Values.Where(l => l.IsValueCreated)) model.Value.Dispose();
        loaded.Clear();
    }
}
