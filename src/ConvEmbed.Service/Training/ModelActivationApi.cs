using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Training;

/// <summary><c>POST /admin/models/{id}/activate</c>: switch to a model at once when its vectors cover every track, else
/// through a re-embedding job (which shares the queue, and its one-job-at-a-time rule, with training).</summary>
public static class ModelActivationApi
{
    public static RouteHandlerBuilder MapModelActivation(this RouteGroupBuilder admin) =>
        admin.MapPost("/models/{id:long}/activate", ActivateAsync).WithTags("Admin: models")
            .WithName("ActivateModel")
            .WithSummary("Make a model the one that answers searches.")
            .WithDescription("A model whose vectors cover every track is switched to at once (200 with the model). Otherwise a re-embedding job is queued " +
                             "that embeds the missing tracks, builds the index and then switches (202 with the job). 404 for an unknown model, 409 while another job runs.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Ok<ModelInfo>, Accepted<TrainingJob>>> ActivateAsync(long id, ModelStore models, TrainingJobs jobs,
        Reembedder reembedder, ModelRegistry registry, JobSignal signal, IOptions<ServiceTrainingOptions> options, CancellationToken ct)
    {
        var model = await models.GetInfoAsync(id, ct)
                    ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "No such model", $"There is no model {id}.");
        if (model.Active) return TypedResults.Ok(model);
        if (await jobs.GetOpenAsync(ct) is not null) throw await TrainingApi.BusyAsync(jobs, ct);
        if (model.CoversEveryTrack)
        {
            // Tracks uploaded since the count are embedded before the switch, outside its lock; the switch fills in only
            // those that arrive in between, while uploads wait.
            var embedder = await registry.GetModelAsync(id, ct);
            var passages = registry.PassagesOf(await models.GetAsync(id, ct) ?? throw new InvalidDataException($"Model {id} does not exist."));
            await reembedder.EmbedMissingAsync(id, embedder, passages, null, ct);
            await models.SwitchAsync(id, options.Value.KeepPreviousModels,
                (connection, tx) => reembedder.EmbedMissingAsync(id, embedder, passages, null, CancellationToken.None, connection, tx), ct);
            return TypedResults.Ok(await models.GetInfoAsync(id, ct) ?? throw new InvalidOperationException($"Model {id} vanished during its switch."));
        }
        var job = await jobs.EnqueueAsync(JobKind.Reembed, null, id, ct) ?? throw await TrainingApi.BusyAsync(jobs, ct);
        signal.Pulse();
        return TypedResults.Accepted($"/admin/training/{job.Id}", job);
    }
}
