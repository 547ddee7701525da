namespace ConvEmbed.Service.Library;

/// <summary>A file a scan saw: where it is, how large and when it last changed (what tells a changed file).</summary>
public sealed record LibraryFile(string Path, long SizeBytes, DateTimeOffset Modified)
{
    /// <summary>The file system's time to the microsecond the database keeps, so an unchanged file compares equal.</summary>
    public static DateTimeOffset ToStored(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, TimeSpan.Zero);
}
