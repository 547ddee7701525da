using System.CommandLine;
using System.Runtime.InteropServices;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli;

/// <summary>
/// Runs the command line so that every failure is one line on stderr and a non-zero exit: 2 for wrong arguments,
/// 1 for anything that went wrong while running (bad file, missing model…), 70 for an unexpected error — a bug —
/// whose stack trace goes to a log file that the line names.
/// </summary>
public static class CommandRunner
{
    private static readonly HashSet<Command> Graceful = [];

    /// <summary>
    /// Marks a command that ends cleanly when its token is cancelled, however long that takes (training finishes its
    /// step and saves). Other commands stop at once on Ctrl+C / SIGTERM.
    /// </summary>
    public static T FinishesOnInterrupt<T>(T command) where T : Command
    {
        Graceful.Add(command);
        return command;
    }

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // An unknown word explains more than the "command required" it causes.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            var help = string.Join(' ', new[] { "convembed", CommandPath(parsed), "--help" }.Where(w => w.Length > 0));
            Console.Error.WriteLine($"convembed: {OneLine(error.Message)} (see '{help}')");
            return 2;
        }
        using var interrupt = new Interruption(Graceful.Contains(parsed.CommandResult.Command));
        try
        {
            // The runner owns SIGINT/SIGTERM: System.CommandLine's own handling returns 2 s after the signal, which for
            // `train` could be in the middle of a DINO step or of saving the checkpoint.
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(config, interrupt.Token);
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"convembed: {OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine($"convembed: stopped by {interrupt.Signal}");
            return interrupt.ExitCode;
        }
        catch (OperationCanceledException e)
        {
            Console.Error.WriteLine($"convembed: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e)
        {
            var log = WriteErrorLog(e, args);
            Console.Error.WriteLine($"convembed: unexpected error ({e.GetType().Name}): {OneLine(e.Message)} — the stack trace is in {log}; please report it");
            return UnexpectedExitCode;
        }
    }

    /// <summary>Exit code of an unexpected error (BSD's EX_SOFTWARE).</summary>
    public const int UnexpectedExitCode = 70;

    private static string WriteErrorLog(Exception e, string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"convembed-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        try
        {
            File.WriteAllText(path, $"convembed {string.Join(' ', args)}\n{DateTime.UtcNow:O}\n\n{e}\n");
            return path;
        }
        catch (Exception) // the log is a courtesy: without it, the trace goes to stderr
        {
            Console.Error.WriteLine(e);
            return "stderr above";
        }
    }

    // Some messages (System.CommandLine's list of allowed values, ffmpeg's stderr) span lines; the contract is one.
    private static string OneLine(string message) => Messages.OneLine(message);

    // Errors the program raises on purpose, or that the user's files and machine cause. ArgumentException itself is
    // how option and settings checks report (its subclasses — null, out of range — are bugs and get the trace).
    private static bool IsUserError(Exception e) =>
        e is CliError or AudioException or TrainingCollapsedException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException or IOException
        || e.GetType() == typeof(ArgumentException);

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            if (r.Command is not RootCommand) names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>
    /// Ctrl+C (SIGINT) and SIGTERM. For a graceful command the first signal cancels its token and the command takes
    /// the time it needs to end cleanly; a second signal, or the first one for any other command, ends the process
    /// at once — with _exit, as a native program would: a managed shutdown while libtorch is computing on another
    /// thread crashes in libtorch's static destructors.
    /// </summary>
    private sealed class Interruption : IDisposable
    {
        private readonly bool graceful;
        private readonly CancellationTokenSource cts = new();
        private readonly PosixSignalRegistration sigint, sigterm;
        private int signals;

        public Interruption(bool graceful)
        {
            this.graceful = graceful;
            sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }

        public CancellationToken Token => cts.Token;
        public PosixSignal? Signal { get; private set; }
        public int ExitCode => ExitCodeOf(Signal);

        /// <summary>128 + the signal number, as a shell reports a process ended by it.</summary>
        private static int ExitCodeOf(PosixSignal? signal) => signal == PosixSignal.SIGTERM ? 143 : 130;

        private void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            Signal ??= context.Signal;
            if (!graceful || Interlocked.Increment(ref signals) > 1)
            {
                Console.Out.Flush();
                Console.Error.WriteLine($"convembed: stopped by {context.Signal}");
                ExitNow(ExitCodeOf(context.Signal));
            }
            Console.Error.WriteLine($"convembed: {context.Signal}: finishing the current step (again to stop at once)");
            cts.Cancel();
        }

        [DllImport("libc", EntryPoint = "_exit")]
        private static extern void ExitNow(int status);

        public void Dispose()
        {
            sigint.Dispose();
            sigterm.Dispose();
            cts.Dispose();
        }
    }
}
