using System.CommandLine;
using ConvEmbed.Cli.Library;
using ConvEmbed.Cli.Training;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;

namespace ConvEmbed.Cli.Commands;

/// <summary>
/// `convembed train FOLDER --out DIR`: reads every audio file under the folder into the feature cache, trains,
/// writes a model folder, and keeps a resumable training state (also on Ctrl+C and every few minutes).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder of audio files (searched recursively; any format ffmpeg reads)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model folder to write (model.safetensors, config.json, training/).", Required = true };
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock training budget (default 10 unless --steps)." }.Must(v => v > 0, "must be positive");
        var steps = new Option<int?>("--steps") { Description = "Step budget instead of minutes (reproducible for a fixed thread count)." }.Must(v => v > 0, "must be positive");
        var objective = new Option<string>("--objective") { Description = "convembed (single pass) or dino (baseline).", DefaultValueFactory = _ => ObjectiveFactory.ConvEmbed };
        objective.AcceptOnlyFromAmong(ObjectiveFactory.ConvEmbed, ObjectiveFactory.Dino);
        var variant = TrainingCliOptions.Variant();
        var encoder = TrainingCliOptions.Encoder();
        var seed = TrainingCliOptions.Seed();
        var threads = TrainingCliOptions.Threads();
        var resume = new Option<bool>("--resume") { Description = "Continue the run saved in --out exactly where it stopped." };
        var batch = TrainingCliOptions.Batch();
        var window = new Option<int>("--window") { Description = "Frames per training window (100 per second).", DefaultValueFactory = _ => 600 }.Must(v => TrainingOptions.WindowProblem(v) is null, $"must be between {TrainingOptions.MinWindowFrames} and {TrainingOptions.MaxWindowFrames} frames");
        var cache = TrainingCliOptions.Cache();
        var precision = TrainingCliOptions.Precision();
        var device = TrainingCliOptions.Device();
        var every = new Option<double>("--checkpoint-minutes") { Description = "Save the training state this often.", DefaultValueFactory = _ => 5 }.Must(v => v > 0, "must be positive");
        var whiten = new Option<bool>("--whiten") { Description = "At the end of the run, fit a PCA whitening on the window vectors of the training tracks and store it with the model: every vector the model gives (CLI and service) is then whitened." };
        var shrinkage = new Option<double>("--whiten-shrinkage") { Description = "The whitening's shrinkage: × the mean eigenvalue added to each before the inverse square root (0 = full whitening).", DefaultValueFactory = _ => WhiteningFit.DefaultShrinkage }.Must(v => v is >= 0 and <= 100, "must be between 0 and 100");

        var dino = new DinoOptions();
        var command = CommandRunner.FinishesOnInterrupt(new Command("train", "Train an encoder on a folder of audio, without labels.")
        {
            folder, output, minutes, steps, objective, variant, encoder, seed, threads, resume, batch, window, cache, precision, device, every,
            whiten, shrinkage,
        });
        dino.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(minutes) is not null && r.GetValue(steps) is not null) r.AddError("give --minutes or --steps, not both");
            if (r.GetResult(shrinkage) is { Implicit: false } && !r.GetValue(whiten)) r.AddError("--whiten-shrinkage needs --whiten");
        });
        command.SetAction(async (parse, ct) =>
        {
            var outDir = parse.GetValue(output)!.FullName;
            var isResume = parse.GetValue(resume);
            var spec = new RunSpec(parse.GetValue(objective)!, Variants.Parse(parse.GetValue(variant)!),
                EncoderConfig.FromPreset(parse.GetValue(encoder)!), dino.Read(parse));
            var options = new TrainingOptions
            {
                BatchSize = parse.GetValue(batch), WindowFrames = parse.GetValue(window), Seed = parse.GetValue(seed),
                Steps = parse.GetValue(steps), Minutes = parse.GetValue(steps) is null ? parse.GetValue(minutes) ?? 10 : null,
            };
            TrainingCheckpoint.State? state = null;
            ModelConfig? saved = null;
            if (isResume)
            {
                state = TrainingCheckpoint.ReadState(outDir);
                saved = ModelFolder.ReadConfig(outDir);
                spec = RunSpec.FromName(state.Objective, saved.ToEncoderConfig(), state.Dino);
                options = state.Options with
                {
                    Steps = parse.GetValue(steps) ?? (parse.GetValue(minutes) is null ? state.Options.Steps : null),
                    Minutes = parse.GetValue(minutes) ?? (parse.GetValue(steps) is null ? state.Options.Minutes : null),
                };
            }
            else if (File.Exists(Path.Combine(outDir, ModelFolder.ConfigFile)))
                throw new CliError($"{outDir} already holds a model: add --resume to continue it, or choose another --out");

            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            Stderr.Line($"{spec.Encoder.Describe()}; objective {spec.Describe()}; libtorch {TorchRuntime.Version}, {TorchRuntime.Threads} threads");
            // A resumed run keeps the precision it was saved with unless --precision says otherwise.
            var on = TrainingCliOptions.ReadDevice(parse, device); // a resumed run may continue on another device
            options = options with { Device = on, Precision = TrainingCliOptions.ReadPrecision(parse, precision, state?.Options.Precision, on).Precision };
            using var library = await LibraryLoader.LoadAsync(parse.GetValue(folder)!.FullName, parse.GetValue(cache), ct);
            var tracks = library.Tracks.Select(t => t.Features).ToList();
            var normalisation = saved?.Normalisation ?? Normalisation.Of(tracks);
            await Train(spec, options, tracks, normalisation, outDir, state, TimeSpan.FromMinutes(parse.GetValue(every)),
                parse.GetValue(whiten) ? parse.GetValue(shrinkage) : null, ct);
            return 0;
        });
        return command;
    }

    private static Task Train(RunSpec spec, TrainingOptions options, IReadOnlyList<ConvEmbed.Audio.Cache.CachedLogMel> tracks,
        NormalisationConfig normalisation, string outDir, TrainingCheckpoint.State? state, TimeSpan checkpointEvery, double? whitenShrinkage,
        CancellationToken ct)
    {
        using var objective = spec.Create(options.Seed);
        using var trainer = new Trainer(objective, new WindowSampler(tracks, normalisation), new Augmentation(normalisation.Std), options);
        if (state is not null)
        {
            TrainingCheckpoint.Restore(outDir, objective, trainer, state);
            if (trainer.Done) throw new CliError($"the run in {outDir} already spent its budget (step {trainer.Step}); give a larger --steps or --minutes to continue");
            Stderr.Line($"resuming at step {trainer.Step} ({trainer.Seconds / 60:0.00} min trained)");
        }

        // Checkpoints on the way are saved without the whitening: it is fitted on the finished encoder only.
        void Save()
        {
            TrainedModel.Save(outDir, trainer, objective, spec, normalisation, options, tracks.Count);
            TrainingCheckpoint.Save(outDir, objective, trainer, options);
        }

        var line = new ProgressLine("train", TimeSpan.FromSeconds(10));
        var lastSave = trainer.Seconds;
        try
        {
            trainer.Run(new Synchronous<TrainingProgress>(p =>
            {
                line.Report(p);
                if (p.Seconds - lastSave >= checkpointEvery.TotalSeconds) { Save(); lastSave = p.Seconds; }
            }), cancellationToken: ct);
        }
        catch (OperationCanceledException) when (trainer.Step > 0)
        {
            Save();
            Stderr.Line($"stopped at step {trainer.Step}; the state is saved: continue with the same command and --resume");
            throw;
        }
        catch (TrainingCollapsedException e)
        {
            throw new CliError(e.Message);
        }
        Save(); // the trained run is safe before any whitening: an interrupt during the fit loses nothing else
        (PcaWhitening, WhiteningConfig)? fitted = null;
        if (whitenShrinkage is { } shrinkage)
        {
            var count = Math.Min(tracks.Count, WhiteningFit.MaxTracks);
            Stderr.Line($"fitting the whitening (shrinkage {shrinkage:0.###}) on the window vectors of {count} tracks");
            var shown = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                fitted = WhiteningFit.Fit(objective.EmbeddingEncoder, normalisation, options.WindowFrames, tracks, shrinkage, options.Seed, (done, of) =>
                {
                    ct.ThrowIfCancellationRequested();
                    if (shown.Elapsed < TimeSpan.FromSeconds(10) && done < of) return;
                    Stderr.Line($"whitening: {done}/{of} tracks embedded");
                    shown.Restart();
                });
            }
            catch (OperationCanceledException)
            {
                Stderr.Line($"stopped while fitting the whitening; the model in {outDir} is saved without one: run again with --resume --whiten --steps {trainer.Step} to fit it");
                throw;
            }
            Stderr.Line($"whitening fitted on {fitted.Value.Item2.Vectors} window vectors");
            // The training state is saved already: only the model folder changes.
            TrainedModel.Save(outDir, trainer, objective, spec, normalisation, options, tracks.Count, fitted);
        }
        Console.WriteLine($"model written to {outDir}: {trainer.Step} steps in {trainer.Seconds / 60:0.00} min, " +
                          $"final loss {trainer.Last?.Loss:0.0000}, embedding std {trainer.Last?.EmbeddingStd:0.0000}" +
                          (fitted is null ? "" : ", vectors whitened"));
        return Task.CompletedTask;
    }
}
