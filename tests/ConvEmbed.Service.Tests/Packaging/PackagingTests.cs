using System.ComponentModel;
using System.Diagnostics;

namespace ConvEmbed.Service.Tests.Packaging;

/// <summary>
/// The container image, the compose file and the systemd unit agree with the repository. Nothing is built or started:
/// the files are read, and docker-compose (Debian's, installed by deploy/packages.sh) validates the compose file.
/// </summary>
public sealed class PackagingTests
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public async Task ComposeFileValidatesWithTheExampleSettings()
    {
        var password = Guid.NewGuid().ToString("N");
        var folder = ComposeFolder(Filled(File.ReadAllText(Path.Combine(Root, ".env.example")), ("POSTGRES_PASSWORD", password),
            ("ConvEmbed__Admin__ApiKey", Guid.NewGuid().ToString("N"))));
        try
        {
            var (exit, stdout, stderr) = await DockerComposeAsync(folder, "config");

            Assert.True(exit == 0, $"docker-compose config failed ({exit}):\n{stderr}");
            Assert.Contains($"Password={password}", stdout);
            Assert.Contains("condition: service_healthy", stdout);
            Assert.Contains("driver: nvidia", stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ComposeRefusesToStartWithoutADatabasePassword()
    {
        var folder = ComposeFolder(File.ReadAllText(Path.Combine(Root, ".env.example")));
        try
        {
            var (exit, _, stderr) = await DockerComposeAsync(folder, "config");

            Assert.NotEqual(0, exit);
            Assert.Contains("POSTGRES_PASSWORD", stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void EveryPathTheDockerfileCopiesFromTheContextExists()
    {
        var copies = Dockerfile.Read(Path.Combine(Root, "Dockerfile")).Stages
            .SelectMany(s => s.Copies()).Where(c => c.From is null).SelectMany(c => c.Sources).ToList();

        Assert.NotEmpty(copies);
        var missing = copies.Where(p => !File.Exists(Path.Combine(Root, p)) && !Directory.Exists(Path.Combine(Root, p)));
        Assert.Empty(missing);
    }

    [Fact]
    public void RuntimeImageInstallsExactlyTheRuntimePackagesOfTheSetUp()
    {
        var setUp = ShellScript.ListVariable(File.ReadAllText(Path.Combine(Root, "deploy", "packages.sh")), "RUNTIME_PACKAGES");
        var runtime = Dockerfile.Read(Path.Combine(Root, "Dockerfile")).Stage("runtime");

        var installed = runtime.Runs.SelectMany(ShellScript.AptInstalls).ToList();

        Assert.True(setUp.Order().SequenceEqual(installed.Order()),
            $"only in deploy/packages.sh: [{string.Join(' ', setUp.Except(installed))}]; only in the Dockerfile: [{string.Join(' ', installed.Except(setUp))}]");
    }

    [Fact]
    public void BuildImageInstallsTheBuildPackagesOfTheSetUp()
    {
        var setUp = ShellScript.ListVariable(File.ReadAllText(Path.Combine(Root, "deploy", "packages.sh")), "BUILD_PACKAGES");
        var build = Dockerfile.Read(Path.Combine(Root, "Dockerfile")).Stage("build");

        var installed = build.Runs.SelectMany(ShellScript.AptInstalls).ToHashSet();

        Assert.True(!setUp.Except(installed).Any(), $"the build stage does not install: {string.Join(' ', setUp.Except(installed))}");
    }

    [Fact]
    public void SetUpInstallsTheRuntimeAndBuildPackages()
    {
        var script = File.ReadAllText(Path.Combine(Root, "deploy", "packages.sh"));

        Assert.Matches(@"(?m)^PACKAGES=""\$RUNTIME_PACKAGES \$BUILD_PACKAGES ", script);
        Assert.Contains("docker-compose", script);
    }

    [Fact]
    public void SystemdUnitRunsAsItsOwnUserWithRestartAndHardening()
    {
        var unit = UnitFile(Path.Combine(Root, "deploy", "convembed.service"));

        Assert.Equal("convembed", unit["User"].Single());
        Assert.Equal("/etc/convembed/convembed.env", unit["EnvironmentFile"].Single());
        Assert.Equal("/opt/convembed", unit["WorkingDirectory"].Single());
        Assert.StartsWith("/opt/convembed/", unit["ExecStart"].Single());
        Assert.Equal("on-failure", unit["Restart"].Single());
        Assert.Single(unit["RestartSec"]);
        Assert.Contains("/var/lib/convembed", unit["ReadWritePaths"].Single().Split(' '));
        foreach (var (key, value) in new[] { ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"), ("PrivateTmp", "yes"),
                     ("ProtectHome", "yes"), ("ProtectKernelTunables", "yes"), ("ProtectKernelModules", "yes"), ("ProtectControlGroups", "yes") })
            Assert.True(unit.TryGetValue(key, out var values) && values.Single() == value, $"{key}={value} is missing");
        // The .NET JIT writes code at run time; the GC and libtorch read /proc/meminfo and /proc/cpuinfo.
        Assert.False(unit.ContainsKey("MemoryDenyWriteExecute"), "MemoryDenyWriteExecute breaks the .NET JIT");
        Assert.False(unit.ContainsKey("ProcSubset"), "ProcSubset=pid hides /proc/meminfo and /proc/cpuinfo");
        Assert.Equal("multi-user.target", unit["WantedBy"].Single());
    }

    /// <summary>The compose file and an .env written from <paramref name="env"/> in a folder of their own.</summary>
    private static string ComposeFolder(string env)
    {
        var folder = Directory.CreateTempSubdirectory("convembed-compose-").FullName;
        File.Copy(Path.Combine(Root, "docker-compose.yml"), Path.Combine(folder, "docker-compose.yml"));
        File.WriteAllText(Path.Combine(folder, ".env"), env);
        return folder;
    }

    /// <summary>The env file with the given keys set (the example leaves the secrets empty).</summary>
    private static string Filled(string env, params (string Key, string Value)[] values) =>
        string.Join('\n', env.Split('\n').Select(line =>
            values.FirstOrDefault(v => line.StartsWith(v.Key + "=", StringComparison.Ordinal)) is { Key: not null } set ? $"{set.Key}={set.Value}" : line));

    private static async Task<(int Exit, string Stdout, string Stderr)> DockerComposeAsync(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("docker-compose") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        // Variables of the test's own environment would win over .env; the file alone must decide.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("COMPOSE_", StringComparison.Ordinal) || k.StartsWith("CONVEMBED_", StringComparison.Ordinal)
                     || k.StartsWith("ConvEmbed__", StringComparison.Ordinal) || k is "POSTGRES_PASSWORD" or "LIBTORCH_URL" or "LIBTORCH_SHA256").ToList())
            info.Environment.Remove(key);
        Process process;
        try { process = Process.Start(info)!; }
        catch (Win32Exception e) { throw new InvalidOperationException($"docker-compose could not be started ({e.Message}); sh deploy/packages.sh installs it", e); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"docker-compose {string.Join(' ', args)} did not finish within 60 s");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Key → values of a systemd unit file, over all sections (a key may repeat).</summary>
    private static Dictionary<string, List<string>> UnitFile(string path)
    {
        var entries = new Dictionary<string, List<string>>();
        foreach (var line in File.ReadLines(path).Select(l => l.Trim()))
        {
            if (line.Length == 0 || line[0] is '#' or ';' or '[') continue;
            var equals = line.IndexOf('=');
            if (equals < 0) continue;
            var (key, value) = (line[..equals].Trim(), line[(equals + 1)..].Trim());
            if (!entries.TryGetValue(key, out var values)) entries[key] = values = [];
            values.Add(value);
        }
        return entries;
    }

    /// <summary>The checkout these tests were built from: the folder holding ConvEmbed.Service.sln (the service's own rule).</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ConvEmbed.Service.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no ConvEmbed.Service.sln above {AppContext.BaseDirectory}");
    }
}
