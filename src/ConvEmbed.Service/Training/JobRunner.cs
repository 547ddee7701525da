using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Training;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using ConvEmbed.Torch;
using Microsoft.Extensions.Options;
using ConvEmbed.Service.Tracks;
using Npgsql;

namespace ConvEmbed.Service.Training;

/// <summary>
/// Runs one claimed job to its end. A training job: every stored track's cached log-mel → ConvEmbed.Model's
/// <see cref="Trainer"/> (on a thread of its own) → model folder → registered model → re-embedding of every track →
/// its HNSW index → the switch. A re-embed job (activating a model that lacks vectors) skips the training. A heartbeat
/// each second writes progress and picks up a cancel. Whatever way it ends short of success, the half-made model
/// (row, vectors, index, folder) is removed and the old model stays active.
/// </summary>
public sealed class JobRunner(TrainingJobs jobs, ModelStore models, ModelRegistry registry, Reembedder reembedder, TrackStore tracks,
    TrackFeatures features, StoragePaths paths, ComputeDevice device, IOptions<ServiceTrainingOptions> options, ILogger<JobRunner> logger)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    public async Task RunAsync(TrainingJob job, string worker, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        long? modelId = job.Kind == JobKind.Reembed ? job.ModelId : null;
        var madeHere = false;
        logger.LogInformation("Job {JobId} ({Kind}) started on {Worker}", job.Id, job.Kind, worker);
        try
        {
            await using (var heartbeat = new JobHeartbeat(jobs, job, worker, cancel, logger, Heartbeat))
            {
                if (job.Kind == JobKind.Train)
                {
                    modelId = await TrainAsync(job, heartbeat, cancel);
                    madeHere = true;
                }
                await ReembedAndSwitchAsync(job, heartbeat, modelId!.Value, cancel);
            }
            await jobs.FinishAsync(job.Id, JobState.Succeeded, null, modelId, CancellationToken.None);
            logger.LogInformation("Job {JobId} succeeded: model {ModelId} is active", job.Id, modelId);
        }
        catch (Exception e) when (e is OperationCanceledException or TrainingCollapsedException or InvalidDataException or IOException
                                      or NpgsqlException or TorchException or AudioException)
        {
            // What a job is expected to meet: a stop or cancel, a collapse, unreadable data, a full disk, the database, libtorch.
            var (state, reason) = e switch
            {
                OperationCanceledException when stopping.IsCancellationRequested => (JobState.Failed, "interrupted by a restart: the service was stopped while the job ran"),
                OperationCanceledException => (JobState.Cancelled, null),
                _ => (JobState.Failed, e.Message),
            };
            if (state == JobState.Failed) logger.LogWarning(e, "Job {JobId} failed: {Reason}", job.Id, reason);
            else logger.LogInformation("Job {JobId} cancelled", job.Id);
            await EndAsync(job, state, reason, madeHere ? modelId : null, madeHere ? null : modelId);
        }
        catch (Exception e)
        {
            // A defect: the job crashes with its stack in the log (not a routine "failed"), and is still ended and cleaned
            // up, so the old model stays active and the queue is free. The host keeps running.
            logger.LogError(e, "Job {JobId} crashed", job.Id);
            await EndAsync(job, JobState.Failed, $"crashed: {e.GetType().Name}: {e.Message} (a defect; the service log has the stack)",
                madeHere ? modelId : null, madeHere ? null : modelId);
        }
    }

    private async Task EndAsync(TrainingJob job, JobState state, string? reason, long? halfMadeModel, long? keptModel)
    {
        if (halfMadeModel is { } id) await models.DeleteUnusedAsync(id, CancellationToken.None);
        await jobs.FinishAsync(job.Id, state, reason, keptModel, CancellationToken.None);
    }

    private async Task<long> TrainAsync(TrainingJob job, JobHeartbeat heartbeat, CancellationTokenSource cancel)
    {
        var settings = job.Settings ?? throw new InvalidDataException("The job has no settings.");
        var library = await tracks.ListOriginalsAsync(cancel.Token);
        var mels = new List<CachedLogMel>();
        try
        {
            var spec = settings.ToRunSpec();
            var trainingOptions = settings.ToOptions() with { Device = device.Device };
            var log = new ProgressLog(trainingOptions.Steps, trainingOptions.Minutes);
            heartbeat.Set(JobState.Running, () => log.Snapshot());
            // Tracks the feature cache lost are decoded again from their originals (minutes for a large library); one
            // that cannot be read is left out of the training, not a reason to fail it.
            var unreadable = 0;
            foreach (var (sha256, path) in library)
            {
                cancel.Token.ThrowIfCancellationRequested();
                try
                {
                    if (await features.OpenAsync(sha256, path, cancel.Token) is { } mel) mels.Add(mel);
                    else unreadable++;
                }
                catch (AudioException e)
                {
                    unreadable++;
                    logger.LogWarning("Job {JobId}: the stored original {Sha256} cannot be decoded ({Reason}); training without it", job.Id, sha256, e.Message);
                }
            }
            if (unreadable > 0)
                logger.LogWarning("Job {JobId}: {Unreadable} track(s) have neither cached features nor a readable original; training without them", job.Id, unreadable);
            if (mels.Count < 2) throw new InvalidDataException($"Only {mels.Count} track(s) have readable features; training needs at least 2.");
            var normalisation = Normalisation.Of(mels);
            var folder = Path.Combine(paths.Models, $"job-{job.Id}-{DateTime.UtcNow:yyyyMMddHHmmss}");

            // libtorch work stays on one thread from start to end (dispose scopes are per thread).
            var training = Task.Factory.StartNew(() =>
            {
                using var objective = spec.Create(settings.Seed);
                using var trainer = new Trainer(objective, new WindowSampler(mels, normalisation), new Augmentation(normalisation.Std), trainingOptions);
                log.Precision = $"{Precisions.Name(trainer.Precision.Precision)}: {trainer.Precision.Reason}";
                log.Device = trainer.Device.ToString();
                logger.LogInformation("Job {JobId} trains {Objective} on {Tracks} tracks on {Device}, {Precision}", job.Id, spec.Describe(), mels.Count,
                    trainer.Device, trainer.Precision);
                trainer.Run(new Synchronous<TrainingProgress>(log.Add), cancellationToken: cancel.Token);
                (PcaWhitening, WhiteningConfig)? whitening = null;
                if (settings.Whiten)
                {
                    logger.LogInformation("Job {JobId} fits the whitening on the window vectors of {Tracks} tracks", job.Id, Math.Min(mels.Count, WhiteningFit.MaxTracks));
                    whitening = WhiteningFit.Fit(objective.EmbeddingEncoder, normalisation, trainingOptions.WindowFrames, mels, WhiteningFit.DefaultShrinkage,
                        settings.Seed, (done, of) =>
                        {
                            cancel.Token.ThrowIfCancellationRequested();
                            log.Stage = $"fitting the whitening: {done}/{of} tracks embedded";
                        });
                    log.Stage = null;
                }
                return TrainedModel.Save(folder, trainer, objective, spec, normalisation, trainingOptions, mels.Count, whitening);
            }, cancel.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            // The mels are mapped files the training thread reads: they are released (finally) only after it has ended.
            TrainingSummary done;
            try { done = await training; }
            catch { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); throw; }

            var name = $"{spec.Name} {settings.Encoder}, job {job.Id}";
            var modelId = await models.RegisterEncoderAsync(name, spec.Encoder.Channels, folder, new EncoderModelSettings(
                spec.Name, settings.Encoder, done.Steps, Math.Round(done.Seconds / 60, 3), Math.Round(done.FinalLoss, 5), done.EmbeddingStd,
                settings.Seed, settings.Batch, settings.Window, done.Tracks, job.Id, trainingOptions.Device.ToString(), settings.Whiten), CancellationToken.None);
            heartbeat.Set(JobState.Reembedding, () => log.Snapshot(0, library.Count), modelId);
            await heartbeat.BeatAsync();
            return modelId;
        }
        finally
        {
            foreach (var mel in mels) mel.Dispose();
        }
    }

    private async Task ReembedAndSwitchAsync(TrainingJob job, JobHeartbeat heartbeat, long modelId, CancellationTokenSource cancel)
    {
        var info = await models.GetInfoAsync(modelId, cancel.Token)
                   ?? throw new InvalidDataException($"Model {modelId} does not exist any more.");
        var model = await registry.GetModelAsync(modelId, cancel.Token);
        var row = await models.GetAsync(modelId, cancel.Token) ?? throw new InvalidDataException($"Model {modelId} does not exist any more.");
        var passages = registry.PassagesOf(row);
        var progress = ((await jobs.GetAsync(job.Id, CancellationToken.None))?.Progress ?? TrainingJobProgress.None) with { Tracks = info.Tracks };
        long done = 0;
        heartbeat.Set(JobState.Reembedding, () => progress with { Reembedded = info.Vectors + Interlocked.Read(ref done) }, modelId);
        await heartbeat.BeatAsync();
        await reembedder.EmbedMissingAsync(modelId, model, passages, n => { Interlocked.Exchange(ref done, n); return Task.CompletedTask; }, cancel.Token);
        await models.BuildIndexAsync(modelId, info.Dimension, row.Passages, cancel.Token);
        cancel.Token.ThrowIfCancellationRequested();
        await models.SwitchAsync(modelId, options.Value.KeepPreviousModels,
            (connection, tx) => reembedder.EmbedMissingAsync(modelId, model, passages, null, CancellationToken.None, connection, tx), cancel.Token);
        var covered = await tracks.CountAsync(CancellationToken.None);
        heartbeat.Set(JobState.Reembedding, () => progress with { Reembedded = covered, Tracks = covered }, modelId);
        await heartbeat.BeatAsync();
    }
}
