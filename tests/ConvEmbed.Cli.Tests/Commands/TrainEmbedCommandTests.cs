using System.Text.Json;
using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Cli.Tests.Commands;

/// <summary>train → embed → eval on a tiny synthetic folder, through the real program (libtorch, ffmpeg, cache).</summary>
public sealed class TrainEmbedCommandTests(SyntheticFolder music) : IClassFixture<SyntheticFolder>
{
    private string[] Train(string outDir, params string[] more) =>
        ["train", music.Music, "--out", outDir, "--batch", "4", "--window", "100", "--cache", music.Cache, .. more];

    [Fact]
    public async Task TrainWritesAModelThatEmbedAndEvalUse()
    {
        using var dir = new TempFolder();
        var train = await CliProcess.RunAsync(dir.Path, Train("model", "--steps", "6"));
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("skipped broken.mp3", train.Stderr);
        Assert.Contains("receptive field", train.Stderr);
        Assert.Matches(@"precision (fp32|bf16): auto, CPU has", train.Stderr); // the decision and its reason, every run
        Assert.Contains("device cpu: CUDA not available", train.Stderr);         // --device auto on a CPU-only libtorch
        foreach (var file in new[] { "model.safetensors", "config.json", "training/state.json", "training/state-6.safetensors" })
            Assert.True(File.Exists(Path.Combine(dir.Path, "model", file)), file);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "model", "config.json"))))
            Assert.Equal(6, config.RootElement.GetProperty("training").GetProperty("steps").GetInt32());

        var embed = await CliProcess.RunAsync(dir.Path, "embed", music.Music, "--model", "model", "--out", "e.jsonl", "--cache", music.Cache);
        Assert.True(embed.ExitCode == 0, embed.Stderr);
        var embeddings = EmbeddingFile.Read(dir.File("e.jsonl"));
        Assert.Equal(music.Tracks, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Embedding.Sum(v => (double)v * v)), 4));
        Assert.All(embeddings, e => Assert.DoesNotContain(music.Music, e.Path));

        var eval = await CliProcess.RunAsync(dir.Path, "eval", "e.jsonl", "--labels-from-folders", "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        using var metrics = JsonDocument.Parse(eval.Stdout);
        Assert.Equal(music.Tracks, metrics.RootElement.GetProperty("tracks").GetInt32());
    }

    /// <summary>--whiten stores a whitening with the model; embed applies it exactly as the model library defines it
    /// (the service loads models the same way).</summary>
    [Fact]
    public async Task TrainWithWhitenStoresAWhiteningThatEmbedApplies()
    {
        using var dir = new TempFolder();
        var refused = await CliProcess.RunAsync(dir.Path, Train("model", "--steps", "3", "--whiten-shrinkage", "0.5"));
        Assert.Equal(2, refused.ExitCode); // a usage error
        Assert.Contains("--whiten-shrinkage needs --whiten", refused.Stderr);

        var train = await CliProcess.RunAsync(dir.Path, Train("model", "--steps", "3", "--whiten", "--whiten-shrinkage", "0.5"));
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Matches(@"whitening fitted on \d+ window vectors", train.Stderr);
        Assert.Contains("vectors whitened", train.Stdout);
        Assert.True(File.Exists(Path.Combine(dir.Path, "model", "whitening.safetensors")));
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "model", "config.json"))))
        {
            Assert.Equal("convembed-model/2", config.RootElement.GetProperty("format").GetString());
            Assert.Equal(0.5, config.RootElement.GetProperty("whitening").GetProperty("shrinkage").GetDouble());
        }

        var embed = await CliProcess.RunAsync(dir.Path, "embed", music.Music, "--model", "model", "--out", "e.jsonl", "--cache", music.Cache);
        Assert.True(embed.ExitCode == 0, embed.Stderr);
        var written = EmbeddingFile.Read(dir.File("e.jsonl")).ToDictionary(e => e.Path, e => e.Embedding);
        using var model = EncoderModel.Load(Path.Combine(dir.Path, "model"));
        Assert.NotNull(model.Whitening);
        using var library = await ConvEmbed.Cli.Library.LibraryLoader.LoadAsync(music.Music, music.Cache, CancellationToken.None);
        var track = library.Tracks[0];
        var expected = model.Embed(track.Features.ReadAll());
        var got = written[track.RelativePath.Replace(Path.DirectorySeparatorChar, '/')];
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 5); // through the file's text form
    }

    [Fact]
    public async Task ResumeContinuesToTheNewBudgetAndAFinishedRunSaysSo()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, Train("model", "--steps", "3", "--precision", "bf16"))).ExitCode);

        var again = await CliProcess.RunAsync(dir.Path, Train("model", "--steps", "3"));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds a model", again.Stderr);

        var done = await CliProcess.RunAsync(dir.Path, Train("model", "--resume"));
        Assert.Equal(1, done.ExitCode);
        Assert.Contains("already spent its budget", done.Stderr);

        var more = await CliProcess.RunAsync(dir.Path, Train("model", "--resume", "--steps", "5"));
        Assert.True(more.ExitCode == 0, more.Stderr);
        Assert.Contains("resuming at step 3", more.Stderr);
        Assert.Contains("precision bf16: requested", more.Stderr); // the saved run's precision, not auto
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "model", "training", "state.json")));
        Assert.Equal(5, state.RootElement.GetProperty("step").GetInt32());
    }

    [Theory]
    [InlineData(CliProcess.SigInt, 130)]
    [InlineData(CliProcess.SigTerm, 143)]
    public async Task AnInterruptedRunSavesItsStateAndResumes(int signal, int exitCode)
    {
        using var dir = new TempFolder();
        using (var run = CliProcess.Start(dir.Path, Train("model", "--minutes", "5")))
        {
            // The first progress line comes after 20 steps: the run is mid-training when the signal arrives.
            Assert.True(await run.WaitForStderrAsync(" steps/s", TimeSpan.FromMinutes(2)), run.Stderr);
            run.Signal(signal);
            var stopped = await run.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(stopped.ExitCode == exitCode, stopped.Stderr);
            var match = System.Text.RegularExpressions.Regex.Match(stopped.Stderr, @"stopped at step (\d+); the state is saved");
            Assert.True(match.Success, stopped.Stderr);
            var step = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(step > 0);
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "model", "training", "state.json")));
            Assert.Equal(step, state.RootElement.GetProperty("step").GetInt32());
            Assert.True(File.Exists(Path.Combine(dir.Path, "model", "model.safetensors")));
            Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "model"), "*.tmp-*", SearchOption.AllDirectories));

            var more = await CliProcess.RunAsync(dir.Path, Train("model", "--resume", "--steps", (step + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(more.ExitCode == 0, more.Stderr);
            Assert.Contains($"resuming at step {step}", more.Stderr);
        }
    }

    /// <summary>Files named one by one keep their names, in messages and in the output.</summary>
    [Fact]
    public async Task EmbedNamesFilesAsGiven()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("broken.ogg"), "not audio");
        var one = await CliProcess.RunAsync(dir.Path, "embed", "broken.ogg", "--model", "mfcc", "--out", "e.jsonl", "--cache", music.Cache);
        Assert.Equal(1, one.ExitCode);
        var last = one.Stderr.Trim().Split('\n')[^1];
        Assert.StartsWith("convembed: broken.ogg could not be read: ", last);
        Assert.DoesNotContain("..", last);

        var track = Directory.EnumerateFiles(music.Music, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.Copy(track, dir.File("good" + Path.GetExtension(track)));
        var two = await CliProcess.RunAsync(dir.Path, "embed", "good" + Path.GetExtension(track), "broken.ogg", "--model", "mfcc", "--out", "e.jsonl", "--cache", music.Cache);
        Assert.True(two.ExitCode == 0, two.Stderr);
        Assert.Contains("skipped broken.ogg: ", two.Stderr);
        Assert.Equal("good" + Path.GetExtension(track), EmbeddingFile.Read(dir.File("e.jsonl")).Single().Path);
    }

    [Fact]
    public async Task EmbedWithBaselinesAndSegments()
    {
        using var dir = new TempFolder();
        var mfcc = await CliProcess.RunAsync(dir.Path, "embed", music.Music, "--model", "mfcc", "--out", "m.csv", "--cache", music.Cache);
        Assert.True(mfcc.ExitCode == 0, mfcc.Stderr);
        Assert.Equal(80, EmbeddingFile.Read(dir.File("m.csv"))[0].Embedding.Length);

        var segments = await CliProcess.RunAsync(dir.Path, "embed", music.Music, "--model", "random:3", "--out", "s.jsonl", "--segments", "--cache", music.Cache);
        Assert.True(segments.ExitCode == 0, segments.Stderr);
        var lines = File.ReadAllLines(dir.File("s.jsonl"));
        Assert.Equal(music.Tracks, lines.Length); // 3 s tracks are shorter than one 6 s window: one segment each
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(0.0, first.RootElement.GetProperty("start").GetDouble());
        Assert.Equal(256, first.RootElement.GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task BenchObjectivesPrintsBothObjectivesAndBaselines()
    {
        using var dir = new TempFolder();
        var run = await CliProcess.RunAsync(dir.Path, "bench", "objectives", music.Music, "--minutes", "0.02", "--evals", "0.01",
            "--batch", "4", "--seeds", "0,1", "--cache", music.Cache, "--json", "b.json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("means over seeds 0,1", run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("b.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["convembed", "convembed", "dino", "dino", "convembed", "convembed", "dino", "dino"], rows.Select(r => r.GetProperty("objective").GetString()));
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], rows.Select(r => r.GetProperty("seed").GetInt32()));
        var means = json.RootElement.GetProperty("means").EnumerateArray().ToList();
        Assert.Equal(4, means.Count);
        Assert.All(means, m => Assert.Equal(2, m.GetProperty("seeds").GetInt32()));
        foreach (var key in new[] { "minutes", "knn20", "ami", "ari", "steps_per_s", "windows_per_s" })
            Assert.True(rows[0].TryGetProperty(key, out _), key);
        Assert.True(json.RootElement.GetProperty("baselines").GetProperty("mfcc").TryGetProperty("knn20", out _));
        Assert.True(json.RootElement.GetProperty("baselines").GetProperty("random").TryGetProperty("ami", out _));
    }

    [Fact]
    public async Task BenchObjectivesTrainsWithTheResearchSettingsItIsGiven()
    {
        using var dir = new TempFolder();
        var run = await CliProcess.RunAsync(dir.Path, "bench", "objectives", music.Music, "--objectives", "convembed", "--minutes", "0.01",
            "--batch", "4", "--channels", "24", "--window", "128", "--windows-per-track", "2", "--lr", "5e-4", "--temperature", "0.2", "--gain-db", "0", "--noise", "0.1",
            "--cache", music.Cache, "--json", "b.json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("window 128 frames, 2 per track, lr 5e-4, convembed temperature 0.2, augmentation gain ±0 dB, noise 0.1", run.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("b.json")));
        Assert.Contains("24 channels", json.RootElement.GetProperty("encoder").GetString());
        Assert.Contains("temperature 0.2", json.RootElement.GetProperty("settings").GetString());
        var row = Assert.Single(json.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal("convembed", row.GetProperty("objective").GetString());
        Assert.InRange(row.GetProperty("knn20_standardised").GetDouble(), 0, 1); // scored twice: raw and standardised by the pool
        Assert.InRange(row.GetProperty("ami_standardised").GetDouble(), -1, 1);
    }

    [Fact]
    public async Task DinoSweepTriesEightSettingsBestFirst()
    {
        using var dir = new TempFolder();
        var run = await CliProcess.RunAsync(dir.Path, "bench", "dino-sweep", music.Music, "--minutes", "0.003", "--cache", music.Cache, "--json", "s.json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("best: momentum", run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(8, rows.Count);
        Assert.Equal(8, rows.Select(r => (r.GetProperty("teacher_momentum").GetDouble(), r.GetProperty("prototypes").GetInt32(),
            r.GetProperty("teacher_temperature").GetDouble())).Distinct().Count());
        var knn = rows.Select(r => r.GetProperty("knn20").GetDouble()).ToList();
        Assert.Equal(knn.OrderByDescending(k => k), knn);
    }

    /// <summary>--device cuda where libtorch has no CUDA: one line naming the option and the reason, exit 1, nothing written.</summary>
    [Fact]
    public async Task CudaWithoutCudaIsAClearError()
    {
        using var dir = new TempFolder();
        foreach (var args in new[] { Train("model", "--steps", "2", "--device", "cuda"), ["bench", "step", "--steps", "1", "--device", "cuda"] })
        {
            var run = await CliProcess.RunAsync(dir.Path, args);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("--device is 'cuda', but CUDA cannot be used here", run.Stderr);
            Assert.DoesNotContain("   at ", run.Stderr);
        }
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "model", "training")));
    }

    [Theory]
    [InlineData("train", "music", "--out", "model", "--steps", "3", "--precision", "fp16")]
    [InlineData("bench", "step", "--steps", "1", "--precision", "fp16")]
    public async Task Fp16OnTheCpuIsRefusedInOneLine(params string[] args)
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("music"));
        var run = await CliProcess.RunAsync(dir.Path, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("convembed: precision fp16 runs on a CUDA device only", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.False(Directory.Exists(dir.File("model")), "nothing is written for a refused run");
    }

    [Fact]
    public async Task BenchStepBreaksBothStepsIntoPartsInBothPrecisions()
    {
        using var dir = new TempFolder();
        var run = await CliProcess.RunAsync(dir.Path, "bench", "step", "--steps", "3", "--warmup", "1", "--batch", "4", "--frames", "64",
            "--precision", "bf16", "--json", "s.json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("precision bf16: requested", run.Stderr);
        Assert.Contains("fp32: steps/s ratio convembed/infonce / dino", run.Stdout);
        Assert.Contains("convembed/infonce: bf16 steps/s = ", run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        foreach (var field in new[] { "encoder_ms", "encoder_ms_low", "low_precision", "threads", "batch", "frames", "encoder", "libtorch", "precision_note" })
            Assert.True(json.RootElement.TryGetProperty(field, out _), $"no {field} in the JSON");
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([("convembed/infonce", "fp32"), ("dino", "fp32"), ("convembed/infonce", "bf16"), ("dino", "bf16")],
            rows.Select(r => (r.GetProperty("objective").GetString(), r.GetProperty("precision").GetString())));
        foreach (var row in rows)
            foreach (var part in new[] { "batch_ms", "forward_ms", "backward_ms", "clip_ms", "optimizer_ms", "total_ms", "encoder_steps" })
                Assert.True(row.GetProperty(part).GetDouble() > 0, $"{row.GetProperty("objective")}: {part} should be positive");
        Assert.True(json.RootElement.GetProperty("encoder_ms_low").GetDouble() > 0, "the bf16 encoder step was not measured");
        Assert.Equal("bf16", json.RootElement.GetProperty("low_precision").GetString());
        // No comparison of times here: a 3-step run on a loaded test machine once measured DINO's bf16 step faster than
        // ConvEmbed's. Which step is faster is the benchmark's finding, measured on an idle machine, not a test's.
    }

    [Fact]
    public async Task CtrlCStopsOtherCommandsAtOnceWithoutACrash()
    {
        using var dir = new TempFolder();
        using var run = CliProcess.Start(dir.Path, "bench", "objectives", music.Music, "--minutes", "5", "--cache", music.Cache);
        // That line is printed when the library is loaded and the first seed's training starts: libtorch is up, the
        // signal handlers are in place and work is under way (waited for, not a fixed time).
        Assert.True(await run.WaitForStderrAsync("training pool", TimeSpan.FromMinutes(2)), run.Stderr);
        run.Signal(CliProcess.SigInt);
        var stopped = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(stopped.ExitCode == 130, $"exit {stopped.ExitCode}: {stopped.Stderr}");
        Assert.EndsWith("convembed: stopped by SIGINT", stopped.Stderr.TrimEnd());
    }

    [Theory]
    [InlineData(2, "train", "{music}")]                                                   // --out missing
    [InlineData(2, "train", "{music}", "--out", "m", "--minutes", "1", "--steps", "5")]   // two budgets
    [InlineData(2, "train", "{music}", "--out", "m", "--steps", "0")]
    [InlineData(2, "train", "{music}", "--out", "m", "--objective", "simclr")]
    [InlineData(1, "train", "{empty}", "--out", "m")]
    [InlineData(1, "train", "{music}", "--out", "m", "--resume")]                         // nothing to resume
    [InlineData(1, "embed", "{music}", "--model", "no-such-model", "--out", "e.jsonl")]
    [InlineData(1, "embed", "{music}", "--model", "random:x", "--out", "e.jsonl")]
    [InlineData(2, "embed", "{music}", "--model", "mfcc", "--out", "e.txt")]
    [InlineData(1, "embed", "missing.wav", "--model", "mfcc", "--out", "e.jsonl")]
    [InlineData(1, "bench", "objectives", "{music}", "--evals", "1,x")]
    [InlineData(2, "bench", "objectives", "{music}", "--temperature", "0")]
    [InlineData(2, "bench", "objectives", "{music}", "--channels", "4")]
    [InlineData(2, "bench", "objectives", "{music}", "--window", "10")]
    [InlineData(1, "bench", "objectives", "{music}", "--windows-per-track", "3")]
    public async Task BadArgumentsGiveOneLineAndANonZeroExit(int exitCode, params string[] args)
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("empty"));
        var resolved = args.Select(a => a.Replace("{music}", music.Music).Replace("{empty}", dir.File("empty"))).Append("--cache").Append(music.Cache);
        if (args[0] == "bench" || args[0] == "train" && args.Length == 2) resolved = resolved.SkipLast(2); // keep the parse error the one under test

        var run = await CliProcess.RunAsync(dir.Path, resolved.ToArray());

        Assert.Equal(exitCode, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("convembed: ", lines[^1]);
        Assert.False(Directory.Exists(dir.File("m")) && File.Exists(dir.File("m/config.json")), "a failed run must not leave a model");
    }
}
