using ConvEmbed.Service.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvEmbed.Service.Models;

/// <summary>Models: the admin list (<c>/admin/models</c>) and the public <c>/models/active</c>. Activating a model is a
/// training-room matter (it may need a re-embedding job): <c>Training/ModelActivationApi</c>.</summary>
public static class ModelsApi
{
    public static RouteGroupBuilder MapModelAdmin(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/models").WithTags("Admin: models");

        group.MapGet("/", ListAsync)
            .WithName("ListModels")
            .WithSummary("Every model, with what trained it and how many tracks it covers.")
            .WithDescription("id, created, kind, objective, encoder, steps, minutes, training loss, vector dimension, whether it is active, " +
                             "vectors (tracks with a vector of it), tracks (all tracks) and coverage (vectors / tracks, rounded). Previous models keep their vectors for ConvEmbed:Training:KeepPreviousModels switches.");

        return group;
    }

    public static void MapActiveModel(this IEndpointRouteBuilder app) =>
        app.MapGroup("/models").WithTags("Models").RequireStorage()
            .MapGet("/active", ActiveAsync)
            .WithName("ActiveModel")
            .WithSummary("The model that answers searches now.")
            .WithDescription("Public (no key). The bootstrap MFCC model until a training job has succeeded.");

    private static async Task<Ok<IReadOnlyList<ModelInfo>>> ListAsync(ModelStore models, CancellationToken ct) =>
        TypedResults.Ok(await models.ListAsync(ct));

    private static async Task<Ok<ModelInfo>> ActiveAsync(ModelStore models, CancellationToken ct)
    {
        var active = await models.GetActiveAsync(ct) ?? throw new InvalidOperationException("No model is active: is the database initialised?");
        return TypedResults.Ok(await models.GetInfoAsync(active.Id, ct) ?? throw new InvalidOperationException($"Model {active.Id} vanished."));
    }
}
