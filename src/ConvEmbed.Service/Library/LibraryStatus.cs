namespace ConvEmbed.Service.Library;

/// <summary>The library's indexing, as <c>GET /library</c> shows it.</summary>
/// <param name="Folders">The configured folders (ConvEmbed:Library:Folders).</param>
/// <param name="Scanning">A scan is walking the folders or files are waiting to be indexed.</param>
/// <param name="Seen">Audio files the latest scan has seen so far.<example>15000</example></param>
/// <param name="Indexed">Files that are tracks (or the same bytes as another track).<example>14200</example></param>
/// <param name="Waiting">Files still to index.<example>780</example></param>
/// <param name="Unreadable">Files that could not be indexed (GET /library/problems says why).<example>20</example></param>
/// <param name="TracksPerMinute">Files finished in the last minute, by every instance.<example>160</example></param>
/// <param name="EtaSeconds">Waiting files at that rate; null when nothing waits or nothing finished lately.<example>292</example></param>
/// <param name="Excluded">Files whose track was deleted through DELETE /tracks/{id}: left out until they change, or
/// until POST /admin/library/scan?retry=true.<example>3</example></param>
public sealed record LibraryStatus(IReadOnlyList<string> Folders, bool Scanning, long Seen, long Indexed, long Waiting, long Unreadable,
    double TracksPerMinute, double? EtaSeconds, DateTimeOffset? LastScanStarted, DateTimeOffset? LastScanFinished, long Excluded);
