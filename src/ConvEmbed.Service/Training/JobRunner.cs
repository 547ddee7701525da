using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Training;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using ConvEmbed.Torch;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Training;

/// <summary>
/// Runs one claimed job to its end. A training job: every stored track's cached log-mel → ConvEmbed.Model's
/// <see cref="Trainer"/> (on a thread of its own) → model folder → registered model → re-embedding of every track →
/// its HNSW index → the switch. A re-embed job (activating a model that lacks vectors) skips the training. A heartbeat
/// each second writes progress and picks up a cancel. Whatever way it ends short of success, the half-made model
/// (row, vectors, index, folder) is removed and the old model stays active.
/// </summary>
public sealed class JobRunner(TrainingJobs jobs, ModelStore models, ModelRegistry registry, Reembedder reembedder, NpgsqlDataSource dataSource,
    FeatureCache cache, StoragePaths paths, IOptions<ServiceTrainingOptions> options, ILogger<JobRunner> logger)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    public async Task RunAsync(TrainingJob job, string worker, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        long? modelId = job.Kind == "reembed" ? job.ModelId : null;
        var madeHere = false;
        logger.LogInformation("Job {JobId} ({Kind}) started on {Worker}", job.Id, job.Kind, worker);
        try
        {
            if (job.Kind == "train")
            {
                (modelId, _) = await TrainAsync(job, worker, cancel);
                madeHere = true;
            }
            await ReembedAndSwitchAsync(job, worker, modelId!.Value, cancel);
            await jobs.FinishAsync(job.Id, "succeeded", null, modelId, CancellationToken.None);
            logger.LogInformation("Job {JobId} succeeded: model {ModelId} is active", job.Id, modelId);
        }
        catch (Exception e) when (e is OperationCanceledException or TrainingCollapsedException or InvalidDataException
                                      or IOException or NpgsqlException or ArgumentException or TorchException or InvalidOperationException)
        {
            var (state, reason) = e switch
            {
                OperationCanceledException when stopping.IsCancellationRequested => ("failed", "interrupted by a restart: the service was stopped while the job ran"),
                OperationCanceledException => ("cancelled", null),
                _ => ("failed", e.Message),
            };
            if (state == "failed") logger.LogWarning(e, "Job {JobId} failed: {Reason}", job.Id, reason);
            else logger.LogInformation("Job {JobId} cancelled", job.Id);
            if (madeHere && modelId is { } id) await models.DeleteUnusedAsync(id, CancellationToken.None);
            await jobs.FinishAsync(job.Id, state, reason, madeHere ? null : modelId, CancellationToken.None);
        }
    }

    private async Task<(long ModelId, string Folder)> TrainAsync(TrainingJob job, string worker, CancellationTokenSource cancel)
    {
        var settings = job.Settings ?? throw new InvalidDataException("The job has no settings.");
        var tracks = await LibraryAsync(cancel.Token);
        var mels = new List<CachedLogMel>();
        try
        {
            foreach (var sha256 in tracks)
                if (cache.TryOpen(sha256, out var mel)) mels.Add(mel!);
            if (mels.Count < 2) throw new InvalidDataException($"Only {mels.Count} track(s) have cached features; training needs at least 2.");
            var normalisation = Normalisation.Of(mels);
            var spec = settings.ToRunSpec();
            var trainingOptions = settings.ToOptions();
            var log = new ProgressLog(trainingOptions.Steps, trainingOptions.Minutes);
            var folder = Path.Combine(paths.Models, $"job-{job.Id}-{DateTime.UtcNow:yyyyMMddHHmmss}");

            // libtorch work stays on one thread from start to end (dispose scopes are per thread).
            var training = Task.Factory.StartNew(() =>
            {
                using var objective = spec.Create(settings.Seed);
                using var trainer = new Trainer(objective, new WindowSampler(mels, normalisation), new Augmentation(normalisation.Std), trainingOptions);
                log.Precision = $"{Precisions.Name(trainer.Precision.Precision)}: {trainer.Precision.Reason}";
                logger.LogInformation("Job {JobId} trains {Objective} on {Tracks} tracks, {Precision}", job.Id, spec.Describe(), mels.Count, trainer.Precision);
                trainer.Run(new InlineProgress(log.Add), cancellationToken: cancel.Token);
                var summary = new TrainingSummary(trainer.Step, trainer.Seconds, settings.Seed, TorchRuntime.Threads, settings.Batch,
                    trainer.Last?.Loss ?? double.NaN, trainer.Last?.EmbeddingStd, trainer.Last?.StepsPerSecond ?? 0, trainer.Last?.WindowsPerSecond ?? 0, mels.Count);
                ModelFolder.SaveModel(folder, objective.EmbeddingEncoder, ModelConfig.For(spec.Encoder, normalisation, spec.Name, settings.Window, summary));
                return summary;
            }, cancel.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            while (!training.IsCompleted)
            {
                await Task.WhenAny(training, Task.Delay(Heartbeat, CancellationToken.None));
                if (await jobs.ReportAsync(job.Id, worker, "running", log.Snapshot(), null, CancellationToken.None)) cancel.Cancel();
            }
            TrainingSummary done;
            try { done = await training; }
            catch { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); throw; }

            var name = $"{spec.Name} {settings.Encoder}, job {job.Id}";
            var modelId = await models.RegisterEncoderAsync(name, spec.Encoder.Channels, folder, new EncoderModelSettings(
                spec.Name, settings.Encoder, done.Steps, Math.Round(done.Seconds / 60, 3), Math.Round(done.FinalLoss, 5), done.EmbeddingStd,
                settings.Seed, settings.Batch, settings.Window, done.Tracks, job.Id), CancellationToken.None);
            await jobs.ReportAsync(job.Id, worker, "reembedding", log.Snapshot(0, tracks.Count), modelId, CancellationToken.None);
            return (modelId, folder);
        }
        finally
        {
            foreach (var mel in mels) mel.Dispose();
        }
    }

    private async Task ReembedAndSwitchAsync(TrainingJob job, string worker, long modelId, CancellationTokenSource cancel)
    {
        var info = (await models.ListAsync(modelId, cancel.Token)).SingleOrDefault()
                   ?? throw new InvalidDataException($"Model {modelId} does not exist any more.");
        var model = await registry.GetModelAsync(modelId, cancel.Token);
        var total = await CountTracksAsync(cancel.Token);
        var progress = ((await jobs.GetAsync(job.Id, CancellationToken.None))?.Progress ?? TrainingJobProgress.None) with { Tracks = total };
        var lastBeat = DateTime.MinValue;
        async Task Beat(long done)
        {
            if (DateTime.UtcNow - lastBeat < Heartbeat) return;
            lastBeat = DateTime.UtcNow;
            if (await jobs.ReportAsync(job.Id, worker, "reembedding", progress with { Reembedded = info.Vectors + done }, modelId, CancellationToken.None))
                cancel.Cancel();
        }
        await Beat(0);
        await reembedder.EmbedMissingAsync(modelId, model, Beat, cancel.Token);
        await models.BuildIndexAsync(modelId, info.Dimension, cancel.Token);
        cancel.Token.ThrowIfCancellationRequested();
        await models.SwitchAsync(modelId, options.Value.KeepPreviousModels,
            (connection, tx) => reembedder.EmbedMissingAsync(modelId, model, null, CancellationToken.None, connection, tx), cancel.Token);
        await jobs.ReportAsync(job.Id, worker, "reembedding", progress with { Reembedded = await CountTracksAsync(CancellationToken.None) }, modelId, CancellationToken.None);
    }

    private async Task<List<string>> LibraryAsync(CancellationToken ct)
    {
        var hashes = new List<string>();
        await using var command = dataSource.CreateCommand("SELECT sha256 FROM tracks ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) hashes.Add(reader.GetString(0));
        return hashes;
    }

    private async Task<long> CountTracksAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tracks");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Reports on the calling (training) thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
