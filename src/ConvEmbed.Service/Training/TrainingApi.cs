using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Tracks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Training;

/// <summary><c>/admin/training</c>: queue a retraining, watch it, cancel it.</summary>
public static class TrainingApi
{
    public static RouteGroupBuilder MapTraining(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/training").WithTags("Admin: training");

        group.MapPost("/", StartAsync)
            .WithName("StartTraining")
            .WithSummary("Queue a retraining on the whole library.")
            .WithDescription("All fields optional: minutes (default 10) or steps, objective (convembed | dino), variant, encoder (rf0.1 default | rf0.2 | rf1 | rf3), seed, batch, window, precision (auto default | fp32 | bf16 | fp16, the last on CUDA only), whiten (false default: true fits a PCA whitening on the library's window vectors after training, stores it with the model and whitens every track vector it gives). " +
                             "A background worker trains, re-embeds every track with the new model, builds its index and then switches the active model in one transaction; " +
                             "searches answer from the old model until then. 202 with the job and its Location; 400 for a bad field; 409 when a job is already queued or running, " +
                             "or the library has fewer tracks than ConvEmbed:Training:MinTracks.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", ListAsync)
            .WithName("ListTrainingJobs")
            .WithSummary("The latest jobs, newest first.")
            .WithDescription("Up to 50 jobs with their state and progress.");

        group.MapGet("/{id:long}", GetAsync)
            .WithName("GetTrainingJob")
            .WithSummary("One job: state, progress, loss curve, collapse monitor, resulting model.")
            .WithDescription("state is queued, running, reembedding, succeeded, failed (with the reason in error) or cancelled. " +
                             "progress has step, elapsedSeconds, etaSeconds, stepsPerSecond, the loss curve and the embedding std per report, and reembedded/tracks while re-embedding.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:long}", CancelAsync)
            .WithName("CancelTrainingJob")
            .WithSummary("Cancel a job.")
            .WithDescription("A queued job is cancelled at once; a running one stops at its next step (or re-embedding batch) and ends as cancelled, " +
                             "its half-made model removed and the old model still active. 202 with the job; 409 when it has already ended.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>The public, read-only view of the latest job (the map page's training panel): no settings, no worker names.</summary>
    public static void MapTrainingStatus(this IEndpointRouteBuilder app) =>
        app.MapGroup("/training").WithTags("Training").RequireStorage()
            .MapGet("/current", CurrentAsync)
            .WithName("CurrentTraining")
            .WithSummary("The latest training job's state and progress (public, read-only).")
            .WithDescription("The open job if there is one, else the last one that ended; job is null before the first. " +
                             "Starting, cancelling and the full job record stay behind the admin key (/admin/training).");

    private static async Task<Ok<TrainingStatus>> CurrentAsync(TrainingJobs jobs, CancellationToken ct)
    {
        var latest = (await jobs.ListAsync(1, ct)).FirstOrDefault();
        return TypedResults.Ok(new TrainingStatus(latest is null ? null
            : TrainingJobSummary.Of(latest)));
    }

    private static async Task<Accepted<TrainingJob>> StartAsync(TrainingRequest? request, TrainingJobs jobs, TrackStore tracks, JobSignal signal,
        ComputeDevice device, IOptions<ServiceTrainingOptions> options, CancellationToken ct)
    {
        var (settings, errors) = (request ?? new TrainingRequest()).Validate(device.Device.Type);
        if (settings is null)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "The training request is not valid", string.Join(" ", errors));
        var count = await tracks.CountAsync(ct);
        if (count < options.Value.MinTracks)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Too few tracks to train on",
                $"The library has {count} track(s); training needs at least {options.Value.MinTracks} ({ServiceTrainingOptions.Section}:MinTracks).");
        var job = await jobs.EnqueueAsync(JobKind.Train, settings, null, ct) ?? throw await BusyAsync(jobs, ct);
        signal.Pulse();
        return TypedResults.Accepted($"/admin/training/{job.Id}", job);
    }

    internal static async Task<ApiProblemException> BusyAsync(TrainingJobs jobs, CancellationToken ct)
    {
        var open = await jobs.GetOpenAsync(ct);
        return new ApiProblemException(StatusCodes.Status409Conflict, "A training job is already queued or running",
            open is null ? "Try again in a moment." : $"Job {open.Id} is {open.State} (GET /admin/training/{open.Id}); cancel it with DELETE first, or wait.");
    }

    private static async Task<Ok<IReadOnlyList<TrainingJob>>> ListAsync(TrainingJobs jobs, CancellationToken ct) =>
        TypedResults.Ok(await jobs.ListAsync(50, ct));

    private static async Task<Ok<TrainingJob>> GetAsync(long id, TrainingJobs jobs, CancellationToken ct) =>
        TypedResults.Ok(await jobs.GetAsync(id, ct) ?? throw NotFound(id));

    private static async Task<Accepted<TrainingJob>> CancelAsync(long id, TrainingJobs jobs, CancellationToken ct)
    {
        if (await jobs.CancelAsync(id, ct) is { } job) return TypedResults.Accepted($"/admin/training/{id}", job);
        var existing = await jobs.GetAsync(id, ct) ?? throw NotFound(id);
        throw new ApiProblemException(StatusCodes.Status409Conflict, "The job has already ended", $"Job {id} is {existing.State}.");
    }

    private static ApiProblemException NotFound(long id) => new(StatusCodes.Status404NotFound, "No such training job", $"There is no job {id}.");
}
