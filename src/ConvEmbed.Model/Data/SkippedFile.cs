namespace ConvEmbed.Model.Data;

/// <summary>A file under the library's root that could not be read, with the decoder's reason.</summary>
public sealed record SkippedFile(string Path, string Reason);
