namespace ConvEmbed.Service.Library;

/// <summary>A file (or folder) the library could not index, and why.</summary>
public sealed record LibraryProblem(string Path, string Reason, DateTimeOffset Since);

/// <summary>A page of <see cref="LibraryProblem"/>s, by path.</summary>
public sealed record LibraryProblemPage(IReadOnlyList<LibraryProblem> Items, long Total, int Page, int PageSize);
