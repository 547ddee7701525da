namespace ConvEmbed.Audio.Tests.Support;

/// <summary>Lists this test process's child processes from /proc (including zombies, state Z).</summary>
internal static class ChildProcesses
{
    public static IReadOnlyList<string> OfThisProcess()
    {
        int me = Environment.ProcessId;
        var children = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            int close = stat.LastIndexOf(')');
            if (close < 0) continue;
            string comm = stat[(stat.IndexOf('(') + 1)..close];
            var rest = stat[(close + 2)..].Split(' ');
            if (rest.Length > 1 && int.TryParse(rest[1], out int ppid) && ppid == me)
                children.Add($"{comm} (state {rest[0]})");
        }
        return children;
    }

    public static void AssertNoFfmpeg()
    {
        // A killed process is reaped asynchronously by the runtime's SIGCHLD handler; give it a moment.
        for (int i = 0; i < 50 && OfThisProcess().Any(c => c.StartsWith("ffmpeg")); i++) Thread.Sleep(20);
        var left = OfThisProcess().Where(c => c.StartsWith("ffmpeg")).ToList();
        Assert.True(left.Count == 0, "ffmpeg left behind: " + string.Join(", ", left));
    }
}
