using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Models;

/// <summary>Models: the admin list and switch (<c>/admin/models</c>), and the public <c>/models/active</c>.</summary>
public static class ModelsApi
{
    public static RouteGroupBuilder MapModelAdmin(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/models").WithTags("Admin: models");

        group.MapGet("/", ListAsync)
            .WithName("ListModels")
            .WithSummary("Every model, with what trained it and how many tracks it covers.")
            .WithDescription("id, created, kind, objective, encoder, steps, minutes, training loss, vector dimension, whether it is active, " +
                             "and coverage (tracks with a vector of it / all tracks). Previous models keep their vectors for ConvEmbed:Training:KeepPreviousModels switches.");

        group.MapPost("/{id:long}/activate", ActivateAsync)
            .WithName("ActivateModel")
            .WithSummary("Make a model the one that answers searches.")
            .WithDescription("A model whose vectors cover every track is switched to at once (200 with the model). Otherwise a re-embedding job is queued " +
                             "that embeds the missing tracks, builds the index and then switches (202 with the job). 404 for an unknown model, 409 while another job runs.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static void MapActiveModel(this IEndpointRouteBuilder app) =>
        app.MapGroup("/models").WithTags("Models").RequireStorage()
            .MapGet("/active", ActiveAsync)
            .WithName("ActiveModel")
            .WithSummary("The model that answers searches now.")
            .WithDescription("Public (no key). The bootstrap MFCC model until a training job has succeeded.");

    private static async Task<Ok<IReadOnlyList<ModelInfo>>> ListAsync(ModelStore models, CancellationToken ct) =>
        TypedResults.Ok(await models.ListAsync(null, ct));

    private static async Task<Ok<ModelInfo>> ActiveAsync(ModelRegistry registry, ModelStore models, CancellationToken ct)
    {
        var active = await registry.GetActiveAsync(ct);
        return TypedResults.Ok((await models.ListAsync(active.Id, ct)).Single());
    }

    private static async Task<Results<Ok<ModelInfo>, Accepted<TrainingJob>>> ActivateAsync(long id, ModelStore models, TrainingJobs jobs,
        Reembedder reembedder, ModelRegistry registry, JobSignal signal, IOptions<ServiceTrainingOptions> options, CancellationToken ct)
    {
        var model = (await models.ListAsync(id, ct)).SingleOrDefault()
                    ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "No such model", $"There is no model {id}.");
        if (model.Active) return TypedResults.Ok(model);
        if (await jobs.GetOpenAsync(ct) is not null) throw await TrainingApi.BusyAsync(jobs, ct);
        if (model.Coverage >= 1)
        {
            var embedder = await registry.GetModelAsync(id, ct);
            await models.SwitchAsync(id, options.Value.KeepPreviousModels,
                (connection, tx) => reembedder.EmbedMissingAsync(id, embedder, null, CancellationToken.None, connection, tx), ct);
            return TypedResults.Ok((await models.ListAsync(id, ct)).Single());
        }
        var job = await jobs.EnqueueAsync("reembed", null, id, ct) ?? throw await TrainingApi.BusyAsync(jobs, ct);
        signal.Pulse();
        return TypedResults.Accepted($"/admin/training/{job.Id}", job);
    }
}
