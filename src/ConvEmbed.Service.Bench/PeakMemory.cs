namespace ConvEmbed.Service.Bench;

/// <summary>
/// The process's peak resident memory over a stretch of work (Linux): writing 5 to /proc/self/clear_refs resets the
/// high-water mark VmHWM, which /proc/self/status then reports. The service runs inside this process, so it is the
/// service's peak plus the benchmark's own (small) state.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Starts a new stretch; false where the kernel does not allow it (the peak is then not reported).</summary>
    public static bool Reset()
    {
        try
        {
            GC.Collect();
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static double PeakMiB() => Status("VmHWM:");

    public static double CurrentMiB() => Status("VmRSS:");

    private static double Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
