using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvEmbed.Cli.Tests;

/// <summary>Runs the real `convembed` program (the built convembed.dll) as a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string workingDirectory, params string[] args)
    {
        using var running = Start(workingDirectory, args);
        return await running.WaitAsync(TimeSpan.FromMinutes(5));
    }

    public static Running Start(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "convembed.dll");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        return new Running(Process.Start(info)!);
    }

    /// <summary>A started program: its output so far, a way to send it a signal (as Ctrl+C or `kill` would), its end.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder stderr = new();
        private readonly Task<string> stdout;
        private readonly Task stderrDone;

        internal Running(Process process)
        {
            this.process = process;
            stdout = process.StandardOutput.ReadToEndAsync();
            stderrDone = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int n;
                while ((n = await process.StandardError.ReadAsync(buffer)) > 0)
                    lock (stderr) stderr.Append(buffer, 0, n);
            });
        }

        public string Stderr { get { lock (stderr) return stderr.ToString(); } }

        /// <summary>Waits until stderr contains <paramref name="text"/>; false if the program ended or the time ran out first.</summary>
        public async Task<bool> WaitForStderrAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (Stderr.Contains(text, StringComparison.Ordinal)) return true;
                if (process.HasExited) return Stderr.Contains(text, StringComparison.Ordinal);
                await Task.Delay(50);
            }
            return false;
        }

        public void Signal(int signal)
        {
            if (kill(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        public async Task<Result> WaitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
            await stderrDone;
            return new Result(process.ExitCode, await stdout, Stderr);
        }

        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }

    public const int SigInt = 2, SigTerm = 15;
}
