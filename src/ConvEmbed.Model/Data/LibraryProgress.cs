namespace ConvEmbed.Model.Data;

/// <summary>How far loading a library has come: files done (read or skipped) of the total, and cache hits.</summary>
public sealed record LibraryProgress(int Done, int Total, int Skipped, int CacheHits, string? Current);
