using System.ComponentModel;
using System.Diagnostics;
using System.Text;
namespace ConvEmbed.Audio.Processes;

/// <summary>
/// One running child process (ffmpeg, SoX, ffprobe, apt-get, …) with its three pipes: the one way the project runs
/// programs. Owned by exactly one caller: disposing kills the whole process tree if it is still running and reaps it,
/// so an error or timeout never leaves a process behind. stderr is collected in the background (last 8 KB) to be
/// folded into error messages.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int StderrLimit = 8192;
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private ChildProcess(Process process)
    {
        _process = process;
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/>; all three standard streams are redirected.</summary>
    /// <exception cref="ProgramMissingException">The program could not be started (not installed, not executable).</exception>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            var process = Process.Start(info) ?? throw new ProgramMissingException(program, "the system started no process");
            return new ChildProcess(process);
        }
        catch (Win32Exception e)
        {
            throw new ProgramMissingException(program, e.Message, e);
        }
    }

    /// <summary>
    /// Runs <paramref name="program"/> to its end for what it prints (ffprobe, soxi, apt-get): stdout as text, stderr
    /// (its last 8 KB) and the exit code; killed past <paramref name="timeout"/> (a <see cref="TimeoutException"/>).
    /// </summary>
    public static Task<Output> CaptureAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        string? workingDirectory = null) =>
        RunAsync(program, arguments, timeout, null,
            async (child, _, ct) =>
            {
                using var reader = new StreamReader(child.StandardOutput);
                var text = await reader.ReadToEndAsync(ct);
                var exit = await child.WaitForExitAsync(ct);
                return new Output(exit, text, child.Errors);
            },
            child => new TimeoutException($"{program} did not finish within {timeout.TotalSeconds:0.#} s. {child.Errors}".Trim()),
            cancellationToken, workingDirectory);

    /// <summary>What a program printed, and how it ended.</summary>
    public sealed record Output(int ExitCode, string Text, string Errors);

    /// <summary>
    /// The one lifecycle of every child process (ffmpeg decoding and encoding, SoX): started; stdin written by
    /// <paramref name="feed"/> in the background and then closed (closed at once without one); <paramref name="consume"/>
    /// reads stdout, waits for the exit and decides the result, given the feed's outcome (an input read error, or
    /// null). The whole run is bounded by <paramref name="timeout"/>: past it the process is killed and
    /// <paramref name="timedOut"/>'s exception thrown. Nothing outlives the call: the process is killed and reaped and
    /// the feeding task awaited, on success, error or cancellation.
    /// </summary>
    public static async Task<T> RunAsync<T>(string program, IEnumerable<string> arguments, TimeSpan timeout,
        Func<Stream, CancellationToken, Task<Exception?>>? feed,
        Func<ChildProcess, Task<Exception?>, CancellationToken, Task<T>> consume,
        Func<ChildProcess, Exception> timedOut, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var process = Start(program, arguments, workingDirectory);
        // Reads on a pipe do not reliably observe cancellation; killing the process closes the pipe and ends them.
        using var killOnCancel = limit.Token.Register(process.Kill);
        var feeding = FeedThenCloseAsync(process.StandardInput, feed, limit.Token);
        try
        {
            return await consume(process, feeding, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw timedOut(process);
        }
        finally
        {
            process.Kill();  // no-op when it has exited; otherwise stops the writer from blocking
            await feeding;
        }
    }

    private static async Task<Exception?> FeedThenCloseAsync(Stream stdin, Func<Stream, CancellationToken, Task<Exception?>>? feed, CancellationToken ct)
    {
        try
        {
            return feed is null ? null : await feed(stdin, ct);
        }
        catch (OperationCanceledException) { return null; }
        finally
        {
            try { stdin.Dispose(); } catch (IOException) { }
        }
    }

    public int Id => _process.Id;
    public Stream StandardInput => _process.StandardInput.BaseStream;
    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>Waits for exit and for stderr to be drained; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _stderrPump.WaitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>What the program wrote to stderr so far (truncated to the last 8 KB), trimmed.</summary>
    public string Errors
    {
        get { lock (_stderr) return _stderr.ToString().Trim(); }
    }

    /// <summary>Kills the process tree if it is still running and waits until it is reaped.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { /* exited between the check and the kill */ }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[1024];
        var reader = _process.StandardError;
        try
        {
            int n;
            while ((n = await reader.ReadAsync(buffer.AsMemory())) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, n);
                    if (_stderr.Length > StderrLimit) _stderr.Remove(0, _stderr.Length - StderrLimit);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { /* process killed */ }
    }
}
