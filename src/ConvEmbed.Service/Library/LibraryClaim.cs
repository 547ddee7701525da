namespace ConvEmbed.Service.Library;

/// <summary>A waiting file taken by this instance to index, with the track it led to before (when it changed since).</summary>
public sealed record LibraryClaim(string Path, Guid? PreviousTrack);
